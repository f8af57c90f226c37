// kc charts in a real OCI registry (distribution v3 on 127.0.0.1), end to end with the CLI and the local control
// plane: push, pull by tag/range/digest, install/upgrade/rollback from oci://, digests in the records, a moved tag
// in diff, cosign signatures both ways, login with htpasswd over TLS, and the bad inputs of issue #18.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import * as k8s from '@kubernetes/client-node';
import { freshNamespace, kubeconfigPath, makeKubeConfig, statusCode, type TestNamespace } from './helpers/cluster.js';
import { historyOf } from './helpers/kc.js';
import { runCli } from '../helpers/run-cli.js';
import { startRegistry, toolPath, type TestRegistry } from '../helpers/oci-registry.js';
import { tempDir, writeChart } from '../fixtures/artifacts/helpers.js';

let ns: TestNamespace;
let reg: TestRegistry;
let secure: TestRegistry;
const t = tempDir('kc-oci-it-');
const dockerConfig = path.join(t.dir, 'docker');
// This test's own settings, caches and Docker config: nothing of the user's.
const dirs = {
  configDir: path.join(t.dir, 'config'),
  cacheDir: path.join(t.dir, 'cache'),
  registryAuth: { env: { DOCKER_CONFIG: dockerConfig }, home: t.dir },
};
const PASSWORD = 'test-key-password';
const savedPassword = process.env.COSIGN_PASSWORD;

/** kc in-process against the test cluster and namespace. */
const kc = (args: string[], ctx: Partial<typeof dirs> = {}) =>
  runCli([...args, '--kubeconfig', kubeconfigPath(), '-n', ns.name], { cwd: t.dir, ctx: { ...dirs, ...ctx } });
/** kc without cluster flags. */
const kcLocal = (args: string[], options: { stdin?: string; cacheDir?: string } = {}) =>
  runCli(args, {
    cwd: t.dir,
    stdin: options.stdin,
    ctx: { ...dirs, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}) },
  });

/** Runs a Go tool (oras, cosign) with a bounded time; its exit code and output. */
function tool(name: 'oras' | 'cosign', args: string[]): { code: number | null; out: string } {
  const res = spawnSync(toolPath(name), args, {
    cwd: t.dir,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, COSIGN_PASSWORD: PASSWORD, DOCKER_CONFIG: dockerConfig, HOME: t.dir },
  });
  return { code: res.status, out: `${res.stdout}${res.stderr}` };
}

const digestOf = (stdout: string) => /Digest: (sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
const sha256File = (file: string) =>
  crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(t.dir, file)))
    .digest('hex');
const configMap = (name: string) =>
  makeKubeConfig().makeApiClient(k8s.CoreV1Api).readNamespacedConfigMap({ name, namespace: ns.name });
const metadata = async (release: string, revision?: number) =>
  JSON.parse(
    (await kc(['get', 'metadata', release, '-o', 'json', ...(revision ? ['--revision', String(revision)] : [])]))
      .stdout,
  );

beforeAll(async () => {
  process.env.COSIGN_PASSWORD = PASSWORD;
  ns = await freshNamespace('oci');
  reg = await startRegistry();
  secure = await startRegistry({ auth: 'htpasswd', tls: true });
  writeChart(path.join(t.dir, 'mychart'), { name: 'mychart', version: '0.1.0', description: 'My first kc chart.' });
  for (const dir of ['keys', 'other']) {
    fs.mkdirSync(path.join(t.dir, dir));
    const made = spawnSync(toolPath('cosign'), ['generate-key-pair'], {
      cwd: path.join(t.dir, dir),
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, COSIGN_PASSWORD: PASSWORD },
    });
    if (made.status !== 0) throw new Error(`cosign generate-key-pair failed: ${made.stderr}`);
  }
});

afterAll(async () => {
  if (savedPassword === undefined) delete process.env.COSIGN_PASSWORD;
  else process.env.COSIGN_PASSWORD = savedPassword;
  await ns?.cleanup();
  await reg?.stop();
  await secure?.stop();
  t.remove();
});

