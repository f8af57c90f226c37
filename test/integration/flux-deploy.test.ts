// kc deploy --env prod with engine flux, against the real Flux controllers (test/flux/flux.sh), a real registry and
// the local control plane: examples/webapp-with-db published (Secrets SOPS-encrypted, the artifact signed), applied
// by Flux db first, equal to kc synth; a values change is a new digest; rollback restores the first; a failing
// health check shows with Flux's reason; a tampered artifact is refused by source-controller's verification.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import YAML from 'yaml';
import { freshNamespace, kubeconfigPath, makeKubeConfig, waitFor, type TestNamespace } from './helpers/cluster.js';
import { ensureFlux, fluxToolPath, readFluxObject, waitForFluxCondition, type FluxHandle } from '../helpers/flux.js';
import { startRegistry, type TestRegistry } from '../helpers/oci-registry.js';
import { repoRoot, runCli } from '../helpers/run-cli.js';
import { writeKeyPair } from '../../src/oci/cosign-key.js';
import { registryClient } from '../../src/oci/registry-client.js';
import { gitopsName } from '../../src/gitops/names.js';

const PASSWORD = 'flux-deploy-key';
/** Each step waits for Flux (intervals of seconds, health checks): bounded well above what it takes. */
const FLUX_TEST_MS = 300_000;
const savedPassword = process.env.COSIGN_PASSWORD;
const project = `fluxit-${crypto.randomBytes(3).toString('hex')}`;
let flux: FluxHandle;
let reg: TestRegistry;
let ns: TestNamespace;
let dir: string;
const kc8s = makeKubeConfig();
const core = kc8s.makeApiClient(k8s.CoreV1Api);
const apps = kc8s.makeApiClient(k8s.AppsV1Api);
const pv = `${project}-db`;

/** kc in-process in the test project, against the test cluster. */
const kc = (args: string[]) => runCli([...args, '--kubeconfig', kubeconfigPath()], { cwd: dir });
const kustomization = (release: string) => ({
  kind: 'Kustomization',
  namespace: 'flux-system',
  name: gitopsName(project, 'prod', release),
});
const source = { kind: 'OCIRepository', namespace: 'flux-system', name: gitopsName(project, 'prod') };
const digestOf = (stdout: string) => /Digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
const webEnv = async () =>
  Object.fromEntries(
    (
      (await apps.readNamespacedDeployment({ name: 'web-webapp', namespace: ns.name })).spec?.template.spec
        ?.containers[0].env ?? []
    ).map((e) => [e.name, e.value]),
  );

