#!/usr/bin/env node
// kc at the sizes where users hurt (issue #21; section 9 of `npm run bench`; alone: `node bench/run.mjs --only scale`).
// Three kc-only rows, each against kc itself at the small size, measured in one run:
//   synth     `kc synth -e prod` of the generated fleet app (bench/lib/fixtures.mjs) at 1000 objects (100 releases)
//             and at 10,000 objects (1000 releases): target ≤ 3 s and ≤ 11× the 1000-object time;
//   env       `kc deploy --env prod` of the fleet app cut to 50 releases (30 web + 20 worker, 500 objects) on the
//             local control plane: a fresh deploy into a new namespace, then the no-op deploy of the same inputs
//             (kc compares what it deployed and writes nothing): target no-op ≤ 0.5 s;
//   history   a one-object `kc upgrade` of a small release (the release bench's chart, 20 ConfigMaps) whose history
//             holds 200 revisions, against the same upgrade of a release with 1 (`--history-max 0` keeps every
//             revision): target ≤ 1.05×.
// Medians of BENCH_SCALE_RUNS (3; the history row 15 pairs, order alternating; the fresh 50-release deploy, context
// only, 1) after one uncounted warm-up, one warm KC_CACHE_DIR; every child killed after BENCH_TIMEOUT_S (120 s);
// building the 200 revisions is 199 upgrades (bounded: each is one command).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FLEET, kcFleetProject } from './lib/fixtures.mjs';
import { failureText, intEnv, median, run } from './lib/measure.mjs';
import { kcBulkChart } from './lib/release-fixtures.mjs';
import { fmtMB, fmtS, table } from './lib/report.mjs';
import { ensureCluster } from './release.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KC = process.env.KC_BIN || path.join(ROOT, 'bin/kc.cjs');

const TARGET_SYNTH_S = 3;
const TARGET_SYNTH_RATIO = 11;
const TARGET_ENV_NOOP_S = 0.5;
const TARGET_HISTORY_RATIO = 1.05;
const BIG = { web: 600, worker: 400 };
const ENV50 = { web: 30, worker: 20, quota: { pods: 1000, cpu: '1000', memory: '4000Gi' } };
const REVISIONS = 200;
const HISTORY_PAIRS = 15;