describe('a kc chart in an OCI registry, end to end', () => {
  let first: string;

  test('push prints the digest; the same chart pushed again has the same digest; oras reads the artifact', async () => {
    const push = await kcLocal(['push', 'mychart', `oci://${reg.host}/charts`, '--plain-http']);
    expect(push.stderr).toBe('');
    expect(push.stdout).toContain(`Pushed: oci://${reg.host}/charts/mychart:0.1.0\n`);
    first = digestOf(push.stdout)!;
    expect(first).toMatch(/^sha256:/);
    // Packaged first, then pushed as a .tgz: the same bytes, the same manifest, the same digest.
    expect((await kcLocal(['package', 'mychart', '-d', 'site'])).code).toBe(0);
    const again = await kcLocal([
      'push',
      'site/mychart-0.1.0.tgz',
      `oci://${reg.host}/charts`,
      '--plain-http',
      '-o',
      'json',
    ]);
    expect(JSON.parse(again.stdout)).toMatchObject({ digest: first, name: 'mychart', version: '0.1.0' });

    const fetched = tool('oras', ['manifest', 'fetch', '--plain-http', `${reg.host}/charts/mychart:0.1.0`]);
    expect(fetched.code).toBe(0);
    const manifest = JSON.parse(fetched.out);
    expect(manifest.artifactType).toBe('application/vnd.kc.chart.v1');
    expect(manifest.config.mediaType).toBe('application/vnd.kc.chart.config.v1+json');
    expect(manifest.layers.map((l: { mediaType: string }) => l.mediaType)).toEqual([
      'application/vnd.kc.chart.content.v1.tar+gzip',
    ]);
    expect(`sha256:${crypto.createHash('sha256').update(fetched.out).digest('hex')}`).toBe(first);
    fs.mkdirSync(path.join(t.dir, 'by-oras'));
    expect(tool('oras', ['pull', '--plain-http', '-o', 'by-oras', `${reg.host}/charts/mychart:0.1.0`]).code).toBe(0);
    expect(sha256File('by-oras/mychart-0.1.0.tgz')).toBe(sha256File('site/mychart-0.1.0.tgz'));
  });

  test('pull by tag, by semver range and by digest; show values reads the config alone', async () => {
    expect((await kcLocal(['package', 'mychart', '--version', '0.2.0', '-d', 'site'])).code).toBe(0);
    expect((await kcLocal(['push', 'site/mychart-0.2.0.tgz', `oci://${reg.host}/charts`, '--plain-http'])).code).toBe(
      0,
    );

    const search = await kcLocal([
      'search',
      'repo',
      `oci://${reg.host}/charts/mychart`,
      '--versions',
      '--plain-http',
      '-o',
      'json',
    ]);
    expect(
      JSON.parse(search.stdout).map((h: { version: string; description: string }) => [h.version, h.description]),
    ).toEqual([
      ['0.2.0', 'My first kc chart.'],
      ['0.1.0', 'My first kc chart.'],
    ]);
    const newest = await kcLocal(['pull', `oci://${reg.host}/charts/mychart`, '--plain-http', '-d', 'newest']);
    expect(newest.stdout).toContain('Pulled mychart 0.2.0 to newest/mychart-0.2.0.tgz');
    const ranged = await kcLocal([
      'pull',
      `oci://${reg.host}/charts/mychart`,
      '--version',
      '~0.1',
      '--plain-http',
      '-d',
      'ranged',
    ]);
    expect(ranged.stdout).toContain('Pulled mychart 0.1.0 to ranged/mychart-0.1.0.tgz');
    expect(ranged.stdout).toContain(`Digest: ${first}`);
    const pinned = await kcLocal(['pull', `oci://${reg.host}/charts/mychart@${first}`, '--plain-http', '-d', 'pinned']);
    expect(pinned.code).toBe(0);
    expect(sha256File('pinned/mychart-0.1.0.tgz')).toBe(sha256File('site/mychart-0.1.0.tgz'));

    // A fresh cache stays without any unpacked chart: show values downloads the config blob, never the code.
    const cacheDir = path.join(t.dir, 'show-cache');
    const values = await kcLocal(
      ['show', 'values', `oci://${reg.host}/charts/mychart`, '--version', '0.1.0', '--plain-http'],
      { cacheDir },
    );
    expect(values.code).toBe(0);
    expect(values.stdout).toContain('greeting: hello');
    expect(fs.existsSync(path.join(cacheDir, 'artifacts'))).toBe(false);
  });

  test('install, upgrade and rollback from oci://; the records carry the digest; diff reports a moved tag', async () => {
    const install = await kc([
      'install',
      'myrel',
      `oci://${reg.host}/charts/mychart`,
      '--version',
      '0.1.0',
      '--plain-http',
      '--set',
      'greeting=hi',
    ]);
    expect(install.stderr).not.toContain('Error');
    expect(install.code).toBe(0);
    expect((await configMap('myrel-mychart')).data).toEqual({ greeting: 'hi' });
    expect(await metadata('myrel')).toMatchObject({
      source: `oci://${reg.host}/charts/mychart:0.1.0`,
      chartDigest: first,
    });

    const upgrade = await kc([
      'upgrade',
      'myrel',
      `oci://${reg.host}/charts/mychart:0.2.0`,
      '--plain-http',
      '--reuse-values',
    ]);
    expect(upgrade.code).toBe(0);
    const second = (await metadata('myrel')).chartDigest;
    expect(second).toMatch(/^sha256:/);
    expect(second).not.toBe(first);

    // The 0.2.0 tag is pushed again with other contents: diff says so, and exits 20 with --exit-code.
    expect(
      (await kcLocal(['package', 'mychart', '--version', '0.2.0', '--app-version', '9.9', '-d', 'moved'])).code,
    ).toBe(0);
    const moved = digestOf(
      (await kcLocal(['push', 'moved/mychart-0.2.0.tgz', `oci://${reg.host}/charts`, '--plain-http'])).stdout,
    );
    const diff = await kc([
      'diff',
      'myrel',
      `oci://${reg.host}/charts/mychart:0.2.0`,
      '--plain-http',
      '--reuse-values',
      '--exit-code',
    ]);
    expect(diff.stdout).toContain(
      `# chart oci://${reg.host}/charts/mychart:0.2.0 moved: deployed from ${second}, now ${moved}`,
    );
    expect(diff.code).toBe(20);

    const history = await kc(['history', 'myrel']);
    expect(history.stdout).toContain('DIGEST');
    expect(history.stdout).toContain(first.slice(0, 19));
    const rollback = await kc(['rollback', 'myrel', '1']);
    expect(rollback.code).toBe(0);
    expect(await metadata('myrel', 3)).toMatchObject({ chartDigest: first });
    expect((await configMap('myrel-mychart')).data).toEqual({ greeting: 'hi' });
  });
});

