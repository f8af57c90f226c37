// kc gitops export's Flux objects against the real Flux CRDs (installed by test/flux/flux.sh up): a server-side
// dry-run apply with strict field validation accepts every object, so no field is misspelt, mistyped or unknown to
// source-controller v1 and kustomize-controller v1. A misspelt field is refused the same way (the check is real).
import { execFile } from 'node:child_process';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments, stringify } from 'yaml';
import { ensureFlux } from '../helpers/flux.js';
import { runCli } from '../helpers/run-cli.js';
import { kubeconfigPath } from './helpers/cluster.js';
import { kubectlPath } from './helpers/kubectl.js';

const project = 'test/fixtures/gitops-fleet';
const digest = 'sha256:4a5f2c0e6b8d1f3a7c9e0b2d4f6a8c1e3b5d7f9a0c2e4b6d8f1a3c5e7b9d0f2a';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any };

let kubectl: string;

/** `kubectl apply --server-side --dry-run=server --validate=strict` of `objects`; nothing is stored. */
function dryRunStrict(objects: Obj[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['apply', '--server-side', '--dry-run=server', '--validate=strict', '--field-manager=kc-test'];
  return new Promise((resolve) => {
    const child = execFile(
      kubectl,
      [...args, '-f', '-'],
      { env: { ...process.env, KUBECONFIG: kubeconfigPath() }, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin!.end(objects.map((o) => stringify(o)).join('---\n'));
  });
}

/** The exported objects, moved into flux-system (which flux.sh creates) so the dry run needs no other namespace. */
async function exported(args: string[]): Promise<Obj[]> {
  const run = await runCli(['gitops', 'export', project, ...args]);
  expect(run.code).toBe(0);
  const objects = parseAllDocuments(run.stdout).map((d) => d.toJS() as Obj);
  for (const o of objects) if (o.kind !== 'Namespace') o.metadata.namespace = 'flux-system';
  return objects;
}

beforeAll(async () => {
  await ensureFlux();
  kubectl = kubectlPath();
}, 600_000);

describe('kc gitops export against the Flux CRDs', () => {
  it.each([
    ['staging (tag, no verification)', ['--env', 'staging']],
    ['prod (digest, insecure, cosign verify, sops decryption)', ['--env', 'prod', '--digest', digest]],
  ])('%s: every object passes strict server-side validation', async (_name, args) => {
    const objects = await exported(args);
    expect(objects.map((o) => o.kind)).toEqual(expect.arrayContaining(['OCIRepository', 'Kustomization']));
    const run = await dryRunStrict(objects);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(objects.length);
    expect(run.stdout).not.toContain('Warning');
  });

  it('a misspelt field is refused by the same check', async () => {
    const objects = await exported(['--env', 'prod', '--digest', digest]);
    const kustomization = objects.find((o) => o.kind === 'Kustomization')!;
    kustomization.spec.dependsOnn = kustomization.spec.dependsOn ?? [];
    const run = await dryRunStrict([kustomization]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/\.spec\.dependsOnn: field not declared in schema/);
  });
});
