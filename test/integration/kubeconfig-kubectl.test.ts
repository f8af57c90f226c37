// kc resolves every kubeconfig as kubectl does: the same context, cluster, server, user and namespace as
// `kubectl config view --merge --minify --raw -o json` for a matrix of $KUBECONFIG lists and flags (exec, token,
// certificate, basic and auth-provider users; names repeated across files; missing and empty files; current-context
// set only by a later file). Nothing contacts a server and no exec plugin runs: this compares resolution only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { loadMergedKubeconfig } from '../../src/kube/kubeconfig-merge.js';
import { authKind, resolveKubeconfig, type AuthKind } from '../../src/kube/kubeconfig-resolve.js';
import { kubectlPath } from './helpers/kubectl.js';

const kubectl = kubectlPath();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kubeconfig-kubectl-'));
const home = path.join(dir, 'home');
fs.mkdirSync(home);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// An exec plugin that leaves a mark if anything ever runs it.
const ran = path.join(dir, 'plugin-ran');
const plugin = path.join(dir, 'plugin.sh');
fs.writeFileSync(plugin, `#!/bin/sh\ntouch ${ran}\nexit 1\n`, { mode: 0o755 });
const b64 = (s: string) => Buffer.from(s).toString('base64');

const files: Record<string, string> = {
  exec: `apiVersion: v1
kind: Config
clusters:
- {name: shared, cluster: {server: 'https://127.0.0.1:41001', certificate-authority: ${dir}/ca.crt}}
users:
- name: shared-user
  user:
    exec: {apiVersion: client.authentication.k8s.io/v1, command: ${plugin}, args: [exec-a], interactiveMode: Never}
contexts:
- {name: ctx-exec, context: {cluster: shared, user: shared-user, namespace: ns-exec}}
current-context: ctx-exec
`,
  token: `apiVersion: v1
kind: Config
clusters:
- {name: shared, cluster: {server: 'https://127.0.0.1:41002', insecure-skip-tls-verify: true}}
- {name: token-cluster, cluster: {server: 'https://127.0.0.1:41003/'}}
users:
- {name: shared-user, user: {token: token-of-token-yaml}}
- {name: token-user, user: {tokenFile: ${dir}/token.txt}}
contexts:
- {name: ctx-token, context: {cluster: token-cluster, user: token-user, namespace: ns-token}}
- {name: ctx-shared, context: {cluster: shared, user: shared-user}}
- {name: ctx-exec, context: {cluster: token-cluster, user: token-user, namespace: ns-from-token-yaml}}
current-context: ctx-token
`,
  cert: `apiVersion: v1
kind: Config
clusters:
- {name: cert-cluster, cluster: {server: 'https://127.0.0.1:41004'}}
users:
- {name: cert-user, user: {client-certificate-data: ${b64('cert')}, client-key-data: ${b64('key')}}}
- {name: shared-user, user: {username: admin, password: secret}}
contexts:
- {name: ctx-cert, context: {cluster: cert-cluster, user: cert-user}}
- {name: ctx-anon, context: {cluster: cert-cluster}}
- {name: ctx-basic, context: {cluster: cert-cluster, user: shared-user, namespace: ns-basic}}
current-context: ctx-cert
`,
  'no-current': `apiVersion: v1
kind: Config
clusters:
- {name: oidc-cluster, cluster: {server: 'https://127.0.0.1:41005'}}
users:
- name: oidc-user
  user: {auth-provider: {name: oidc, config: {client-id: kc, idp-issuer-url: 'https://127.0.0.1:41006'}}}
contexts:
- {name: ctx-oidc, context: {cluster: oidc-cluster, user: oidc-user, namespace: ns-oidc}}
`,
  'current-only': 'current-context: ctx-cert\n',
  empty: '',
};
const at = (name: string) => path.join(dir, `${name}.yaml`);
for (const [name, text] of Object.entries(files)) fs.writeFileSync(at(name), text);
const missing = at('missing');

/** What both sides resolved: the connection, and the credentials' kind and identity. */
interface Resolution {
  context: string;
  cluster: string;
  server: string;
  namespace: string;
  user: string | null;
  auth: AuthKind;
  credential: string | null;
}

type Body = Record<string, unknown>;

/** Which credentials a user body holds, so that two users of one kind (from different files) differ. */
function credential(user: Body | undefined): string | null {
  if (!user) return null;
  const exec = user.exec as Body | undefined;
  if (exec) return [exec.command, ...((exec.args as string[] | null) ?? [])].join(' ');
  const provider = user['auth-provider'] as Body | undefined;
  if (provider) return String(provider.name);
  for (const key of ['client-certificate-data', 'client-certificate', 'token', 'tokenFile', 'username']) {
    if (user[key]) return `${key}=${String(user[key])}`;
  }
  return null;
}