describe('dependencies from a registry', () => {
  test('kc dependency update locks an oci:// dependency by range, and --verify refuses an unsigned one', async () => {
    writeChart(path.join(t.dir, 'parent'), {
      name: 'parent',
      version: '0.1.0',
      kc: { dependencies: [{ name: 'mychart', version: '~0.1', repository: `oci://${reg.host}/charts` }] },
    });
    const update = await kcLocal(['dependency', 'update', 'parent', '--plain-http']);
    expect(update.stderr).toBe('');
    expect(update.stdout).toContain(`Locked mychart 0.1.0 (~0.1 from oci://${reg.host}/charts)`);
    const lock = JSON.parse(fs.readFileSync(path.join(t.dir, 'parent/kc.lock.json'), 'utf8'));
    expect(lock.dependencies).toEqual([
      {
        name: 'mychart', version: '0.1.0', range: '~0.1', repository: `oci://${reg.host}/charts`,
        digest: sha256File('site/mychart-0.1.0.tgz'),
      },
    ]);
    expect(sha256File('parent/charts/mychart-0.1.0.tgz')).toBe(sha256File('site/mychart-0.1.0.tgz'));
    expect((await kcLocal(['package', 'parent', '-d', 'site'])).code).toBe(0);
    const verified = await kcLocal(['dependency', 'update', 'parent', '--plain-http', '--verify', '--key', 'keys/cosign.pub']);
    expect(verified.code).toBe(8);
    expect(verified.stderr).toContain('Error [SIGNATURE_INVALID]');
  });
});

