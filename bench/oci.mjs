#!/usr/bin/env node
// kc OCI benchmark (issue #18; section 7 of `npm run bench`; also runs alone: `node bench/oci.mjs`, or
// `node bench/run.mjs --only oci`). The seed's mysql chart, packaged once by `kc package charts/mysql`, pushed to and
// pulled from a real registry (CNCF distribution v3.1.2 on 127.0.0.1, plain HTTP, anonymous, started by
// test/registry/registry.sh in the scratch folder) by
//   kc    `kc push mysql-1.0.0.tgz oci://HOST/kc-N --plain-http`, `kc pull oci://HOST/kc-N/mysql:1.0.0 --plain-http`
//   oras  v1.3.6 `oras push --plain-http HOST/oras-N/mysql:1.0.0 mysql-1.0.0.tgz:<kc's layer type>` with kc's
//         artifact type, and `oras pull --plain-http HOST/oras-N/mysql:1.0.0`
// alternating (kc first on even rounds, oras first on odd ones) after uncounted warm-up rounds. Every push goes to a
// repository of its own, so every blob is really uploaded (neither tool mounts); every pull writes into an empty
// folder and is checked byte for byte against the .tgz, and the registry's log must show that pull's blob GET. Both
// tools get the same empty DOCKER_CONFIG/HOME (no credentials to look up). kc keeps one warm KC_CACHE_DIR (its CLI's
// V8 code cache; `kc pull` writes no chart there). Targets: kc median / oras median <= 1x for push and for pull.
//
// Knobs (environment): BENCH_OCI_RUNS (7 per tool and operation), BENCH_OCI_WARMUP (1 round), KC_BIN (bin/kc.cjs),
// BENCH_KEEP=1 keeps the scratch folder. Every child is killed after 120 s.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { failureText, intEnv, median, run, wholeEnv } from './lib/measure.mjs';
import { fmtMB, fmtS, table } from './lib/report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KC = process.env.KC_BIN || path.join(ROOT, 'bin/kc.cjs');
const SCRIPT = path.join(ROOT, 'test/registry/registry.sh');
const TARGET_RATIO = 1;
const TIMEOUT_MS = 120_000;
// kc's media types (src/oci/media-types.ts), so that oras stores the same kind of artifact.
const KC_ARTIFACT_TYPE = 'application/vnd.kc.chart.v1';
const KC_CONTENT_MEDIA_TYPE = 'application/vnd.kc.chart.content.v1.tar+gzip';

