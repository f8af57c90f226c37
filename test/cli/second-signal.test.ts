// A second Ctrl-C (or SIGTERM) ends kc at once, when what the first one started cannot finish: here a credential
// plugin that waits for input kc never gives keeps the process alive after the first.
import { describe, expect, test } from '@jest/globals';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPortExecKubeconfig } from '../helpers/closed-port-kubeconfig.js';
import { repoRoot } from '../helpers/run-cli.js';

/** Resolves once `check` holds, polling every 50 ms; false after `ms`. */
async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('a second signal', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    '%s twice exits with INTERRUPTED and says what is left',
    async (signal) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-signal-'));
      const plugin = path.join(dir, 'waiting-plugin.sh');
      const started = path.join(dir, 'started');
      fs.writeFileSync(plugin, `#!/bin/sh\ntouch '${started}'\nread line\n`, { mode: 0o755 });
      const kubeconfig = closedPortExecKubeconfig(path.join(dir, 'kubeconfig'), plugin);
      const kc = spawn(
        process.execPath,
        [path.join(repoRoot, 'bin/kc.cjs'), 'status', 'app', '--kubeconfig', kubeconfig],
        {
          env: { ...process.env, KC_CACHE_DIR: path.join(dir, 'cache') },
        },
      );
      let stderr = '';
      kc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => kc.on('exit', (code) => resolve(code)));
      let code: number | null | undefined;
      void exited.then((c) => (code = c));
      try {
        expect(await until(() => fs.existsSync(started), 15_000)).toBe(true);
        kc.kill(signal);
        // The first signal is taken (the command is stopped), but the plugin it waits on keeps the process alive; after
        // 2 s kc says it is still stopping, and how to leave now.
        expect(await until(() => stderr.includes(`${signal} again exits at once`), 10_000)).toBe(true);
        expect(stderr).toContain(`kc: stopping after ${signal}: finishing the clean-up`);
        expect(code).toBeUndefined();
        kc.kill(signal);
        expect(await until(() => code !== undefined, 5000)).toBe(true);
        expect(code).toBe(7);
        expect(stderr).toContain(
          `kc: ${signal} again: exiting before the clean-up finished; a revision it was writing`,
        );
      } finally {
        kc.kill('SIGKILL');
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    30_000,
  );
});