describe('signatures cosign makes and verifies', () => {
  let signed: string;

  test('kc push --sign: cosign verify --key accepts it, and kc install --verify installs it', async () => {
    const push = await kcLocal([
      'push',
      'site/mychart-0.1.0.tgz',
      `oci://${reg.host}/signed`,
      '--plain-http',
      '--sign',
      '--key',
      'keys/cosign.key',
    ]);
    expect(push.stderr).toBe('');
    expect(push.stdout).toContain('Signed: ');
    signed = digestOf(push.stdout)!;
    const verify = tool('cosign', [
      'verify',
      '--key',
      'keys/cosign.pub',
      '--insecure-ignore-tlog=true',
      '--allow-http-registry',
      `${reg.host}/signed/mychart@${signed}`,
    ]);
    expect(verify.out).toContain('The signatures were verified against the specified public key');
    expect(verify.code).toBe(0);

    const install = await kc([
      'install',
      'signed',
      `oci://${reg.host}/signed/mychart`,
      '--plain-http',
      '--verify',
      '--key',
      'keys/cosign.pub',
    ]);
    expect(install.stderr).not.toContain('Error');
    expect(install.code).toBe(0);
  });

  test('cosign sign --key (its default bundle format, and the legacy .sig): kc verifies both', async () => {
    for (const [repo, extra] of [
      ['cosigned', []],
      ['legacy', ['--new-bundle-format=false']],
    ] as const) {
      const push = await kcLocal(['push', 'site/mychart-0.1.0.tgz', `oci://${reg.host}/${repo}`, '--plain-http']);
      const digest = digestOf(push.stdout)!;
      const sign = tool('cosign', [
        'sign',
        '--key',
        'keys/cosign.key',
        '--tlog-upload=false',
        '--use-signing-config=false',
        '--allow-http-registry',
        '-y',
        ...extra,
        `${reg.host}/${repo}/mychart@${digest}`,
      ]);
      expect(sign.code).toBe(0);
      const pull = await kcLocal([
        'pull',
        `oci://${reg.host}/${repo}/mychart:0.1.0`,
        '--plain-http',
        '--verify',
        '--key',
        'keys/cosign.pub',
        '-d',
        repo,
      ]);
      expect(pull.stderr).toBe('');
      expect(pull.code).toBe(0);
    }
  });

  test('unsigned, signed by another key, or a tag moved after signing: refused with exit 8, nothing installed', async () => {
    const unsigned = await kc([
      'install',
      'nosig',
      `oci://${reg.host}/charts/mychart:0.1.0`,
      '--plain-http',
      '--verify',
      '--key',
      'keys/cosign.pub',
    ]);
    expect(unsigned.code).toBe(8);
    expect(unsigned.stderr).toContain('Error [SIGNATURE_INVALID]');
    expect(unsigned.stderr).toContain('unsigned');

    const otherKey = await kc([
      'install',
      'nosig',
      `oci://${reg.host}/signed/mychart:0.1.0`,
      '--plain-http',
      '--verify',
      '--key',
      'other/cosign.pub',
    ]);
    expect(otherKey.code).toBe(8);
    expect(otherKey.stderr).toContain('none valid for key');

    // Someone pushes other contents under the signed tag: the signature covers the old digest only.
    expect((await kcLocal(['push', 'moved/mychart-0.2.0.tgz', `oci://${reg.host}/signed`, '--plain-http'])).code).toBe(
      0,
    );
    const tampered = await kc([
      'install',
      'nosig',
      `oci://${reg.host}/signed/mychart:0.2.0`,
      '--plain-http',
      '--verify',
      '--key',
      'keys/cosign.pub',
    ]);
    expect(tampered.code).toBe(8);
    expect(tampered.stderr).toContain('Error [SIGNATURE_INVALID]');

    // An environment that requires signatures: --env prod refuses the unsigned chart even without --verify.
    fs.mkdirSync(path.join(t.dir, 'proj'));
    fs.writeFileSync(
      path.join(t.dir, 'proj/kc.config.ts'),
      "export default { app: './app.ts', environments: { prod: { verify: { keys: ['../keys/cosign.pub'] } } } };\n",
    );
    const envRequired = await kc([
      'install',
      'nosig',
      `oci://${reg.host}/charts/mychart:0.1.0`,
      '--plain-http',
      '--env',
      'prod',
      '--project',
      'proj',
    ]);
    expect(envRequired.code).toBe(8);
    expect(envRequired.stderr).toContain('Error [SIGNATURE_INVALID]');
    const envSigned = await kc([
      'install',
      'envsig',
      `oci://${reg.host}/signed/mychart@${signed}`,
      '--plain-http',
      '--env',
      'prod',
      '--project',
      'proj',
    ]);
    expect(envSigned.stderr).not.toContain('Error');
    expect(envSigned.code).toBe(0);

    expect((await kc(['history', 'nosig'])).code).toBe(3);
    expect(
      await configMap('nosig-mychart').then(
        () => 200,
        (err: unknown) => statusCode(err),
      ),
    ).toBe(404);
  });
});

