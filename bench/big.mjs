// kc big-release benchmark (section 10 of `npm run bench`; alone: `node bench/run.mjs --only big`).
// One release of 5000 cheap objects (the release bench's chart, bench/lib/release-fixtures.mjs, with --set counts:
// half ConfigMaps, 30 % Secrets, 20 % headless Services) on the local control plane, measured side by side, each
// tool in a fresh namespace per run (tool order rotated per run):
//   kc       install (waits for readiness) / upgrade --set (one object changed)
//   helm     v4.3.2 (bench/lib/helm-build.mjs): install / upgrade --set with `--server-side=true --wait=watcher`, on a
//            Helm chart whose template is kc's rendered YAML verbatim. Helm keeps each revision in one Secret, which
//            the API server caps at 1 MiB: a helm failure is the result reported, not a failure of the section.
//   kubectl  apply --server-side of the same YAML, fresh and with the one object changed (with BENCH_BIG_KUBECTL=1; reference only: one run,
//            the first measured one, as its sequential applies of 5000 objects take about a minute each).
// helm and kubectl run once, in the first measured round (BENCH_BIG_PEER_RUNS): at ~1 and ~2.5 min per run they
// would otherwise take most of `npm run bench`'s 20 minutes, and their rows are reported, not targets.
// Reported: wall medians, kc's peak RSS, and the CPU of each install — the tool's own and the control plane's
// (bench/lib/control-plane-cpu.mjs) — whose sum / cores is the floor no install can go below.
// Targets (issue #21): the 5000-object install's wall ≤ 1.2× that floor; kc's peak RSS ≤ 250 MB.
// Each run's namespaces are deleted before the next run is timed (bounded waits); every child is killed after
// BENCH_BIG_TIMEOUT_S.
//
// Knobs (environment): BENCH_BIG_OBJECTS (5000), BENCH_BIG_RUNS (3, after one uncounted warm-up round),
// BENCH_BIG_PEER_RUNS (1: helm's and kubectl's measured runs, no warm-up), BENCH_BIG_KUBECTL (0; 1 adds kubectl,
// whose serial applies of 5000 objects take ~1 min each way), BENCH_BIG_TIMEOUT_S (300; BENCH_TIMEOUT_S when that is larger).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { controlPlaneCpu, cores, installCpuRows } from './lib/control-plane-cpu.mjs';
import { failureText, intEnv, lastLine, median, run, wholeEnv } from './lib/measure.mjs';
import { HELM_PACKAGE, HELM_VERSION } from './lib/helm-build.mjs';
import { fmtMB, fmtS, table } from './lib/report.mjs';
import { BULK_REVISION, helmBulkChart, kcBulkChart } from './lib/release-fixtures.mjs';
import { clusterKubectlPath, ensureCluster } from './release.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KC = path.join(ROOT, 'bin/kc.cjs');
const RELEASE = 'bench';
const TARGET_FLOOR_RATIO = 1.2;
const TARGET_RSS_MB = 250;

/** The chart's counts for `total` objects: 50 % ConfigMaps, 30 % Secrets, the rest headless Services. */
export function bigCounts(total) {
  const configMaps = Math.max(1, Math.round(total * 0.5));
  const secrets = Math.round(total * 0.3);
  return { configMaps, secrets, services: Math.max(0, total - configMaps - secrets) };
}

/** The reason a helm command failed, in one line: the line naming the size limit if there is one. */
const helmWhy = (r) => {
  const text = `${r.stderr}\n${r.stdout}`;
  const limit = text.split('\n').find((l) => /too long|too large|exceeds|1048576|larger than|request entity/i.test(l));
  const killed = `killed at the BENCH_TIMEOUT_S bound (${r.wallS.toFixed(0)} s)${lastLine(text) ? `; last output: ${lastLine(text)}` : ''}`;
  return (limit ?? (r.timedOut ? killed : `exit code ${r.code}: ${lastLine(text)}`)).trim().slice(0, 240);
};