const sha256 = (file) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** Runs the section; resolves { lines, missed, push: { kc, oras }, pull: { kc, oras } } (medians in s). */
export async function ociBench({
  scratch,
  log = (m) => process.stderr.write(`${m}\n`),
  runs = intEnv('BENCH_OCI_RUNS', 7),
  warmup = wholeEnv('BENCH_OCI_WARMUP', 1),
}) {
  const dir = path.join(scratch, 'oci');
  fs.mkdirSync(dir, { recursive: true });
  const registryEnv = { KC_REGISTRY_STATE: path.join(dir, 'registry'), KC_REGISTRY_PORT: '0' };
  const sh = (args, env = {}) => run('bash', [SCRIPT, ...args], { cwd: ROOT, env, timeoutMs: 3_600_000, rss: false });
  let started = false;
  try {
    log(
      `\n[7] OCI benchmark: kc push/pull vs oras push/pull of the mysql chart, ${runs} runs each (+${warmup} warm-up round), alternating`,
    );
    const load0 = os.loadavg()[0];

    // ---- tools, registry, the artifact -------------------------------------------------------------------------
    const orasPath = await sh(['path', 'oras']); // builds oras into the cache on first use (minutes)
    if (orasPath.code !== 0) throw new Error(failureText('registry.sh path oras', orasPath));
    const oras = orasPath.stdout.trim();
    const up = await sh(['up'], registryEnv);
    started = true;
    if (up.code !== 0) throw new Error(failureText('registry.sh up', up));
    const url = await sh(['url'], registryEnv);
    if (url.code !== 0) throw new Error(failureText('registry.sh url', url));
    const host = url.stdout.trim();
    const registryLog = path.join(dir, 'registry', 'registry.log');

    const home = path.join(dir, 'home');
    fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
    const common = { HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), NO_PROXY: '*', no_proxy: '*' };
    const kcEnv = { ...common, KC_CACHE_DIR: path.join(dir, 'kc-cache'), NO_COLOR: '1' };
    const work = path.join(dir, 'work');
    fs.mkdirSync(work);
    const pkg = await run(process.execPath, [KC, 'package', path.join(ROOT, 'charts/mysql')], {
      cwd: work,
      env: kcEnv,
      timeoutMs: TIMEOUT_MS,
      rss: false,
    });
    if (pkg.code !== 0) throw new Error(failureText('kc package charts/mysql', pkg));
    const tgzName = fs.readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!tgzName) throw new Error(`kc package wrote no .tgz:\n${pkg.stdout}`);
    const tgz = path.join(work, tgzName);
    const [, name, version] = /^(.+)-(\d+\.\d+\.\d+.*)\.tgz$/.exec(tgzName) ?? [];
    const digest = sha256(tgz);
    const size = fs.statSync(tgz).size;
    const orasVersion = (await run(oras, ['version'], { env: common, timeoutMs: 30_000, rss: false })).stdout.match(
      /Version:\s*(\S+)/,
    )?.[1];
    log(`  registry http://${host}, ${tgzName} ${(size / 1024).toFixed(0)} KiB, oras ${orasVersion}`);

    // ---- one push or pull ---------------------------------------------------------------------------------------
    let pulls = 0;
    const ops = {
      push: {
        kc: (repo) => [process.execPath, [KC, 'push', tgz, `oci://${host}/${repo}`, '--plain-http'], kcEnv],
        oras: (repo) => [
          oras,
          [
            'push',
            '--plain-http',
            '--artifact-type',
            KC_ARTIFACT_TYPE,
            `${host}/${repo}/${name}:${version}`,
            `${tgzName}:${KC_CONTENT_MEDIA_TYPE}`,
          ],
          common,
        ],
      },
      pull: {
        kc: (repo, out) => [
          process.execPath,
          [KC, 'pull', `oci://${host}/${repo}/${name}:${version}`, '-d', out, '--plain-http'],
          kcEnv,
        ],
        oras: (repo, out) => [oras, ['pull', '--plain-http', `${host}/${repo}/${name}:${version}`, '-o', out], common],
      },
    };
    const once = async (op, tool, repo) => {
      const out = path.join(dir, 'pulled', `${tool}-${++pulls}`);
      if (op === 'pull') fs.mkdirSync(out, { recursive: true });
      const [cmd, args, env] = ops[op][tool](repo, out);
      const logBefore = op === 'pull' ? fs.statSync(registryLog).size : 0;
      const r = await run(cmd, args, { cwd: work, env, timeoutMs: TIMEOUT_MS });
      if (r.code !== 0 || r.timedOut) throw new Error(failureText(`${tool} ${op} ${repo}`, r));
      if (op === 'pull') {
        const file = path.join(out, tgzName);
        if (!fs.existsSync(file) || sha256(file) !== digest)
          throw new Error(`${tool} pull ${repo}: ${file} is not the pushed .tgz`);
        // The registry really served the layer to this pull (not a local cache).
        const fd = fs.openSync(registryLog, 'r');
        const tail = Buffer.alloc(fs.statSync(registryLog).size - logBefore);
        fs.readSync(fd, tail, 0, tail.length, logBefore);
        fs.closeSync(fd);
        if (!tail.toString().includes(`GET /v2/${repo}/${name}/blobs/sha256:${digest}`))
          throw new Error(`${tool} pull ${repo}: the registry log shows no GET of the layer blob`);
      }
      return r;
    };

    // ---- rounds: push then pull, both tools, alternating order --------------------------------------------------
    const samples = { push: { kc: [], oras: [] }, pull: { kc: [], oras: [] }, startup: [] };
    for (let round = 0; round < warmup + runs; round++) {
      const order = round % 2 === 0 ? ['kc', 'oras'] : ['oras', 'kc'];
      const kind = round < warmup ? 'warm-up' : `run ${round - warmup + 1}/${runs}`;
      // kc's floor: starting the CLI at all (same cache, same folder), for reading the ratios.
      const v = await run(process.execPath, [KC, '--version'], { cwd: work, env: kcEnv, timeoutMs: TIMEOUT_MS });
      if (v.code !== 0 || v.timedOut) throw new Error(failureText('kc --version', v));
      if (round >= warmup) samples.startup.push(v);
      for (const op of ['push', 'pull']) {
        for (const tool of order) {
          const r = await once(op, tool, `${tool}-${round}`);
          log(`  ${tool} ${op} ${kind}: ${r.wallS.toFixed(3)} s${r.rssKB ? `, peak RSS ${fmtMB(r.rssKB)} MB` : ''}`);
          if (round >= warmup) samples[op][tool].push(r);
        }
      }
    }

    // ---- report -------------------------------------------------------------------------------------------------
    const stat = (xs) => {
      const w = xs.map((x) => x.wallS);
      const rss = xs.map((x) => x.rssKB).filter((x) => x !== undefined);
      const cpu = xs.map((x) => x.cpuS).filter((x) => x !== undefined);
      return {
        min: Math.min(...w),
        median: median(w),
        max: Math.max(...w),
        rssKB: rss.length ? median(rss) : undefined,
        cpuS: cpu.length ? median(cpu) : undefined,
      };
    };
    const missed = [];
    const summary = [];
    const detail = [];
    const medians = {};
    for (const op of ['push', 'pull']) {
      const kc = stat(samples[op].kc);
      const peer = stat(samples[op].oras);
      const ratio = kc.median / peer.median;
      const met = ratio <= TARGET_RATIO;
      if (!met) missed.push(`kc ${op} vs oras ${op}`);
      medians[op] = { kc: kc.median, oras: peer.median };
      summary.push([
        `${op} ${tgzName} (${(size / 1024).toFixed(0)} KiB): kc vs oras`,
        fmtS(kc.median),
        fmtS(peer.median),
        `${ratio.toFixed(2)}×`,
        `≤ ${TARGET_RATIO}×`,
        met ? 'yes' : 'MISSED',
      ]);
      for (const [tool, s] of [
        ['kc', kc],
        ['oras', peer],
      ]) {
        detail.push([
          `${tool} ${op}`,
          runs,
          fmtS(s.min),
          fmtS(s.median),
          fmtS(s.max),
          s.cpuS === undefined ? '—' : s.cpuS.toFixed(3),
          fmtMB(s.rssKB),
        ]);
      }
    }
    const startup = stat(samples.startup);
    detail.push([
      'kc --version (CLI startup only)',
      runs,
      fmtS(startup.min),
      fmtS(startup.median),
      fmtS(startup.max),
      startup.cpuS === undefined ? '—' : startup.cpuS.toFixed(3),
      fmtMB(startup.rssKB),
    ]);
    const load1 = os.loadavg()[0];
    const lines = [
      '',
      `## kc OCI benchmark — distribution v3.1.2 on 127.0.0.1 (plain HTTP), oras ${orasVersion}, node ${process.version}`,
      '',
      `Wall-time medians of ${runs} runs per tool and operation after ${warmup} uncounted warm-up round(s), kc and oras alternating; ratio = kc / oras.`,
      'Each push goes to a fresh repository; each pull to an empty folder, checked byte for byte and against the registry log.',
      '',
      table(['benchmark', 'kc (s)', 'oras (s)', 'ratio', 'target', 'met?'], summary, ['l', 'r', 'r', 'r', 'l', 'l']),
      '',
      table(['measurement', 'runs', 'min (s)', 'median (s)', 'max (s)', 'CPU user+sys (s)', 'peak RSS (MB)'], detail, [
        'l',
        'r',
        'r',
        'r',
        'r',
        'r',
        'r',
      ]),
    ];
    if (Math.max(load0, load1) > os.cpus().length)
      lines.push(
        '',
        `Note: the machine was loaded (1-min load avg up to ${Math.max(load0, load1).toFixed(2)} on ${os.cpus().length} CPUs); times are noisy.`,
      );
    return { lines, missed, ...medians };
  } catch (err) {
    const msg = String(err?.message ?? err)
      .split('\n')
      .slice(0, 20)
      .join('\n');
    log(`  OCI benchmark failed: ${msg}`);
    return { lines: ['', '## kc OCI benchmark', '', `FAILED: ${msg}`], missed: ['OCI benchmark (failed)'] };
  } finally {
    if (started) await sh(['down'], registryEnv);
  }
}

// `node bench/oci.mjs`: this section alone.
if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-bench-'));
  ociBench({ scratch })
    .then(({ lines, missed }) => {
      process.stdout.write(
        `${[...lines, '', missed.length ? `MISSED: ${missed.join('; ')}` : 'All targets met.'].join('\n')}\n`,
      );
    })
    .finally(() => {
      if (process.env.BENCH_KEEP === '1') process.stderr.write(`kept ${scratch}\n`);
      else fs.rmSync(scratch, { recursive: true, force: true });
    });
}