describe('a registry with htpasswd authentication and TLS', () => {
  test('refusals name the fix; login stores the credentials; --ca-file and --insecure-skip-tls-verify', async () => {
    fs.writeFileSync(path.join(t.dir, 'ca.pem'), secure.caPem!);
    const target = `oci://${secure.host}/charts`;
    const anonymous = await kcLocal(['push', 'site/mychart-0.1.0.tgz', target, '--ca-file', 'ca.pem']);
    expect(anonymous.code).toBe(5);
    expect(anonymous.stderr).toContain('Error [REGISTRY_AUTH_FAILED]');
    expect(anonymous.stderr).toContain(`kc registry login ${secure.host}`);

    const wrong = await kcLocal(
      ['registry', 'login', secure.host, '-u', secure.username!, '--password-stdin', '--ca-file', 'ca.pem'],
      { stdin: 'wrong\n' },
    );
    expect(wrong.code).toBe(5);
    expect(fs.existsSync(path.join(dockerConfig, 'config.json'))).toBe(false);
    const login = await kcLocal(
      ['registry', 'login', secure.host, '-u', secure.username!, '--password-stdin', '--ca-file', 'ca.pem'],
      { stdin: `${secure.password}\n` },
    );
    expect(login.stdout).toContain('Login Succeeded');
    const stored = JSON.parse(fs.readFileSync(path.join(dockerConfig, 'config.json'), 'utf8'));
    expect(Object.keys(stored.auths)).toEqual([secure.host]);
    expect(fs.statSync(path.join(dockerConfig, 'config.json')).mode & 0o777).toBe(0o600);

    const untrusted = await kcLocal(['push', 'site/mychart-0.1.0.tgz', target]);
    expect(untrusted.code).toBe(5);
    expect(untrusted.stderr).toContain('Error [TLS_FAILED]');
    const push = await kcLocal(['push', 'site/mychart-0.1.0.tgz', target, '--ca-file', 'ca.pem']);
    expect(push.stderr).toBe('');
    expect(digestOf(push.stdout)).toBe(first());
    const pull = await kcLocal(['pull', `${target}/mychart:0.1.0`, '--insecure-skip-tls-verify', '-d', 'secure']);
    expect(pull.code).toBe(0);
    // The password went to the Docker config only: never to output.
    expect(`${login.stdout}${login.stderr}${push.stdout}${pull.stdout}`).not.toContain(secure.password!);

    const logout = await kcLocal(['registry', 'logout', secure.host]);
    expect(logout.stdout).toContain(`Removing login credentials for ${secure.host}`);
    expect((await kcLocal(['pull', `${target}/mychart:0.1.0`, '--ca-file', 'ca.pem', '-d', 'after'])).code).toBe(5);
  });
});

