#!/usr/bin/env node
// kc synthesis benchmark (`npm run bench`). One run prints:
//   1. `kc synth` vs `cdk8s synth` (cdk8s-cli's default TypeScript runner: `npx ts-node main.ts`, type-checked)
//      on the same app — the seed MySQL chart as release my-mysql — with the output checked to be the same objects;
//   2. `kc synth` of a generated app of 1000 objects (100 releases of two 10-object charts);
//   3. kc with an empty bundle cache (KC_CACHE_DIR) once, against the warm medians;
//   plus peak RSS (when GNU /usr/bin/time exists) and where kc's time goes, phase by phase;
//   5. releases of 500 objects on the local control plane: kc install/upgrade/rollback against
//      kubectl apply --server-side and helm (bench/release.mjs, which documents its own knobs);
//   6. 50 Deployments installed with waiting: kc against `helm install --wait=watcher`, and the latency from the last
//      Deployment ready to the command's exit (bench/wait.mjs, which documents its own knobs);
//   7. `kc push`/`kc pull` of the mysql chart against `oras push`/`oras pull` of the same .tgz on a real registry on
//      127.0.0.1 (bench/oci.mjs, which documents its own knobs);
//   8. `kc publish --env prod` of the 1000-object app of 2 to a real registry, against `kc synth` of it and an
//      `oras push` of the same artifact (bench/publish.mjs, which documents its own knobs).
//   9. kc at scale: synth of 10,000 objects, a 50-release environment fresh and no-op, an upgrade with 200 stored
//      revisions against one with 1 (bench/scale.mjs, which documents its own knobs).
//  10. a release of 5000 objects: kc install and one-object upgrade against helm and kubectl, kc's peak RSS and the
//      install's wall over its CPU floor (bench/big.mjs, which documents its own knobs).
// `node bench/run.mjs --only wait` (or `--only release|oci|publish|scale|big`) runs that section alone.
// Everything is local and bounded: fixed run counts, each child killed after BENCH_TIMEOUT_S. The one exception
// to "no network": the first run builds helm with `go install` (module proxy), in the background while 1–4 run.
// The exit code is 0 even when a target is missed: this is a report; missed targets print MISSED.
//
// Knobs (environment): BENCH_KC_RUNS (5), BENCH_PEER_RUNS (3), BENCH_PHASE_RUNS (3), BENCH_TIMEOUT_S (120),
// BENCH_RELEASE_RUNS (5), BENCH_WAIT_RUNS (3), BENCH_KEEP=1 keeps the scratch folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { cdk8sMysqlProject, FLEET, kcFleetProject, kcMysqlProject } from './lib/fixtures.mjs';
import { canMeasureRss, failureText, intEnv, median, nodeStartNote, run } from './lib/measure.mjs';
import { buildPhaseScript, measurePhases } from './lib/phases.mjs';
import { fmtMB, fmtS, table } from './lib/report.mjs';
import { releaseBench } from './release.mjs';
import { waitBench } from './wait.mjs';
import { ociBench } from './oci.mjs';
import { publishBench } from './publish.mjs';
import { scaleBench } from './scale.mjs';
import { bigBench } from './big.mjs';
import { startHelmBuild } from './lib/helm-build.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KC = path.join(ROOT, 'bin/kc.cjs');
const CDK8S = path.join(ROOT, 'node_modules/cdk8s-cli/bin/cdk8s');

const KC_RUNS = intEnv('BENCH_KC_RUNS', 5);
const PEER_RUNS = intEnv('BENCH_PEER_RUNS', 3);
const PHASE_RUNS = intEnv('BENCH_PHASE_RUNS', 3);
const TIMEOUT_MS = intEnv('BENCH_TIMEOUT_S', 120) * 1000;

const TARGET_RATIO = 0.1;
const TARGET_FLEET_S = 1.5;

const log = (msg) => process.stderr.write(`${msg}\n`);

/** Parses a multi-document YAML stream into plain objects (empty documents dropped). */
const parseObjects = (text) =>
  YAML.parseAllDocuments(text)
    .map((d) => d.toJSON())
    .filter((o) => o && typeof o === 'object');

