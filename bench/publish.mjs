#!/usr/bin/env node
// kc publish benchmark (issue #19; section 8 of `npm run bench`; also runs alone: `node bench/publish.mjs`, or
// `node bench/run.mjs --only publish`). The generated 1000-object fleet app of section 2 (bench/lib/fixtures.mjs,
// 100 releases, 10 objects each, Secrets among them), whose prod environment is given a `gitops` block (a real
// registry — CNCF distribution v3.1.2 on 127.0.0.1 started by test/registry/registry.sh — and an age recipient made
// here, so its Secrets are SOPS-encrypted) and published with `kc publish fleet --env prod -o json`:
//   kc publish   render + layout + SOPS + tar.gz + push of config, layer and manifest (one process, as a user runs it)
//   kc synth     the same render alone, printed as YAML (section 2's measurement): what publish adds to a render
//   oras push    the push alone: oras v1.3.6 pushing the same layer and config with Flux's media types to a fresh
//                repository, so "plus the push" is measured by a peer rather than guessed
// alternating after an uncounted warm-up round, one warm KC_CACHE_DIR. Each publish is checked: exit 0, 1000 objects
// in 100 release folders, the manifest in the registry is the digest printed. Target (the issue's): the kc publish
// median <= 1.5 s + the oras push median.
//
// Knobs (environment): BENCH_PUBLISH_RUNS (5), BENCH_PUBLISH_WARMUP (1 round), KC_BIN (bin/kc.cjs), BENCH_KEEP=1
// keeps the scratch folder. Every child is killed after 120 s.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FLEET, kcFleetProject } from './lib/fixtures.mjs';
import { failureText, intEnv, median, run, wholeEnv } from './lib/measure.mjs';
import { fmtMB, fmtS, table } from './lib/report.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KC = process.env.KC_BIN || path.join(ROOT, 'bin/kc.cjs');
const SCRIPT = path.join(ROOT, 'test/registry/registry.sh');
const TIMEOUT_MS = 120_000;
const TARGET_S = 1.5;
// Flux's media types (src/gitops/types.ts).
const FLUX_CONFIG = 'application/vnd.cncf.flux.config.v1+json';
const FLUX_CONTENT = 'application/vnd.cncf.flux.content.v1.tar+gzip';

