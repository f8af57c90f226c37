// Golden YAML of `kc gitops export` for both engines. `npm run golden:update` rewrites the files; review the diff.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { repoRoot, runCli } from '../helpers/run-cli.js';

const project = 'test/fixtures/gitops-fleet';
const digest = 'sha256:4a5f2c0e6b8d1f3a7c9e0b2d4f6a8c1e3b5d7f9a0c2e4b6d8f1a3c5e7b9d0f2a';

/** [golden file name, kc gitops export arguments] */
const cases: [string, string[]][] = [
  ['gitops-fleet-staging-flux', [project, '--env', 'staging']],
  ['gitops-fleet-prod-flux', [project, '--env', 'prod', '--digest', digest]],
  ['gitops-fleet-staging-argocd', [project, '--env', 'staging', '--engine', 'argocd']],
  [
    'gitops-fleet-prod-argocd',
    [project, '--env', 'prod', '--engine', 'argocd', '--digest', digest,
      '--app-of-apps', 'https://git.example.com/fleet.git', '--app-of-apps-path', 'clusters/prod'],
  ],
];

describe('kc gitops export golden YAML', () => {
  test.each(cases)('%s', async (name, args) => {
    const { code, stdout, stderr } = await runCli(['gitops', 'export', ...args]);
    // Argo CD cannot decrypt the SOPS Secrets kc publishes: the db release (MySQL) has one, and the export says so.
    const warning = args.includes('argocd')
      ? "warning: release db has 1 Secret(s): kc publish encrypts them with SOPS, which Argo CD's OCI source does " +
        'not decrypt; give Argo CD a SOPS-capable plugin, or keep Secrets out of the app (External Secrets)\n'
      : args.includes('staging')
        ? 'warning: release(s) db have Secrets and the environment sets no gitops.sops: kc publish will refuse ' +
          'them (Secrets never reach a registry in plain text)\n'
        : '';
    expect(stderr).toBe(warning);
    expect(code).toBe(0);
    const file = path.join(repoRoot, 'test/golden', `${name}.yaml`);
    if (process.env.KC_UPDATE_GOLDEN || !fs.existsSync(file)) fs.writeFileSync(file, stdout);
    expect(stdout).toBe(fs.readFileSync(file, 'utf8'));
  });

  test('the output is the same on every run (deterministic)', async () => {
    const args = ['gitops', 'export', project, '--env', 'prod', '--digest', digest];
    expect((await runCli(args)).stdout).toBe((await runCli(args)).stdout);
  });
});
