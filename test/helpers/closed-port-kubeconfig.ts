// A kubeconfig whose API server is a closed loopback port: a command that must fail before any connection uses it,
// and a CLUSTER_UNREACHABLE error then shows that it tried to connect.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The text of a kubeconfig pointing at https://127.0.0.1:1 (nothing listens there), namespace `ns`. */
export const CLOSED_PORT_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u, namespace: ns } }]
current-context: x
`;

/** Writes CLOSED_PORT_KUBECONFIG to `file` (default: a new temporary file) and returns its path. */
export function closedPortKubeconfig(
  file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kcfg-')), 'config'),
): string {
  fs.writeFileSync(file, CLOSED_PORT_KUBECONFIG);
  return file;
}

/** Writes a kubeconfig like CLOSED_PORT_KUBECONFIG to `file` whose user runs `command` as an exec credential plugin. */
export function closedPortExecKubeconfig(file: string, command: string, args: string[] = []): string {
  const exec = { apiVersion: 'client.authentication.k8s.io/v1', command, args, interactiveMode: 'Never' };
  fs.writeFileSync(
    file,
    CLOSED_PORT_KUBECONFIG.replace('user: { token: t }', `user: { exec: ${JSON.stringify(exec)} }`),
  );
  return file;
}