/** Runs the section; resolves { lines, missed, publish, synth, push } (medians in s). */
export async function publishBench({
  scratch,
  log = (m) => process.stderr.write(`${m}\n`),
  runs = intEnv('BENCH_PUBLISH_RUNS', 5),
  warmup = wholeEnv('BENCH_PUBLISH_WARMUP', 1),
}) {
  const dir = path.join(scratch, 'publish');
  fs.mkdirSync(dir, { recursive: true });
  const registryEnv = { KC_REGISTRY_STATE: path.join(dir, 'registry'), KC_REGISTRY_PORT: '0' };
  const sh = (args, env = {}) => run('bash', [SCRIPT, ...args], { cwd: ROOT, env, timeoutMs: 3_600_000, rss: false });
  let started = false;
  try {
    log(`\n[8] kc publish of the ${FLEET.web + FLEET.worker}-release fleet app to a real registry, ${runs} runs`);
    const load0 = os.loadavg()[0];
    const orasPath = await sh(['path', 'oras']);
    if (orasPath.code !== 0) throw new Error(failureText('registry.sh path oras', orasPath));
    const oras = orasPath.stdout.trim();
    const up = await sh(['up'], registryEnv);
    started = true;
    if (up.code !== 0) throw new Error(failureText('registry.sh up', up));
    const url = await sh(['url'], registryEnv);
    if (url.code !== 0) throw new Error(failureText('registry.sh url', url));
    const host = url.stdout.trim();

    // ---- the project: section 2's app, its prod environment published with SOPS for a fresh age recipient -----
    const fleet = kcFleetProject(path.join(dir, 'fleet'));
    const { generateIdentity, identityToRecipient } = await import('age-encryption');
    const recipient = await identityToRecipient(await generateIdentity());
    const configFile = path.join(fleet, 'kc.config.ts');
    const repository = `oci://${host}/fleet/app`;
    const gitops = `gitops: { repository: '${repository}', insecure: true, sops: { age: ['${recipient}'] } },`;
    const config = fs
      .readFileSync(configFile, 'utf8')
      .replace("namespace: 'fleet',", `namespace: 'fleet',\n      ${gitops}`);
    if (!config.includes(gitops)) throw new Error('bench/publish.mjs: the fleet fixture changed; no namespace line');
    fs.writeFileSync(configFile, config);

    const home = path.join(dir, 'home');
    fs.mkdirSync(path.join(home, '.docker'), { recursive: true });
    const common = { HOME: home, DOCKER_CONFIG: path.join(home, '.docker'), NO_PROXY: '*', no_proxy: '*' };
    const kcEnv = { ...common, KC_CACHE_DIR: path.join(dir, 'kc-cache'), NO_COLOR: '1' };
    const work = path.join(dir, 'work');
    fs.mkdirSync(work);

    // ---- one measurement of each kind ---------------------------------------------------------------------------
    let last;
    const publish = async () => {
      const r = await run(process.execPath, [KC, 'publish', fleet, '--env', 'prod', '-o', 'json'], {
        cwd: work,
        env: kcEnv,
        timeoutMs: TIMEOUT_MS,
      });
      if (r.code !== 0 || r.timedOut) throw new Error(failureText('kc publish', r));
      const out = JSON.parse(r.stdout);
      const objects = out.releases.reduce((n, rel) => n + rel.objects, 0);
      if (out.releases.length !== FLEET.web + FLEET.worker || objects !== 1000)
        throw new Error(`kc publish pushed ${out.releases.length} releases, ${objects} objects`);
      const fetched = await run(oras, ['manifest', 'fetch', '--plain-http', '--descriptor', `${host}/fleet/app:prod`], {
        env: common,
        timeoutMs: TIMEOUT_MS,
        rss: false,
      });
      if (JSON.parse(fetched.stdout).digest !== out.digest)
        throw new Error('the registry does not hold the printed digest');
      last = out;
      return r;
    };
    const synth = async () => {
      const r = await run(process.execPath, [KC, 'synth', fleet, '--env', 'prod'], {
        cwd: work,
        env: kcEnv,
        timeoutMs: TIMEOUT_MS,
      });
      if (r.code !== 0 || r.timedOut) throw new Error(failureText('kc synth', r));
      return r;
    };
    let pushes = 0;
    const orasPush = async () => {
      // The layer and config of the last publish, fetched once per round (not timed), pushed to a fresh repository.
      const manifest = JSON.parse(
        (
          await run(oras, ['manifest', 'fetch', '--plain-http', `${host}/fleet/app@${last.digest}`], {
            env: common,
            rss: false,
          })
        ).stdout,
      );
      for (const [d, file] of [
        [manifest.layers[0].digest, 'layer.tgz'],
        [manifest.config.digest, 'config.json'],
      ]) {
        const got = await run(oras, ['blob', 'fetch', '--plain-http', `${host}/fleet/app@${d}`, '--output', file], {
          cwd: work,
          env: common,
          rss: false,
        });
        if (got.code !== 0) throw new Error(failureText('oras blob fetch', got));
      }
      const args = ['push', '--plain-http', `${host}/oras-${++pushes}:prod`, '--config', `config.json:${FLUX_CONFIG}`];
      const r = await run(oras, [...args, `layer.tgz:${FLUX_CONTENT}`], {
        cwd: work,
        env: common,
        timeoutMs: TIMEOUT_MS,
      });
      if (r.code !== 0 || r.timedOut) throw new Error(failureText('oras push', r));
      return r;
    };

    // ---- rounds -------------------------------------------------------------------------------------------------
    const samples = { publish: [], synth: [], push: [] };
    for (let round = 0; round < warmup + runs; round++) {
      const kind = round < warmup ? 'warm-up' : `run ${round - warmup + 1}/${runs}`;
      const order = round % 2 === 0 ? ['publish', 'synth'] : ['synth', 'publish'];
      for (const what of order) {
        const r = what === 'publish' ? await publish() : await synth();
        log(`  kc ${what} ${kind}: ${r.wallS.toFixed(3)} s${r.rssKB ? `, peak RSS ${fmtMB(r.rssKB)} MB` : ''}`);
        if (round >= warmup) samples[what].push(r);
      }
      const p = await orasPush();
      log(`  oras push ${kind}: ${p.wallS.toFixed(3)} s`);
      if (round >= warmup) samples.push.push(p);
    }

    // ---- report -------------------------------------------------------------------------------------------------
    const stat = (xs) => {
      const w = xs.map((x) => x.wallS);
      const rss = xs.map((x) => x.rssKB).filter((x) => x !== undefined);
      const cpu = xs.map((x) => x.cpuS).filter((x) => x !== undefined);
      const mid = (v) => (v.length ? median(v) : undefined);
      return { min: Math.min(...w), median: median(w), max: Math.max(...w), rssKB: mid(rss), cpuS: mid(cpu) };
    };
    const s = { publish: stat(samples.publish), synth: stat(samples.synth), push: stat(samples.push) };
    const target = TARGET_S + s.push.median;
    const met = s.publish.median <= target;
    const layerKiB = (fs.statSync(path.join(work, 'layer.tgz')).size / 1024).toFixed(0);
    const summary = [
      [
        `kc publish, 1000-object app (${last.releases.length} releases, layer ${layerKiB} KiB, Secrets SOPS-encrypted)`,
        fmtS(s.publish.median),
        `1.5 + ${fmtS(s.push.median)} (oras push)`,
        met ? 'yes' : 'MISSED',
      ],
      [
        'kc publish − kc synth of the same app (layout, SOPS, tar.gz, push)',
        fmtS(s.publish.median - s.synth.median),
        'report',
        '—',
      ],
    ];
    const detail = [
      ['kc publish --env prod', s.publish],
      ['kc synth --env prod (the render alone)', s.synth],
      ['oras push of the same layer and config', s.push],
    ].map(([label, x]) => [
      label,
      runs,
      fmtS(x.min),
      fmtS(x.median),
      fmtS(x.max),
      x.cpuS === undefined ? '—' : x.cpuS.toFixed(3),
      fmtMB(x.rssKB),
    ]);
    const load1 = os.loadavg()[0];
    const lines = [
      '',
      `## kc publish benchmark — distribution v3.1.2 on 127.0.0.1 (plain HTTP), node ${process.version}`,
      '',
      `Wall-time medians of ${runs} runs after ${warmup} uncounted warm-up round(s); publish and synth alternate.`,
      '',
      table(['benchmark', 'kc (s)', 'target (s)', 'met?'], summary, ['l', 'r', 'l', 'l']),
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
        `Note: the machine was loaded (1-min load avg up to ${Math.max(load0, load1).toFixed(2)}); times are noisy.`,
      );
    return {
      lines,
      missed: met ? [] : ['kc publish of the 1000-object app'],
      publish: s.publish.median,
      synth: s.synth.median,
      push: s.push.median,
    };
  } catch (err) {
    const msg = String(err?.message ?? err)
      .split('\n')
      .slice(0, 20)
      .join('\n');
    log(`  publish benchmark failed: ${msg}`);
    return { lines: ['', '## kc publish benchmark', '', `FAILED: ${msg}`], missed: ['publish benchmark (failed)'] };
  } finally {
    if (started) await sh(['down'], registryEnv);
  }
}

// `node bench/publish.mjs`: this section alone.
if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-bench-'));
  publishBench({ scratch })
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
