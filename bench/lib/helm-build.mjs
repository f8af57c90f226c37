// Builds helm for the release benchmark: `go install` of a pinned version from its Go module, once, into a cache folder
// outside the repo, in the background while the earlier sections run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CACHE_HOME, intEnv, lastLine, run } from './measure.mjs';

// Helm 4.3, the peer kc is measured against. Its flags as the benches use them: `--wait` alone is `--wait=watcher`
// (kstatus), and install applies server-side by default. No section needs Helm 3's behaviour.
export const HELM_VERSION = 'v4.3.2';
export const HELM_PACKAGE = 'helm.sh/helm/v4/cmd/helm';
/** Without it, `helm version` reports the source's default, not the version built. */
const HELM_LDFLAGS = `-X helm.sh/helm/v4/internal/version.version=${HELM_VERSION}`;
/** GOBIN of the helm build, outside the repo; the binary is reused by every later run. */
export const HELM_DIR = path.join(CACHE_HOME, 'kc/bench', `helm-${HELM_VERSION}`);

/**
 * Starts `GOTOOLCHAIN=local GOFLAGS=-mod=mod go install -ldflags <version> helm.sh/helm/v4/cmd/helm@v4.3.2` in the background
 * (GOBIN: a temporary folder renamed to HELM_DIR when complete, so an interrupted build leaves nothing half-made),
 * unless HELM_DIR/helm exists. Returns { bin, building, done, cancel }, `done` resolving to { bin, buildS } or
 * { error }. The build's process group is killed by `cancel()` or if the benchmark exits or is interrupted first.
 */
export function startHelmBuild({ log = () => {}, timeoutMs = intEnv('BENCH_HELM_BUILD_TIMEOUT_S', 1200) * 1000 } = {}) {
  const bin = path.join(HELM_DIR, 'helm');
  if (fs.existsSync(bin)) return { bin, building: false, done: Promise.resolve({ bin }), cancel: () => {} };
  const tmp = `${HELM_DIR}.tmp-${process.pid}`;
  fs.mkdirSync(tmp, { recursive: true });
  log(`helm: building ${HELM_PACKAGE}@${HELM_VERSION} into ${HELM_DIR} in the background (once; takes minutes)`);
  let child;
  let finished = false;
  const kill = () => {
    try {
      if (child && !finished) process.kill(-child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  };
  // The build runs in its own process group: stop it with the benchmark (exit, Ctrl-C, SIGTERM).
  const onSignal = (signal) => {
    kill();
    fs.rmSync(tmp, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  process.on('exit', kill);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const done = run('go', ['install', '-ldflags', HELM_LDFLAGS, `${HELM_PACKAGE}@${HELM_VERSION}`], {
    cwd: os.tmpdir(), // outside any Go module
    env: { GOTOOLCHAIN: 'local', GOFLAGS: '-mod=mod', GOBIN: tmp },
    timeoutMs,
    rss: false,
    onSpawn: (c) => (child = c),
  }).then((r) => {
    finished = true;
    process.off('exit', kill);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    const built = path.join(tmp, 'helm');
    if (r.code === 0 && !r.timedOut && fs.existsSync(built)) {
      try {
        fs.renameSync(tmp, HELM_DIR);
      } catch {
        if (!fs.existsSync(bin)) return { error: `built, but could not move ${tmp} to ${HELM_DIR}` };
      }
      fs.rmSync(tmp, { recursive: true, force: true });
      log(`helm: built in ${r.wallS.toFixed(0)} s`);
      return { bin, buildS: r.wallS };
    }
    fs.rmSync(tmp, { recursive: true, force: true });
    const why = r.timedOut
      ? `timed out after ${(timeoutMs / 1000).toFixed(0)} s`
      : /ENOENT/.test(r.stderr) && r.code === -1
        ? 'go not found on PATH'
        : `exit code ${r.code}: ${lastLine(r.stderr || r.stdout)}`;
    log(`helm: build failed (${why})`);
    return { error: why };
  });
  return { bin, building: true, done, cancel: kill };
}