/** The digest of mychart 0.1.0 as pushed: the same in every registry. */
function first(): string {
  const manifest = tool('oras', ['manifest', 'fetch', '--plain-http', `${reg.host}/charts/mychart:0.1.0`]).out;
  return `sha256:${crypto.createHash('sha256').update(manifest).digest('hex')}`;
}

describe('bad input: a clear error, nothing installed, nothing cached', () => {
  test('an unknown registry, a missing chart, and a --version that is not semver', async () => {
    const closed = await kcLocal(['pull', 'oci://127.0.0.1:1/charts/mychart:0.1.0', '--plain-http']);
    expect(closed.code).toBe(5);
    expect(closed.stderr).toContain('Error [FETCH_FAILED]');
    const missing = await kcLocal(['pull', `oci://${reg.host}/charts/nothere:1.0.0`, '--plain-http']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('Error [CHART_NOT_FOUND]');
    const notSemver = await kcLocal([
      'pull',
      `oci://${reg.host}/charts/mychart`,
      '--version',
      'latest',
      '--plain-http',
    ]);
    expect(notSemver.code).toBe(2);
    expect(notSemver.stderr).toContain('--version latest');
    const bothVersions = await kcLocal([
      'pull',
      `oci://${reg.host}/charts/mychart:0.1.0`,
      '--version',
      '0.2.0',
      '--plain-http',
    ]);
    expect(bothVersions.code).toBe(2);
  });

  test('a Helm chart and a container image in the registry are named as what they are', async () => {
    fs.writeFileSync(
      path.join(t.dir, 'Chart.json'),
      JSON.stringify({ apiVersion: 'v2', name: 'nginx', version: '1.0.0' }),
    );
    fs.writeFileSync(path.join(t.dir, 'nginx-1.0.0.tgz'), 'not really a chart');
    const helm = tool('oras', [
      'push',
      '--plain-http',
      `${reg.host}/helm/nginx:1.0.0`,
      '--config',
      'Chart.json:application/vnd.cncf.helm.config.v1+json',
      'nginx-1.0.0.tgz:application/vnd.cncf.helm.chart.content.v1.tar+gzip',
    ]);
    expect(helm.code).toBe(0);
    const cacheDir = path.join(t.dir, 'bad-cache');
    const pulledHelm = await kcLocal(['pull', `oci://${reg.host}/helm/nginx:1.0.0`, '--plain-http', '-d', 'helm'], {
      cacheDir,
    });
    expect(pulledHelm.code).toBe(8);
    expect(pulledHelm.stderr).toContain('Error [ARTIFACT_INVALID]');
    expect(pulledHelm.stderr).toMatch(/Helm chart/);

    fs.writeFileSync(
      path.join(t.dir, 'image.json'),
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }),
    );
    const image = tool('oras', [
      'push',
      '--plain-http',
      `${reg.host}/images/app:1.0.0`,
      '--config',
      'image.json:application/vnd.oci.image.config.v1+json',
      'nginx-1.0.0.tgz:application/vnd.oci.image.layer.v1.tar+gzip',
    ]);
    expect(image.code).toBe(0);
    const installImage = await kc(['install', 'image', `oci://${reg.host}/images/app:1.0.0`, '--plain-http'], {
      cacheDir,
    });
    expect(installImage.code).toBe(8);
    expect(installImage.stderr).toMatch(/container image/);
    expect((await kc(['history', 'image'])).code).toBe(3);
    expect(fs.existsSync(path.join(t.dir, 'helm'))).toBe(false);
    expect(fs.existsSync(path.join(cacheDir, 'artifacts'))).toBe(false);
  });
});