/** Runs the section; resolves { lines, missed } (a failure is reported in the section and counts as missed). */
export async function scaleBench({
  scratch,
  log = (m) => process.stderr.write(`${m}\n`),
  runs = intEnv('BENCH_SCALE_RUNS', 3),
  timeoutMs = intEnv('BENCH_TIMEOUT_S', 120) * 1000,
}) {
  const dir = fs.mkdtempSync(path.join(scratch, 'scale-'));
  const env = { KC_CACHE_DIR: path.join(dir, 'kc-cache'), NO_COLOR: '1' };
  const kc = (args, opts = {}) => run(process.execPath, [KC, ...args], { cwd: dir, env, timeoutMs, ...opts });
  const must = async (label, p) => {
    const r = await p;
    if (r.code !== 0 || r.timedOut) throw new Error(failureText(label, r));
    return r;
  };
  /** `warmups` uncounted calls, then `count` measured calls of `fn(i)`; returns the measured results. */
  const sample = async (label, fn, warmups = 1, count = runs) => {
    const out = [];
    for (let i = 0; i < warmups + count; i++) {
      const r = await must(label, fn(i));
      log(
        `  ${label} ${i < warmups ? 'warm-up' : `run ${i - warmups + 1}/${count}`}: ${r.wallS.toFixed(3)} s` +
          (r.rssKB ? `, peak RSS ${fmtMB(r.rssKB)} MB` : ''),
      );
      if (i >= warmups) out.push(r);
    }
    return out;
  };
  const med = (rs) => median(rs.map((r) => r.wallS));
  const medRss = (rs) => (rs.some((r) => r.rssKB) ? median(rs.map((r) => r.rssKB ?? 0)) : undefined);
  const rows = [];
  const missed = [];
  const row = (name, kcS, peer, ratio, target, ok, rss) => {
    rows.push([name, fmtS(kcS), peer, ratio, target, ok ? 'yes' : 'MISSED', fmtMB(rss)]);
    if (!ok) missed.push(name);
  };
  const namespaces = [];
  let kubeconfig;
  try {
    // ---- synth at 1000 and 10,000 objects ------------------------------------------------------------------------
    log(`\n[9] scale: kc synth of the fleet app at 1000 and 10,000 objects (${runs} runs each, one warm-up)`);
    const small = kcFleetProject(path.join(dir, 'fleet-1000'), FLEET);
    const big = kcFleetProject(path.join(dir, 'fleet-10000'), BIG);
    const synthSmall = await sample('kc synth 1000 objects', () => kc(['synth', small, '-e', 'prod']));
    const synthBig = await sample('kc synth 10,000 objects', () => kc(['synth', big, '-e', 'prod']));
    const count = (r) => (r.stdout.match(/^kind: /gm) ?? []).length;
    if (count(synthBig.at(-1)) !== 10_000) throw new Error(`the big app rendered ${count(synthBig.at(-1))} objects`);
    const ratio = med(synthBig) / med(synthSmall);
    row(
      'synth of 10,000 objects (peer: kc, 1000 objects)',
      med(synthBig),
      fmtS(med(synthSmall)),
      `${ratio.toFixed(2)}×`,
      `≤ ${TARGET_SYNTH_S} s, ≤ ${TARGET_SYNTH_RATIO}×`,
      med(synthBig) <= TARGET_SYNTH_S && ratio <= TARGET_SYNTH_RATIO,
      medRss(synthBig),
    );

    // ---- an environment of 50 releases ------------------------------------------------------------------------
    kubeconfig = await ensureCluster(log, timeoutMs);
    const cluster = ['--kubeconfig', kubeconfig, '--timeout', '90s'];
    log(`\n[9] scale: kc deploy --env prod of 50 releases (500 objects), fresh and no-op`);
    const env50 = kcFleetProject(path.join(dir, 'fleet-50'), ENV50);
    const stamp = Date.now().toString(36);
    const { clusterKubectlPath } = await import('./release.mjs');
    const kubectl = clusterKubectlPath();
    // The fresh deploy is only the no-op row's context (no target): one timed run after the warm-up, since each takes
    // ~15 s and a namespace delete, and the history row's pairs need the time.
    const fresh = await sample(
      'kc deploy 50 releases, fresh',
      async (i) => {
        // The app runs ~130 pods and the local nodes hold ~220: the previous run's namespace goes first (untimed).
        const previous = namespaces.pop();
        if (previous) {
          await run(
            kubectl,
            ['--kubeconfig', kubeconfig, 'delete', 'namespace', previous, '--wait=true', '--timeout=120s'],
            { cwd: dir, timeoutMs: 150_000, rss: false },
          );
        }
        const ns = `kc-scale-${stamp}-${i}`;
        namespaces.push(ns);
        return kc(['deploy', env50, '--env', 'prod', '-n', ns, ...cluster]);
      },
      1,
      1,
    );
    const lastNs = namespaces.at(-1);
    const noop = await sample('kc deploy 50 releases, no-op', () =>
      kc(['deploy', env50, '--env', 'prod', '-n', lastNs, ...cluster]),
    );
    row(
      '50-release environment, no-op deploy (peer: fresh deploy)',
      med(noop),
      fmtS(med(fresh)),
      `${(med(noop) / med(fresh)).toFixed(2)}×`,
      `≤ ${TARGET_ENV_NOOP_S} s`,
      med(noop) <= TARGET_ENV_NOOP_S,
      medRss(noop),
    );

    // ---- an upgrade with 200 stored revisions against one with 1 -------------------------------------------------
    log(`\n[9] scale: one-object upgrade with ${REVISIONS} stored revisions vs 1 (${REVISIONS - 1} upgrades first)`);
    const chart = kcBulkChart(path.join(dir, 'bulk'));
    const small20 = ['--set', 'configMaps=20', '--set', 'secrets=0', '--set', 'services=0', '--history-max', '0'];
    const nsLong = `kc-scale-${stamp}-history`;
    const nsShort = `kc-scale-${stamp}-one`;
    namespaces.push(nsLong, nsShort);
    const upgrade = (ns, value) =>
      kc([
        'upgrade',
        'hist',
        chart,
        '--install',
        '--create-namespace',
        '-n',
        ns,
        ...small20,
        '--set',
        `revision=${value}`,
        ...cluster,
      ]);
    for (let i = 1; i <= REVISIONS - 1; i++) {
      await must(`upgrade ${i}`, upgrade(nsLong, `h${i}`));
      if (i % 50 === 0) log(`  ${i} revisions`);
    }
    await must('install', upgrade(nsShort, 'h0'));
    // Alternating, so both see the same machine, and which goes first alternates too; each measured upgrade adds a
    // revision (201, 202… against 2, 3…). Two upgrades of ~0.5 s that differ by a few percent: more pairs than the
    // other rows' runs, so one slow request does not decide the ratio.
    const long = [];
    const short = [];
    const pairs = Math.max(runs, HISTORY_PAIRS);
    for (let i = 0; i < pairs + 1; i++) {
      const measure = async (ns, what) => must(what, upgrade(ns, `m${i}`));
      const longFirst = i % 2 === 0;
      const first = await measure(
        longFirst ? nsLong : nsShort,
        longFirst ? 'upgrade, 200 revisions' : 'upgrade, 1 revision',
      );
      const second = await measure(
        longFirst ? nsShort : nsLong,
        longFirst ? 'upgrade, 1 revision' : 'upgrade, 200 revisions',
      );
      const [a, b] = longFirst ? [first, second] : [second, first];
      log(
        `  ${i ? `run ${i}/${pairs}` : 'warm-up'}: ${a.wallS.toFixed(3)} s with ${REVISIONS + i} revisions, ` +
          `${b.wallS.toFixed(3)} s with ${1 + i}`,
      );
      if (i > 0) (long.push(a), short.push(b));
    }
    const hRatio = med(long) / med(short);
    row(
      `one-object upgrade with ${REVISIONS} revisions (peer: with 1)`,
      med(long),
      fmtS(med(short)),
      `${hRatio.toFixed(3)}×`,
      `≤ ${TARGET_HISTORY_RATIO}×`,
      hRatio <= TARGET_HISTORY_RATIO,
      medRss(long),
    );
  } catch (err) {
    const why = String(err?.message ?? err)
      .split('\n')
      .slice(0, 8)
      .join('\n');
    log(`  scale section failed: ${why}`);
    rows.push(['scale section', 'failed', '—', '—', '—', 'MISSED', '—']);
    missed.push(`scale section (${why.split('\n')[0]})`);
  } finally {
    if (namespaces.length && kubeconfig) {
      // Best effort, bounded: the namespaces finish terminating on their own.
      const { clusterKubectlPath } = await import('./release.mjs');
      await run(
        clusterKubectlPath(),
        ['--kubeconfig', kubeconfig, 'delete', 'namespace', ...namespaces, '--ignore-not-found', '--wait=false'],
        { cwd: dir, timeoutMs: 60_000, rss: false },
      );
    }
  }
  const lines = [
    '### Scale (kc alone, small size as the peer)',
    '',
    table(['row', 'kc (s)', 'peer (s)', 'ratio', 'target', 'met', 'kc peak RSS (MB)'], rows),
    '',
    `Medians of ${runs} runs (the history row: ${Math.max(runs, HISTORY_PAIRS)} pairs, which first alternating; ` +
      `the fresh 50-release deploy, the no-op row's context: 1 run) ` +
      `after one warm-up. The 10,000-object app is the fleet app with ${BIG.web} web and ` +
      `${BIG.worker} worker releases; the environment is the fleet app with ${ENV50.web} + ${ENV50.worker} releases.`,
  ];
  return { lines, missed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const scratch = fs.mkdtempSync(path.join((await import('node:os')).tmpdir(), 'kc-bench-scale-'));
  const { lines, missed } = await scaleBench({ scratch });
  process.stdout.write(`${lines.join('\n')}\n`);
  if (missed.length) process.stdout.write(`\nMISSED: ${missed.join('; ')}\n`);
  if (!process.env.BENCH_KEEP) fs.rmSync(scratch, { recursive: true, force: true });
}
