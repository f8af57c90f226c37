// Runs a command with a hard timeout and measures its wall time (and peak RSS when GNU time is available).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const GNU_TIME = '/usr/bin/time';

// NODE_EXTRA_CA_CERTS makes Node read and parse that file as the process starts, before any of its code runs: set
// to the whole system bundle (as on the machines these benchmarks run on) it adds ~60 ms to every Node process and
// nothing to a Go one. Timed tools run without it, so that kc is measured as it starts on a usual machine; the
// reports say so (nodeStartNote). BENCH_KEEP_NODE_EXTRA_CA_CERTS=1 keeps it.
const KEEP_EXTRA_CA = process.env.BENCH_KEEP_NODE_EXTRA_CA_CERTS === '1';

/** A timed child's environment: this process's without NODE_EXTRA_CA_CERTS (unless `env` sets it), plus `env`. */
export function childEnv(env = {}) {
  const merged = { ...process.env, ...env };
  if (!KEEP_EXTRA_CA && !('NODE_EXTRA_CA_CERTS' in env)) delete merged.NODE_EXTRA_CA_CERTS;
  return merged;
}

/**
 * One line for a report: how long `node -e 0` takes here with and without this machine's NODE_EXTRA_CA_CERTS
 * (medians of 5 each), when it is set; else undefined.
 */
export async function nodeStartNote() {
  const file = process.env.NODE_EXTRA_CA_CERTS;
  if (!file) return undefined;
  const time = async (env) => {
    const walls = [];
    for (let i = 0; i < 5; i++) walls.push((await run(process.execPath, ['-e', '0'], { env, rss: false })).wallS);
    return median(walls);
  };
  const without = await time({});
  const withCa = await time({ NODE_EXTRA_CA_CERTS: file });
  const kept = KEEP_EXTRA_CA ? 'kept for every timed tool (BENCH_KEEP_NODE_EXTRA_CA_CERTS=1)' : 'unset for every timed tool';
  return (
    `Node start (\`node -e 0\`, median of 5): ${without.toFixed(3)} s; ${withCa.toFixed(3)} s with this machine's ` +
    `NODE_EXTRA_CA_CERTS=${file}, which Node parses before running any code: ${kept}.`
  );
}

/** True when /usr/bin/time understands `-f '%M %U %S'` (GNU time), so peak RSS and CPU time can be read. */
export const canMeasureRss = (() => {
  if (!fs.existsSync(GNU_TIME)) return false;
  try {
    const probe = path.join(os.tmpdir(), `kc-bench-time-probe-${process.pid}`);
    const r = spawnSync(GNU_TIME, ['-f', '%M %U %S', '-o', probe, 'true'], { timeout: 5000 });
    const ok = r.status === 0 && /^\d+ [\d.]+ [\d.]+\s*$/.test(fs.readFileSync(probe, 'utf8'));
    fs.rmSync(probe, { force: true });
    return ok;
  } catch {
    return false;
  }
})();

/**
 * Runs `cmd args` in its own process group; kills the whole group after `timeoutMs`.
 * Resolves { wallS, rssKB, cpuS, code, stdout, stderr, timedOut } — never rejects for a failing command.
 * rssKB (peak RSS of the largest process of the tree) and cpuS (user + system of the tree) come from GNU time
 * and are undefined without it. Both only see processes that were waited for: esbuild's service process, which
 * kc leaves to exit on its own, is not included. `onSpawn(child)` is called once the process is started
 * (e.g. to kill a long background build's group when the benchmark itself stops early).
 */
export function run(cmd, args, { cwd, env, timeoutMs = 120_000, rss = true, onSpawn } = {}) {
  const rssFile = rss && canMeasureRss ? path.join(os.tmpdir(), `kc-bench-rss-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined;
  const [file, argv] = rssFile ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, cmd, ...args]] : [cmd, args];
  return new Promise((resolve) => {
    const out = [];
    const err = [];
    const start = process.hrtime.bigint();
    const child = spawn(file, argv, { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    onSpawn?.(child);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const finish = (code) => {
      const wallS = Number(process.hrtime.bigint() - start) / 1e9;
      clearTimeout(timer);
      let rssKB;
      let cpuS;
      if (rssFile) {
        try {
          const m = /(\d+) ([\d.]+) ([\d.]+)\s*$/.exec(fs.readFileSync(rssFile, 'utf8'));
          if (m) {
            rssKB = Number(m[1]);
            cpuS = Number(m[2]) + Number(m[3]);
          }
        } catch {
          /* killed before time wrote it */
        }
        fs.rmSync(rssFile, { force: true });
      }
      resolve({ wallS, rssKB, cpuS, code, timedOut, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    };
    child.on('error', (e) => {
      err.push(Buffer.from(String(e)));
      finish(-1);
    });
    child.on('close', (code) => finish(code));
  });
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Describes a failed run in one paragraph (exit code, tail of stderr). */
export function failureText(label, r) {
  const tail = (r.stderr || r.stdout).trim().split('\n').slice(-15).join('\n');
  return `${label}: ${r.timedOut ? 'timed out' : `exit code ${r.code}`}\n${tail}`;
}

/** A positive whole number from the environment, or `fallback`. */
export const intEnv = (name, fallback) => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : fallback;
};

/** A whole number (0 allowed) from the environment, or `fallback`. */
export const wholeEnv = (name, fallback) => {
  const n = Number.parseInt(process.env[name] ?? '', 10);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

/** The last non-blank line of a command's output, cut to 240 characters. */
export const lastLine = (text) =>
  text
    .trim()
    .split('\n')
    .filter((l) => l.trim())
    .at(-1)
    ?.slice(0, 240) ?? '';

/** The user's cache folder ($XDG_CACHE_HOME or ~/.cache), where heavy builds are kept outside the repo. */
export const CACHE_HOME = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