/** Runs the section; resolves { lines, missed } (a failure is reported in the section and counts as missed). */
export async function bigBench({
  scratch,
  helmBuild,
  log = (m) => process.stderr.write(`${m}\n`),
  runs = intEnv('BENCH_BIG_RUNS', 3),
  peerRuns = intEnv('BENCH_BIG_PEER_RUNS', 1),
  timeoutMs = intEnv('BENCH_TIMEOUT_S', 120) * 1000,
}) {
  // Helm's one-object upgrade of 5000 objects takes 85-100 s here: a 120 s bound would read as a failure.
  timeoutMs = Math.max(timeoutMs, intEnv('BENCH_BIG_TIMEOUT_S', 300) * 1000);
  const total = intEnv('BENCH_BIG_OBJECTS', 5000);
  const counts = bigCounts(total);
  const withKubectl = wholeEnv('BENCH_BIG_KUBECTL', 0) === 1;
  const dir = fs.mkdtempSync(path.join(scratch, 'big-'));
  const namespaces = [];
  const pending = []; // namespaces of finished runs, deleted before the next run is timed
  let kubectl;
  let kubeconfig;
  const kctl = (args, opts = {}) =>
    run(
      kubectl,
      ['--kubeconfig', kubeconfig, '--request-timeout=30s', '--cache-dir', path.join(dir, 'kube-cache'), ...args],
      {
        cwd: dir,
        timeoutMs,
        rss: false,
        ...opts,
      },
    );
  const must = async (label, promise) => {
    const r = await promise;
    if (r.code !== 0 || r.timedOut) throw new Error(failureText(label, r));
    return r;
  };
  try {
    log(
      `\n[10] big release: ${total} objects, kc vs helm${withKubectl ? ' and kubectl' : ''}, ${runs} kc runs after one warm-up, ${peerRuns} per peer`,
    );
    const load0 = os.loadavg()[0];
    kubeconfig = await ensureCluster(log, timeoutMs);
    kubectl = clusterKubectlPath();
    const clusterCpu = controlPlaneCpu(ROOT);

    // ---- fixtures ------------------------------------------------------------------------------------------------
    const kcEnv = { KC_CACHE_DIR: path.join(dir, 'kc-cache'), NO_COLOR: '1' };
    const chart = kcBulkChart(path.join(dir, 'chart'));
    const countSets = Object.entries(counts).flatMap(([k, n]) => ['--set', `${k}=${n}`]);
    const set = `${BULK_REVISION.key}=${BULK_REVISION.second}`;
    const render = async (extra) =>
      (
        await must(
          'kc synth (render)',
          run(process.execPath, [KC, 'synth', chart, '--release', RELEASE, ...countSets, ...extra], {
            cwd: dir,
            env: kcEnv,
            timeoutMs,
            rss: false,
          }),
        )
      ).stdout;
    const yaml1 = await render([]); // also fills kc's bundle cache
    const yaml2 = await render(['--set', set]);
    const kinds = (yaml1.match(/^kind: /gm) ?? []).length;
    if (kinds !== total) throw new Error(`rendered ${kinds} objects, expected ${total}`);
    const file1 = path.join(dir, 'objects.yaml');
    const file2 = path.join(dir, 'objects-changed.yaml');
    fs.writeFileSync(file1, yaml1);
    fs.writeFileSync(file2, yaml2);
    const helmChart = helmBulkChart(path.join(dir, 'helm-chart'), yaml1);
    log(`  rendered ${kinds} objects (${(yaml1.length / 1e6).toFixed(2)} MB of YAML)`);
    const versions = JSON.parse((await must('kubectl version', kctl(['version', '-o', 'json']))).stdout);
    const serverVersion = versions.serverVersion?.gitVersion ?? '?';

    if (helmBuild.building) log('  waiting for the helm build to finish');
    const helmResult = await helmBuild.done;
    const helm = helmResult.error ? undefined : helmResult.bin;
    const helmHome = path.join(dir, 'helm-home');
    const helmEnv = {
      HELM_CACHE_HOME: `${helmHome}/cache`,
      HELM_CONFIG_HOME: `${helmHome}/config`,
      HELM_DATA_HOME: `${helmHome}/data`,
    };

    // ---- the tools' steps ------------------------------------------------------------------------------------------
    // The tools' own timeouts stay under the child's hard bound, so a slow run reports itself instead of being killed.
    const inner = `${Math.max(10, Math.floor(timeoutMs / 1000) - 10)}s`;
    const kc = (ns, args) =>
      run(process.execPath, [KC, ...args, ...countSets, '--kubeconfig', kubeconfig, '-n', ns, '--timeout', inner], {
        cwd: dir,
        env: kcEnv,
        timeoutMs,
      });
    const helmRun = (ns, args) =>
      run(
        helm,
        [...args, '--kubeconfig', kubeconfig, '-n', ns, '--server-side=true', '--wait=watcher', '--timeout', inner],
        {
          cwd: dir,
          env: helmEnv,
          timeoutMs,
        },
      );
    const apply = (ns, file) =>
      run(
        kubectl,
        [
          '--kubeconfig',
          kubeconfig,
          '--cache-dir',
          path.join(dir, 'kube-cache'),
          '-n',
          ns,
          'apply',
          '--server-side',
          '--field-manager=bench',
          '-f',
          file,
        ],
        {
          cwd: dir,
          timeoutMs,
        },
      );
    const STEPS = ['install', 'upgrade'];
    const tools = [
      {
        name: 'kc',
        install: (ns) => kc(ns, ['install', RELEASE, chart]),
        upgrade: (ns) => kc(ns, ['upgrade', RELEASE, chart, '--set', set]),
      },
      ...(helm
        ? [
            {
              name: 'helm',
              install: (ns) => helmRun(ns, ['install', RELEASE, helmChart]),
              upgrade: (ns) => helmRun(ns, ['upgrade', RELEASE, helmChart, '--set', set]),
            },
          ]
        : []),
      ...(withKubectl
        ? [{ name: 'kubectl', install: (ns) => apply(ns, file1), upgrade: (ns) => apply(ns, file2) }]
        : []),
    ];
    const samples = Object.fromEntries(tools.map((t) => [t.name, { install: [], upgrade: [] }]));
    const helmFailed = {}; // step → the failure text, once helm failed it (helm is not run again after a failure)
    const terminating = []; // runs timed while earlier namespaces were still being deleted
    const stamp = Date.now().toString(36).slice(-5);

    // Deletes the finished runs' namespaces, then waits (bounded: 100 checks 3 s apart) until none is terminating, so
    // no tool is timed while the control plane deletes thousands of objects.
    const settle = async (what) => {
      if (pending.length) {
        await kctl(['delete', 'namespace', ...pending.splice(0), '--ignore-not-found', '--wait=false']);
      }
      for (let check = 0; check < 100; check++) {
        const phases = (await kctl(['get', 'namespaces', '-o', 'jsonpath={.items[*].status.phase}'])).stdout;
        if (!phases.includes('Terminating')) return;
        if (check === 0) log('  waiting for namespaces still terminating before timing');
        await new Promise((r) => setTimeout(r, 3000));
      }
      terminating.push(what);
      log(`  still terminating after 5 min: ${what} is timed during that cleanup`);
    };
    const revisionOf = async (ns) =>
      (
        await must(
          'read the changing ConfigMap',
          kctl(['-n', ns, 'get', 'configmap', `${RELEASE}-cm-000`, '-o', `jsonpath={.data.${BULK_REVISION.key}}`]),
        )
      ).stdout.trim();
    const countObjects = async (ns) =>
      (await must('list objects', kctl(['-n', ns, 'get', 'configmaps,secrets,services', '-o', 'name']))).stdout
        .split('\n')
        .filter((l) => l.includes(`/${RELEASE}-`)).length;

    for (let i = -1; i < runs; i++) {
      const label = i < 0 ? 'warm-up' : `run ${i + 1}/${runs}`;
      const order = tools.map((_, k) => tools[(k + i + 1) % tools.length]);
      for (const tool of order) {
        if (tool.name === 'helm' && helmFailed.install) continue;
        if (tool.name !== 'kc' && (i < 0 || i >= peerRuns)) continue;
        const firstRun = i === (tool.name === 'kc' ? -1 : 0);
        await settle(`${label} ${tool.name}`);
        const ns = `kc-bench-big-${tool.name}-${i < 0 ? 'w' : i + 1}-${stamp}`;
        namespaces.push(ns);
        pending.push(ns);
        await must(`create namespace ${ns}`, kctl(['create', 'namespace', ns]));
        await new Promise((r) => setTimeout(r, 1000)); // controllers done with the namespace's own objects
        for (const step of STEPS) {
          if (tool.name === 'helm' && helmFailed[step]) continue;
          const cpuBefore = step === 'install' ? clusterCpu?.() : undefined;
          const r = await tool[step](ns);
          if (cpuBefore !== undefined) r.clusterCpuS = clusterCpu() - cpuBefore;
          if (r.code !== 0 || r.timedOut) {
            // helm's failure (its 1 MiB release record) is its result; kc's or kubectl's fails the section.
            if (tool.name !== 'helm') throw new Error(failureText(`${tool.name} ${step}`, r));
            helmFailed[step] = helmWhy(r);
            log(`  ${label} helm ${step} FAILED after ${r.wallS.toFixed(3)} s: ${helmFailed[step]}`);
            break;
          }
          if (i >= 0) samples[tool.name][step].push(r);
          const rss = r.rssKB ? `, peak RSS ${fmtMB(r.rssKB)} MB` : '';
          log(`  ${label} ${tool.name.padEnd(7)} ${step.padEnd(8)} ${r.wallS.toFixed(3)} s${rss}`);
          // Checks, untimed and in each tool's first run only: every object there, the one object changed.
          if (firstRun && step === 'install') {
            const n = await countObjects(ns);
            if (n !== total)
              throw new Error(`${tool.name}: ${n} objects in ${ns} after the install, expected ${total}`);
          }
          if (firstRun && step === 'upgrade' && (await revisionOf(ns)) !== BULK_REVISION.second) {
            throw new Error(`${tool.name}: the upgrade did not change ${RELEASE}-cm-000`);
          }
        }
      }
    }

    // ---- report ------------------------------------------------------------------------------------------------------
    const med = (tool, step) =>
      samples[tool]?.[step]?.length ? median(samples[tool][step].map((r) => r.wallS)) : undefined;
    const helmCell = (step) => (!helm ? 'n/a' : helmFailed[step] ? 'failed' : fmtS(med('helm', step)));
    const ratio = (a, b) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : '—');
    const kcInstalls = samples.kc.install;
    const floorOf = (rs) => (median(rs.map((r) => r.cpuS)) + median(rs.map((r) => r.clusterCpuS))) / cores();
    const canFloor = kcInstalls.every((r) => r.cpuS !== undefined && r.clusterCpuS !== undefined);
    const floorRatio = canFloor ? med('kc', 'install') / floorOf(kcInstalls) : undefined;
    const kcRss = [...samples.kc.install, ...samples.kc.upgrade].map((r) => r.rssKB).filter((x) => x !== undefined);
    const peakKB = kcRss.length ? Math.max(...kcRss) : undefined;
    const missed = [];
    const met = (name, ok) => {
      if (ok === undefined) return 'n/a';
      if (!ok) missed.push(`big ${name}`);
      return ok ? 'yes' : 'MISSED';
    };
    const kubectlCell = (step) => (withKubectl ? fmtS(med('kubectl', step)) : '—');
    const rows = [
      [
        `${total}-object install`,
        fmtS(med('kc', 'install')),
        helmCell('install'),
        kubectlCell('install'),
        ratio(med('kc', 'install'), med('helm', 'install')),
        `wall / floor ≤ ${TARGET_FLOOR_RATIO}× (is ${floorRatio === undefined ? 'n/a' : `${floorRatio.toFixed(2)}×`})`,
        met('install wall / floor', floorRatio === undefined ? undefined : floorRatio <= TARGET_FLOOR_RATIO),
      ],
      [
        'one-object upgrade',
        fmtS(med('kc', 'upgrade')),
        helmCell('upgrade'),
        kubectlCell('upgrade'),
        ratio(med('kc', 'upgrade'), med('helm', 'upgrade')),
        'report',
        '—',
      ],
      [
        'kc peak RSS (MB), install and upgrade',
        fmtMB(peakKB),
        '—',
        '—',
        '—',
        `≤ ${TARGET_RSS_MB} MB`,
        met('kc peak RSS', peakKB === undefined ? undefined : peakKB / 1024 <= TARGET_RSS_MB),
      ],
    ];
    const detail = [];
    for (const tool of tools) {
      for (const step of STEPS) {
        const s = samples[tool.name][step];
        if (!s.length) continue;
        const walls = s.map((r) => r.wallS);
        const cpu = s.map((r) => r.cpuS).filter((x) => x !== undefined);
        const rss = s.map((r) => r.rssKB).filter((x) => x !== undefined);
        detail.push([
          `${tool.name} ${step}`,
          s.length,
          fmtS(Math.min(...walls)),
          fmtS(median(walls)),
          fmtS(Math.max(...walls)),
          cpu.length ? fmtS(median(cpu)) : '—',
          rss.length ? fmtMB(Math.max(...rss)) : '—',
        ]);
      }
    }
    const lines = [
      '',
      `## kc big release — ${total} objects (${counts.configMaps} ConfigMaps, ${counts.secrets} Secrets, ${counts.services} ` +
        `headless Services, ${(yaml1.length / 1e6).toFixed(2)} MB of YAML), local control plane ${serverVersion}, ` +
        `load avg ${load0.toFixed(2)} → ${os.loadavg()[0].toFixed(2)}`,
      '',
      `Wall times (s): kc's are medians of ${runs} runs after one uncounted warm-up round, helm's ` +
        `${peerRuns === 1 ? 'come from one run' : `are medians of ${peerRuns} runs`} (no warm-up), each tool in a fresh ` +
        'namespace per run; ratio = kc / helm.',
      `kc: \`kc install|upgrade --set\`. helm ${helm ? `${HELM_VERSION} (${HELM_PACKAGE})` : `not available (${helmResult.error})`}: ` +
        '`helm install|upgrade --server-side=true --wait=watcher`, chart = the same rendered YAML verbatim.' +
        (withKubectl ? ' kubectl: `apply --server-side -f` of the same YAML (reference, one run).' : ''),
      '',
      table(['row', 'kc', 'helm', 'kubectl', 'kc/helm', 'target', 'met?'], rows, ['l', 'r', 'r', 'r', 'r', 'l', 'l']),
    ];
    for (const [step, why] of Object.entries(helmFailed)) lines.push('', `helm ${step} failed (its result): ${why}`);
    lines.push(
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
    );
    const cpuRows = installCpuRows(Object.fromEntries(tools.map((t) => [t.name, samples[t.name].install])), cores());
    if (cpuRows.length) {
      lines.push(
        '',
        `CPU of a fresh install (medians, s): the tool's own and the control plane's while it ran; on ${cores()} ` +
          `cores no install can take less wall time than their sum / ${cores()} (the floor).`,
        '',
      );
      lines.push(
        table(
          ['tool', 'wall', 'tool CPU', 'control plane CPU', 'sum', `floor (sum / ${cores()})`, 'wall / floor'],
          cpuRows,
          ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
        ),
      );
    } else {
      lines.push('', 'CPU floor unavailable (no GNU time, or the cluster is not the one test/cluster started).');
    }
    if (terminating.length) {
      lines.push(
        '',
        `Note: timed while earlier namespaces were still terminating (after 5 min): ${terminating.join(', ')}.`,
      );
    }
    return { lines, missed };
  } catch (err) {
    const msg = String(err?.message ?? err)
      .split('\n')
      .slice(0, 20)
      .join('\n');
    log(`  big release benchmark failed: ${msg}`);
    return { lines: ['', '## kc big release', '', `FAILED: ${msg}`], missed: ['big release benchmark (failed)'] };
  } finally {
    if (namespaces.length && kubectl && kubeconfig) {
      log(`  deleting ${namespaces.length} namespaces (bounded wait)`);
      const del = await kctl(
        ['delete', 'namespace', ...namespaces, '--ignore-not-found', '--wait=true', '--timeout=90s'],
        {
          timeoutMs: 120_000,
        },
      );
      if (del.code !== 0 || del.timedOut)
        log(`  namespaces not all gone yet (they finish on their own): ${lastLine(del.stderr) || 'timed out'}`);
    }
  }
}
