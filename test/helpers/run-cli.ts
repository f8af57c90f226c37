import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../../cli/main.js';
import { nodeFileSystem } from '../../src/io/file-system.js';
import type { KcContext } from '../../src/context.js';
import { connectCluster } from '../../src/actions/cluster-session.js';
import { systemClock } from '../../src/clock.js';
import { nodeHttpClient } from '../../src/repo/http.js';

/** The repository root. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A bundle cache shared by the tests of one process. */
const cacheDir = path.join(os.tmpdir(), `kc-test-cache-${process.pid}`);

/** Settings of the tests of one process (repositories), never the user's own. */
const configDir = path.join(os.tmpdir(), `kc-test-config-${process.pid}`);

/** What a CLI run printed and returned. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kc command tree in-process from the repository root. */
export async function runCli(argv: string[], options: { stdin?: string; cwd?: string; ctx?: Partial<KcContext> } = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const ctx: KcContext = {
    cwd: options.cwd ?? repoRoot,
    fs: nodeFileSystem,
    cacheDir,
    readStdin: () => options.stdin ?? '',
    connect: (selector) => connectCluster(selector),
    configDir,
    http: nodeHttpClient(),
    clock: systemClock,
    ...options.ctx,
  };
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), isTTY: false, ctx });
  return { code, stdout, stderr };
}