interface Flags {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

function env(list: string[] | undefined): NodeJS.ProcessEnv {
  const base = { HOME: home, PATH: process.env.PATH };
  return list ? { ...base, KUBECONFIG: list.join(path.delimiter) } : base;
}

/** kc's resolution; -n wins over the context's namespace, as every kc command applies it. */
function viaKc(list: string[] | undefined, flags: Flags): Resolution | { error: string } {
  try {
    const resolved = resolveKubeconfig(loadMergedKubeconfig(flags.kubeconfig, env(list)), flags.context);
    return {
      context: resolved.context,
      cluster: resolved.cluster.name,
      server: String(resolved.cluster.body.server),
      namespace: flags.namespace ?? resolved.namespace,
      user: resolved.user?.name ?? null,
      auth: authKind(resolved.user?.body),
      credential: credential(resolved.user?.body),
    };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** kubectl's resolution; `config view` ignores -n, which overrides the context's namespace in every other command. */
function viaKubectl(list: string[] | undefined, flags: Flags): Resolution | { error: string } {
  const args = ['config', 'view', '--merge', '--minify', '--raw', '-o', 'json'];
  if (flags.kubeconfig) args.push('--kubeconfig', flags.kubeconfig);
  if (flags.context) args.push('--context', flags.context);
  if (flags.namespace) args.push('-n', flags.namespace);
  const res = spawnSync(kubectl, args, { env: env(list), encoding: 'utf8', timeout: 30_000 });
  if (res.status !== 0) return { error: res.stderr.trim() || String(res.error) };
  const view = JSON.parse(res.stdout) as { 'current-context': string; contexts: { name: string; context: Body }[];
    clusters: { name: string; cluster: Body }[]; users?: { name: string; user: Body }[] };
  const context = view.contexts[0]!;
  const cluster = view.clusters[0]!;
  const user = view.users?.[0];
  expect(context.name).toBe(view['current-context']);
  return {
    context: context.name,
    cluster: cluster.name,
    server: String(cluster.cluster.server),
    namespace: flags.namespace ?? (context.context.namespace as string | undefined) ?? 'default',
    user: user?.name ?? null,
    auth: authKind(user?.user),
    credential: credential(user?.user),
  };
}

const isError = (r: Resolution | { error: string }): r is { error: string } => 'error' in r;

// [description, $KUBECONFIG files (undefined: unset), flags]
const matrix: [string, string[] | undefined, Flags][] = [
  ['exec user first: its file\'s current-context and cluster, not the second file\'s', [at('exec'), at('token')], {}],
  ['token file first: its current-context; the exec file\'s "shared" entries unused', [at('token'), at('exec')], {}],
  ['a missing file in the list is skipped', [missing, at('exec'), at('token')], {}],
  ['an empty file in the list is skipped', [at('empty'), at('token'), at('exec')], {}],
  ['current-context only in the second file', [at('no-current'), at('cert')], {}],
  ['current-context from a file that defines nothing else', [at('current-only'), at('exec'), at('cert')], {}],
  ['three files, certificate user first', [at('cert'), at('token'), at('exec')], {}],
  ['--context of the second file, whose cluster and user names the first file also defines',
    [at('exec'), at('token')], { context: 'ctx-shared' }],
  ['--context defined in both files: the first file\'s', [at('token'), at('exec')], { context: 'ctx-exec' }],
  ['--context with an auth-provider user, in a file without current-context',
    [at('no-current'), at('exec')], { context: 'ctx-oidc' }],
  ['--context with no user', [at('cert')], { context: 'ctx-anon' }],
  ['--context whose user name the later file defines differently', [at('cert'), at('token')], { context: 'ctx-basic' }],
  ['--kubeconfig wins over $KUBECONFIG', [at('exec')], { kubeconfig: at('cert') }],
  ['--kubeconfig without $KUBECONFIG', undefined, { kubeconfig: at('token') }],
  ['--kubeconfig and --context', [at('exec')], { kubeconfig: at('token'), context: 'ctx-shared' }],
  ['-n overrides the context\'s namespace', [at('exec'), at('token')], { namespace: 'from-flag' }],
  ['-n with --context', [at('token'), at('exec')], { context: 'ctx-exec', namespace: 'other' }],
];

describe('kc resolves kubeconfigs as kubectl does', () => {
  test.each(matrix)('%s', (_name, list, flags) => {
    const expected = viaKubectl(list, flags);
    if (isError(expected)) throw new Error(`kubectl failed: ${expected.error}`);
    expect(viaKc(list, flags)).toStrictEqual(expected);
  });

  // kubectl reports these as errors too; kc's own errors are KUBECONFIG_INVALID.
  const failing: [string, string[] | undefined, Flags, RegExp][] = [
    ['an unknown --context', [at('exec'), at('token')], { context: 'nope' }, /context "nope" is not in the kubeconfig/],
    ['no current-context anywhere', [at('no-current'), missing], {}, /has no current cluster/],
    ['a missing --kubeconfig', [at('exec')], { kubeconfig: missing }, /does not exist/],
  ];
  test.each(failing)('both refuse %s', (_name, list, flags, message) => {
    expect(isError(viaKubectl(list, flags))).toBe(true);
    expect(viaKc(list, flags)).toEqual({ error: expect.stringMatching(message) });
  });

  test('no exec plugin ran', () => {
    expect(fs.existsSync(ran)).toBe(false);
  });
});