/** A canonical string of an object: keys sorted at every level. */
const canonical = (o) =>
  JSON.stringify(o, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
const idOf = (o) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** Calls `fn` warmups + runs times (each call runs the command once) and returns the measured (non-warm-up) results. */
async function sample(label, runs, fn, { warmups = 1 } = {}) {
  const samples = [];
  for (let i = 0; i < warmups + runs; i++) {
    const r = await fn(i);
    if (r.code !== 0 || r.timedOut) throw new Error(failureText(label, r));
    const kind = i < warmups ? 'warm-up' : `run ${i - warmups + 1}/${runs}`;
    log(`  ${label} ${kind}: ${r.wallS.toFixed(3)} s${r.rssKB ? `, peak RSS ${fmtMB(r.rssKB)} MB` : ''}`);
    if (i >= warmups) samples.push(r);
  }
  return samples;
}

const stats = (samples) => {
  const walls = samples.map((s) => s.wallS);
  const rss = samples.map((s) => s.rssKB).filter((x) => x !== undefined);
  return { runs: walls.length, min: Math.min(...walls), median: median(walls), max: Math.max(...walls), rssKB: rss.length ? median(rss) : undefined };
};

/** `--only wait|release|oci`: that section alone (wait and release build helm first if needed), its report and targets. */
async function only(section) {
  const sections = { wait: waitBench, release: releaseBench, oci: ociBench, publish: publishBench, scale: scaleBench, big: bigBench };
  if (!sections[section]) throw new Error(`--only takes ${Object.keys(sections).join(', ')}, not ${section}`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-bench-'));
  // The OCI and publish sections need no helm: no build in the background while they measure.
  const noHelm = section === 'oci' || section === 'publish' || section === 'scale';
  const helmBuild = noHelm ? { building: false, cancel: () => undefined } : startHelmBuild({ log });
  try {
    const { lines, missed } = await sections[section]({ scratch, helmBuild, log, timeoutMs: TIMEOUT_MS });
    const note = await nodeStartNote();
    const verdict = missed.length ? `MISSED: ${missed.join('; ')}` : 'All targets met.';
    process.stdout.write(`${[...lines, '', ...(note ? [note, ''] : []), verdict].join('\n')}\n`);
  } finally {
    helmBuild.cancel();
    if (process.env.BENCH_KEEP === '1') log(`kept ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function main() {
  const onlyAt = process.argv.indexOf('--only');
  if (onlyAt >= 0) return only(process.argv[onlyAt + 1]);
  // `npm run bench -- release`: a section named alone is that section only.
  const named = process.argv[2];
  if (named && !named.startsWith('-')) return only(named);
  const load0 = os.loadavg();
  const startedAt = Date.now();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-bench-'));
  log(`kc synth benchmark — scratch folder ${scratch}`);
  // Section 5 compares against helm, built from its Go module once (minutes): start that now, in the background.
  const helmBuild = startHelmBuild({ log });
  const kcEnv = (cacheDir) => ({ KC_CACHE_DIR: cacheDir, NO_COLOR: '1' });
  const warmCache = path.join(scratch, 'kc-cache');
  const kcSynth = (dir, args = [], cacheDir = warmCache) =>
    run(process.execPath, [KC, 'synth', dir, ...args], { cwd: scratch, env: kcEnv(cacheDir), timeoutMs: TIMEOUT_MS });

  try {
    const mysqlKc = kcMysqlProject(ROOT, path.join(scratch, 'kc-mysql'));
    const { dir: mysqlCdk8s, appLine } = cdk8sMysqlProject(ROOT, path.join(scratch, 'cdk8s-mysql'));
    const fleet = kcFleetProject(path.join(scratch, 'kc-fleet'));
    const cdk8sEnv = {
      // Keep npm (behind `npx ts-node`) off the network; the cdk8s CLI's own upgrade check is off by flag.
      npm_config_offline: 'true',
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    const distDir = path.join(mysqlCdk8s, 'dist');
    const cdk8sSynth = () => {
      fs.rmSync(distDir, { recursive: true, force: true });
      return run(process.execPath, [CDK8S, 'synth', '--no-check-upgrade'], { cwd: mysqlCdk8s, env: cdk8sEnv, timeoutMs: TIMEOUT_MS });
    };

    // ---- 1. kc vs cdk8s on the MySQL app -------------------------------------------------------------------
    log(`\n[1] mysql app: kc synth (${KC_RUNS} runs) vs cdk8s synth with "${appLine}" (${PEER_RUNS} runs), one warm-up each`);
    const kcMysql = await sample('kc synth', KC_RUNS, () => kcSynth(mysqlKc));
    // A cdk8s failure (e.g. a chart change ts-node's type-check rejects) is reported, not fatal.
    let cdk8sMysql = [];
    let cdk8sError;
    try {
      cdk8sMysql = await sample('cdk8s synth', PEER_RUNS, cdk8sSynth);
    } catch (err) {
      cdk8sError = String(err?.message ?? err);
      log(`  ${cdk8sError}`);
    }

    // Same objects on both sides?
    const kcObjects = parseObjects(kcMysql.at(-1).stdout);
    const yamlFiles = fs.existsSync(distDir) ? fs.readdirSync(distDir).filter((f) => /\.ya?ml$/.test(f)) : [];
    const cdk8sObjects = yamlFiles.flatMap((f) => parseObjects(fs.readFileSync(path.join(distDir, f), 'utf8')));
    const kinds = (objs) => objs.map((o) => o.kind).sort().join(', ');
    const kcById = new Map(kcObjects.map((o) => [idOf(o), canonical(o)]));
    const same = kcObjects.length === cdk8sObjects.length && cdk8sObjects.every((o) => kcById.get(idOf(o)) === canonical(o));
    const hasDeployment = cdk8sObjects.some((o) => o.kind === 'Deployment');
    log(`  kc objects:    ${kinds(kcObjects)}`);
    log(`  cdk8s objects: ${kinds(cdk8sObjects)} (${yamlFiles.map((f) => `dist/${f}`).join(', ')})`);
    log(`  same objects: ${same ? 'yes' : 'NO'}`);

    // ---- 2. 1000-object app ----------------------------------------------------------------------------------
    const fleetReleases = FLEET.web + FLEET.worker;
    log(`\n[2] generated app: ${fleetReleases} releases × ${FLEET.objectsPerRelease} objects, kc synth -e prod (${KC_RUNS} runs, one warm-up)`);
    const kcFleet = await sample('kc synth', KC_RUNS, () => kcSynth(fleet, ['-e', 'prod']));
    const fleetObjects = parseObjects(kcFleet.at(-1).stdout);
    const fleetKinds = new Set(fleetObjects.map((o) => o.kind));
    log(`  objects: ${fleetObjects.length} of ${fleetKinds.size} kinds`);

    // ---- 3. cold bundle cache ----------------------------------------------------------------------------
    log('\n[3] kc synth with an empty KC_CACHE_DIR, once per app');
    const cold = async (label, dir, args) => {
      const cache = fs.mkdtempSync(path.join(scratch, 'cold-cache-'));
      const r = await kcSynth(dir, args, cache);
      if (r.code !== 0 || r.timedOut) throw new Error(failureText(label, r));
      log(`  ${label}: ${r.wallS.toFixed(3)} s${r.rssKB ? `, peak RSS ${fmtMB(r.rssKB)} MB` : ''}`);
      return r;
    };
    const coldMysql = await cold('mysql app, cold', mysqlKc, []);
    const coldFleet = await cold('1000-object app, cold', fleet, ['-e', 'prod']);

    // ---- where kc's time goes ----------------------------------------------------------------------------
    log(`\n[4] kc phases (${PHASE_RUNS} fresh processes per app, one warm-up) and CLI startup`);
    const cliStart = await sample('kc --version', PHASE_RUNS, () =>
      run(process.execPath, [KC, '--version'], { cwd: scratch, env: kcEnv(warmCache), timeoutMs: TIMEOUT_MS }),
    );
    // The phase script imports kc's internal modules; if they change shape, report that instead of failing.
    let phasesMysql;
    let phasesFleet;
    let phaseError;
    try {
      const script = await buildPhaseScript(ROOT);
      const opts = { samples: PHASE_RUNS, timeoutMs: TIMEOUT_MS, cwd: scratch };
      phasesMysql = await measurePhases(script, mysqlKc, undefined, warmCache, opts);
      phasesFleet = await measurePhases(script, fleet, 'prod', warmCache, opts);
    } catch (err) {
      phaseError = String(err?.message ?? err).split('\n').slice(0, 6).join('\n');
      log(`  phase breakdown failed: ${phaseError}`);
    }

    // Minutes per section, printed with the whole run's: what to trim when the run outgrows its 20 minutes.
    const laps = [];
    let lapStart = startedAt;
    const lap = (name) => {
      laps.push(`${name} ${((Date.now() - lapStart) / 60_000).toFixed(1)}`);
      lapStart = Date.now();
    };
    lap('synth 1-4');

    // ---- 5. releases on the local control plane (waits for the helm build first) --------------------------
    const helmBuiltDuring = helmBuild.building;
    const release = await releaseBench({ scratch, helmBuild, log, timeoutMs: TIMEOUT_MS });
    lap('release');

    // ---- 6. waiting for 50 Deployments, kc vs helm --wait=watcher -----------------------------------------------
    const wait = await waitBench({ scratch, helmBuild, log });
    lap('wait');

    // ---- 7. kc push/pull vs oras push/pull on a real registry ---------------------------------------------------
    const oci = await ociBench({ scratch, log });
    lap('oci');

    // ---- 8. kc publish of the 1000-object app to a real registry ------------------------------------------------
    const publish = await publishBench({ scratch, log });
    lap('publish');

    // ---- 9. kc at scale: 10,000-object synth, a 50-release environment, 200 stored revisions -------------------------
    const scale = await scaleBench({ scratch, log, timeoutMs: TIMEOUT_MS });
    lap('scale');

    // ---- 10. a 5000-object release: kc against helm and kubectl, peak RSS, wall over the CPU floor ---------------------
    const big = await bigBench({ scratch, helmBuild, log, timeoutMs: TIMEOUT_MS });
    lap('big');

    // ---- report ------------------------------------------------------------------------------------------
    const sKcMysql = stats(kcMysql);
    const sCdk8s = cdk8sMysql.length ? stats(cdk8sMysql) : { runs: 0 };
    const sFleet = stats(kcFleet);
    const ratio = sCdk8s.median ? sKcMysql.median / sCdk8s.median : undefined;
    const met = (ok) => (ok ? 'yes' : 'MISSED');
    const summary = [
      ['synth mysql app: kc vs cdk8s (ts-node)', fmtS(sKcMysql.median), cdk8sError ? 'failed' : fmtS(sCdk8s.median), ratio === undefined ? '—' : `${ratio.toFixed(3)}×`, `≤ ${TARGET_RATIO}×`, met(ratio !== undefined && ratio <= TARGET_RATIO && same)],
      [`synth ${fleetObjects.length}-object app (${fleetReleases} releases)`, fmtS(sFleet.median), '—', '—', `< ${TARGET_FLEET_S} s`, met(sFleet.median < TARGET_FLEET_S && fleetObjects.length === 1000)],
      ['kc cold cache, mysql app (peer: kc warm)', fmtS(coldMysql.wallS), fmtS(sKcMysql.median), `${(coldMysql.wallS / sKcMysql.median).toFixed(2)}×`, 'report', '—'],
      [`kc cold cache, ${fleetObjects.length}-object app (peer: kc warm)`, fmtS(coldFleet.wallS), fmtS(sFleet.median), `${(coldFleet.wallS / sFleet.median).toFixed(2)}×`, 'report', '—'],
    ];

    const detail = [
      ['kc synth, mysql app', sKcMysql],
      ['cdk8s synth (npx ts-node), mysql app', sCdk8s],
      [`kc synth, ${fleetObjects.length}-object app`, sFleet],
      ['kc synth, mysql app, cold cache', stats([coldMysql])],
      [`kc synth, ${fleetObjects.length}-object app, cold cache`, stats([coldFleet])],
      ['kc --version (CLI startup only)', stats(cliStart)],
    ].map(([name, s]) => [name, s.runs, fmtS(s.min), fmtS(s.median), fmtS(s.max), fmtMB(s.rssKB)]);

    const phaseRows = [];
    if (phasesMysql && phasesFleet) {
      for (const n of Object.keys(phasesMysql.phases)) phaseRows.push([n, fmtS(phasesMysql.phases[n]), fmtS(phasesFleet.phases[n])]);
      const sum = (p) => Object.values(p.phases).reduce((a, b) => a + b, 0);
      phaseRows.push(['sum of phases (in-process)', fmtS(sum(phasesMysql)), fmtS(sum(phasesFleet))]);
      phaseRows.push(['wall of the phase process (median)', fmtS(phasesMysql.wallS), fmtS(phasesFleet.wallS)]);
      phaseRows.push([
        '≈ CLI layer: `kc synth` median wall − phase process wall',
        fmtS(sKcMysql.median - phasesMysql.wallS),
        fmtS(sFleet.median - phasesFleet.wallS),
      ]);
      phaseRows.push(['app bundle size (MB)', (phasesMysql.bundleBytes / 1e6).toFixed(2), (phasesFleet.bundleBytes / 1e6).toFixed(2)]);
      phaseRows.push([
        'objects / YAML size (kB)',
        `${phasesMysql.objects} / ${(phasesMysql.yamlBytes / 1e3).toFixed(0)}`,
        `${phasesFleet.objects} / ${(phasesFleet.yamlBytes / 1e3).toFixed(0)}`,
      ]);
    }

    const load1 = os.loadavg();
    const out = [];
    out.push('');
    out.push(`## kc synth benchmark — node ${process.version}, ${os.cpus().length} CPUs, load avg ${load0[0].toFixed(2)} → ${load1[0].toFixed(2)}`);
    out.push('');
    out.push(`Wall times are medians (kc: ${KC_RUNS} runs, cdk8s: ${PEER_RUNS} runs, one uncounted warm-up each); ratio = kc / peer.`);
    out.push(`cdk8s side: cdk8s-cli synth with the typescript-app template's \`${appLine}\` (ts-node type-checks as by default);`);
    if (cdk8sError) out.push(`cdk8s synth FAILED:\n${cdk8sError}`);
    else out.push(`same objects as kc: ${same ? 'yes' : 'NO'}${hasDeployment ? '' : ' (no Deployment in dist/*.yaml!)'} — ${cdk8sObjects.length} objects (${kinds(cdk8sObjects)}).`);
    out.push('');
    out.push(table(['benchmark', 'kc (s)', 'peer (s)', 'ratio', 'target', 'met?'], summary, ['l', 'r', 'r', 'r', 'l', 'l']));
    out.push('');
    out.push(table(['measurement', 'runs', 'min (s)', 'median (s)', 'max (s)', `peak RSS (MB)${canMeasureRss ? '' : ' n/a'}`], detail, ['l', 'r', 'r', 'r', 'r', 'r']));
    if (canMeasureRss) out.push('', 'Peak RSS: largest process of the command\'s tree (GNU time); for kc it does not include esbuild\'s service process.');
    out.push('');
    if (phaseRows.length) {
      out.push(`Where kc synth's time goes (kc's synth modules without the CLI layer, median of ${PHASE_RUNS} fresh processes):`);
      out.push('');
      out.push(table(['phase', 'mysql app (s)', `${phasesFleet.objects}-object app (s)`], phaseRows, ['l', 'r', 'r']));
    } else {
      out.push(`Phase breakdown unavailable: ${phaseError}`);
    }
    if (helmBuiltDuring) out.push('', 'Note: helm was being built (go install) in the background while sections 1–4 ran: their times are inflated on this run.');
    out.push(...release.lines);
    out.push(...wait.lines);
    out.push(...oci.lines);
    out.push(...publish.lines);
    out.push(...scale.lines);
    out.push(...big.lines);
    out.push('');
    const missed = [...summary.filter((r) => r[5] === 'MISSED').map((r) => r[0]), ...release.missed, ...wait.missed, ...oci.missed, ...publish.missed, ...scale.missed, ...big.missed];
    const note = await nodeStartNote();
    if (note) out.push(note, '');
    out.push(`Whole run: ${((Date.now() - startedAt) / 60_000).toFixed(1)} min (${laps.join(', ')}).`, '');
    out.push(missed.length ? `MISSED: ${missed.join('; ')}` : 'All targets met.');
    if (load1[0] > os.cpus().length) out.push(`Note: the machine was loaded (1-min load avg ${load1[0].toFixed(2)} on ${os.cpus().length} CPUs); times are noisy.`);
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    helmBuild.cancel(); // still running only if we failed before section 5 waited for it; the next run starts it again
    if (process.env.BENCH_KEEP === '1') log(`kept ${scratch}`);
    else fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err?.stack ?? err}\n`);
  process.exitCode = 1;
});