beforeAll(async () => {
  process.env.COSIGN_PASSWORD = PASSWORD;
  flux = await ensureFlux();
  reg = await startRegistry();
  ns = await freshNamespace('kc-flux-deploy');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-flux-deploy-'));
  // The example app, its chart imports pointed at this checkout's charts.
  const example = path.join(repoRoot, 'examples/webapp-with-db');
  fs.cpSync(example, dir, { recursive: true });
  const app = fs.readFileSync(path.join(dir, 'app.ts'), 'utf8').replaceAll("'../../charts/", `'${repoRoot}/charts/`);
  fs.writeFileSync(path.join(dir, 'app.ts'), app);
  // An age identity for SOPS (kustomize-controller decrypts with it) and a cosign key the artifact is signed with.
  const age = spawnSync(fluxToolPath('age-keygen'), [], { encoding: 'utf8', timeout: 30_000 });
  const identity = age.stdout.split('\n').find((l) => l.startsWith('AGE-SECRET-KEY-'))!;
  const recipient = /age1[0-9a-z]+/.exec(age.stdout + age.stderr)![0];
  await writeKeyPair(path.join(dir, 'cosign'), PASSWORD);
  const config = fs
    .readFileSync(path.join(dir, 'kc.config.ts'), 'utf8')
    .replace("app: './app.ts',", `name: '${project}',\n  app: './app.ts',`)
    .replace("namespace: 'webapp-prod',", `namespace: '${ns.name}',`)
    .replace(
      "valuesFiles: ['values/prod.yaml'],",
      `valuesFiles: ['values/prod.yaml'],
      engine: 'flux',
      gitops: {
        repository: 'oci://${reg.host}/envs/${project}', insecure: true, interval: '10s',
        sign: { key: 'cosign.key' }, sops: { age: ['${recipient}'] },
      },`,
    );
  fs.writeFileSync(path.join(dir, 'kc.config.ts'), config);
  await core.createNamespacedSecret({
    namespace: 'flux-system',
    body: {
      metadata: { name: gitopsName(project, 'prod', 'sops-age') },
      stringData: { 'age.agekey': `${identity}\n` },
    },
  });
  // The db's claim needs a volume: this cluster has no provisioner, so one is made for it.
  await core.createPersistentVolume({
    body: {
      metadata: { name: pv },
      spec: {
        capacity: { storage: '20Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: `/tmp/${pv}` },
        claimRef: { namespace: ns.name, name: 'db-mysql' },
      },
    },
  });
}, 600_000);

afterAll(async () => {
  if (savedPassword === undefined) delete process.env.COSIGN_PASSWORD;
  else process.env.COSIGN_PASSWORD = savedPassword;
  const custom = kc8s.makeApiClient(k8s.CustomObjectsApi);
  // Kustomizations first (Flux prunes their objects and removes its finalizers), then the source; bounded waits.
  for (const release of ['web', 'db']) {
    const ref = kustomization(release);
    await custom
      .deleteNamespacedCustomObject({
        group: 'kustomize.toolkit.fluxcd.io',
        version: 'v1',
        namespace: ref.namespace,
        plural: 'kustomizations',
        name: ref.name,
      })
      .catch(() => undefined);
    await waitFor(async () => (await readFluxObject(ref, kc8s)) === undefined, {
      timeoutMs: 60_000,
      description: `${ref.name} deleted`,
    }).catch(() => undefined);
  }
  await custom
    .deleteNamespacedCustomObject({
      group: 'source.toolkit.fluxcd.io',
      version: 'v1',
      namespace: 'flux-system',
      plural: 'ocirepositories',
      name: source.name,
    })
    .catch(() => undefined);
  for (const name of [gitopsName(project, 'prod', 'sops-age'), gitopsName(project, 'prod', 'cosign')]) {
    await core.deleteNamespacedSecret({ namespace: 'flux-system', name }).catch(() => undefined);
  }
  await core
    .deleteNamespacedConfigMap({ namespace: 'flux-system', name: `kc.gitops.${project}.prod` })
    .catch(() => undefined);
  await core.deletePersistentVolume({ name: pv }).catch(() => undefined);
  await ns?.cleanup();
  await reg?.stop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}, 300_000);

describe('kc deploy --env prod delivered by Flux', () => {
  let first: string;

  test(
    'both Kustomizations Ready, the db first; the cluster holds what kc synth renders, Secrets decrypted',
    async () => {
      const deploy = await kc(['deploy', '.', '--env', 'prod', '--timeout', '90s']);
      expect(deploy.stderr).not.toContain('Error');
      expect(deploy.code).toBe(0);
      first = digestOf(deploy.stdout)!;
      expect(deploy.stdout).toContain('db: ready');
      expect(deploy.stdout).toContain('web: ready');

      const web = await readFluxObject(kustomization('web'), kc8s);
      expect((web!.spec.dependsOn as { name: string }[]).map((d) => d.name)).toEqual([kustomization('db').name]);
      // The order, from Flux's own events (a Ready condition's lastTransitionTime moves with later reconciliations):
      // web waited for db (DependencyNotReady), and applied its objects no sooner than db first succeeded.
      const events = async (release: string) =>
        (
          await core.listNamespacedEvent({
            namespace: 'flux-system',
            fieldSelector: `involvedObject.name=${kustomization(release).name}`,
          })
        ).items;
      const firstAt = (items: k8s.CoreV1Event[], match: (e: k8s.CoreV1Event) => boolean) =>
        Math.min(...items.filter(match).map((e) => new Date(e.firstTimestamp ?? e.eventTime ?? 0).getTime()));
      const dbEvents = await events('db');
      const webEvents = await events('web');
      expect(webEvents.some((e) => e.reason === 'DependencyNotReady')).toBe(true);
      const dbSucceeded = firstAt(dbEvents, (e) => e.reason === 'ReconciliationSucceeded');
      const webApplied = firstAt(webEvents, (e) => /created|configured/.test(e.message ?? ''));
      expect(Number.isFinite(dbSucceeded) && Number.isFinite(webApplied)).toBe(true);
      expect(dbSucceeded).toBeLessThanOrEqual(webApplied);
      const src = await readFluxObject(source, kc8s);
      expect(src!.spec.ref).toEqual({ digest: first });
      expect((src!.spec.verify as { provider: string }).provider).toBe('cosign');

      // What synth renders for prod is what Flux applied: the Secret's data (decrypted in-cluster), the web app's env.
      const synth = await runCli(['synth', '.', '--env', 'prod'], { cwd: dir });
      type Rendered = { kind: string; metadata: { name: string }; data?: Record<string, string> };
      const objects = YAML.parseAllDocuments(synth.stdout).map((d) => d.toJSON() as Rendered);
      const secret = objects.find((o) => o.kind === 'Secret' && o.metadata.name === 'db-mysql')!;
      const live = await core.readNamespacedSecret({ name: 'db-mysql', namespace: ns.name });
      expect(live.data).toEqual(secret.data);
      expect(await webEnv()).toMatchObject({ LOG_LEVEL: 'info', DATABASE_HOST: 'db-mysql' });
    },
    FLUX_TEST_MS,
  );

  test(
    'deployed again unchanged: the same digest (Secrets included), no new revision, Flux still Ready',
    async () => {
      const again = await kc(['deploy', '.', '--env', 'prod', '--timeout', '90s']);
      expect(again.stderr).not.toContain('Error');
      expect(again.code).toBe(0);
      expect(digestOf(again.stdout)).toBe(first);
      expect(again.stdout).toContain('Unchanged: revision 1 runs this digest already');
      expect(again.stdout).toContain('web: ready');
      const history = JSON.parse((await kc(['history', '--env', 'prod', '-o', 'json'])).stdout);
      expect(history.map((r: { revision: number; status: string }) => [r.revision, r.status])).toEqual([
        [1, 'deployed'],
      ]);
    },
    FLUX_TEST_MS,
  );

  test(
    'a values change rolls out as a new digest; kc history lists both',
    async () => {
      const deploy = await kc(['deploy', '.', '--env', 'prod', '--set', 'web.env.LOG_LEVEL=debug', '--timeout', '90s']);
      expect(deploy.code).toBe(0);
      const second = digestOf(deploy.stdout)!;
      expect(second).not.toBe(first);
      await waitFor(async () => (await webEnv()).LOG_LEVEL === 'debug', {
        timeoutMs: 60_000,
        description: 'LOG_LEVEL debug',
      });
      const history = JSON.parse((await kc(['history', '--env', 'prod', '-o', 'json'])).stdout);
      expect(history.map((r: { revision: number; status: string }) => [r.revision, r.status])).toEqual([
        [1, 'superseded'],
        [2, 'deployed'],
      ]);
    },
    FLUX_TEST_MS,
  );

  test(
    'kc rollback --env prod 1 points Flux back at the first digest and restores its objects',
    async () => {
      const rollback = await kc(['rollback', '--env', 'prod', '1', '--timeout', '90s']);
      expect(rollback.stderr).not.toContain('Error');
      expect(rollback.code).toBe(0);
      expect(rollback.stdout).toContain(`back to revision 1: ${first}`);
      expect((await readFluxObject(source, kc8s))!.spec.ref).toEqual({ digest: first });
      await waitFor(async () => (await webEnv()).LOG_LEVEL === 'info', {
        timeoutMs: 60_000,
        description: 'LOG_LEVEL info',
      });
    },
    FLUX_TEST_MS,
  );

  test(
    "a failing health check ends the deploy with Flux's reason, and kc status shows it",
    async () => {
      const deploy = await kc([
        'deploy',
        '.',
        '--env',
        'prod',
        '--set',
        'web.resources.requests.cpu=500',
        '--timeout',
        '20s',
      ]);
      expect(deploy.code).toBe(7);
      expect(deploy.stderr).toContain('Error [NOT_READY]');
      expect(deploy.stderr).toContain('web: HealthCheckFailed');
      const status = await kc(['status', '--env', 'prod']);
      expect(status.code).toBe(7);
      expect(status.stdout).toMatch(/web: failed \(HealthCheckFailed\)/);
      expect(status.stdout).toMatch(/REVISION: \d+ \(deploy failed\)/);
      expect(status.stdout).toContain('STATE: not ready (1 of 2 releases ready at this digest)');
      // Back to a healthy revision for the next test; status then says the deploy completed and all is ready.
      expect((await kc(['rollback', '--env', 'prod', '1', '--timeout', '90s'])).code).toBe(0);
      const healthy = await kc(['status', '--env', 'prod']);
      expect(healthy.code).toBe(0);
      expect(healthy.stdout).toMatch(/REVISION: \d+ \(deploy complete\)/);
      expect(healthy.stdout).toContain('STATE: ready (2 of 2 releases ready at this digest)');
    },
    FLUX_TEST_MS,
  );

  test(
    "an artifact nobody signed is refused by source-controller's verification",
    async () => {
      // Someone changes what the source points at to a manifest that is not the signed one.
      const client = registryClient({
        connection: { plainHttp: true },
        credentials: { get: async () => undefined },
        env: {},
      });
      const repo = { registry: reg.host, repository: `envs/${project}` };
      const manifest = JSON.parse((await client.getManifest(repo, first))!.bytes.toString('utf8'));
      manifest.annotations = { ...manifest.annotations, 'tampered-by': 'test' };
      const tampered = await client.putManifest(
        repo,
        'tampered',
        Buffer.from(JSON.stringify(manifest)),
        manifest.mediaType,
      );
      const custom = kc8s.makeApiClient(k8s.CustomObjectsApi);
      await custom.patchNamespacedCustomObject(
        {
          group: 'source.toolkit.fluxcd.io',
          version: 'v1',
          namespace: 'flux-system',
          plural: 'ocirepositories',
          name: source.name,
          body: { spec: { ref: { digest: tampered } } },
        },
        k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
      );
      const refused = await waitForFluxCondition(source, 'SourceVerified', 'False', {
        timeoutMs: 90_000,
        flux,
        kc: kc8s,
      });
      expect(refused.status!.conditions!.find((c) => c.type === 'SourceVerified')!.reason).toBe('VerificationError');
      // kc puts it back to the signed digest.
      expect((await kc(['rollback', '--env', 'prod', '1', '--timeout', '90s'])).code).toBe(0);
    },
    FLUX_TEST_MS,
  );
});
