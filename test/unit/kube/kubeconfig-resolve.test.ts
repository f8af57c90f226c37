import { describe, expect, test } from '@jest/globals';
import type { KubeconfigEntry, MergedKubeconfig } from '../../../src/kube/kubeconfig-merge.js';
import { authKind, resolveKubeconfig } from '../../../src/kube/kubeconfig-resolve.js';

const entries = (source: string, bodies: Record<string, unknown>) =>
  new Map<string, KubeconfigEntry>(Object.entries(bodies).map(([name, body]) => [name, { name, body, source }]));

function merged(current?: string): MergedKubeconfig {
  return {
    files: ['/k/a', '/k/b'],
    clusters: entries('/k/a', { c: { server: 'https://127.0.0.1:1' } }),
    users: entries('/k/b', { u: { token: 't' }, empty: null }),
    contexts: entries('/k/a', {
      x: { cluster: 'c', user: 'u', namespace: 'team' },
      anonymous: { cluster: 'c' },
      stranger: { cluster: 'c', user: 'nobody' },
      'empty-user': { cluster: 'c', user: 'empty' },
      lost: { cluster: 'gone', user: 'u' },
    }),
    currentContext: current,
  };
}

describe('resolveKubeconfig', () => {
  test('the current context, its cluster and user, with their source files', () => {
    expect(resolveKubeconfig(merged('x'), undefined)).toEqual({
      context: 'x',
      namespace: 'team',
      cluster: { name: 'c', body: { server: 'https://127.0.0.1:1' }, source: '/k/a' },
      user: { name: 'u', body: { token: 't' }, source: '/k/b' },
    });
    expect(resolveKubeconfig(merged('x'), 'current').context).toBe('x');
  });

  test('--context wins over the current context; an unset namespace is "default"', () => {
    expect(resolveKubeconfig(merged('x'), 'anonymous')).toMatchObject({ context: 'anonymous', namespace: 'default' });
  });

  test('no user, or an undefined one, means no credentials; an empty user body is an empty user', () => {
    expect(resolveKubeconfig(merged(), 'anonymous').user).toBeUndefined();
    expect(resolveKubeconfig(merged(), 'stranger').user).toBeUndefined();
    expect(resolveKubeconfig(merged(), 'empty-user').user?.body).toEqual({});
  });

  test('errors: unknown --context, no current context, a context naming no known cluster', () => {
    expect(() => resolveKubeconfig(merged('x'), 'nope')).toThrow('context "nope" is not in the kubeconfig');
    expect(() => resolveKubeconfig(merged(), undefined)).toThrow('the kubeconfig has no current cluster');
    expect(() => resolveKubeconfig(merged('missing'), undefined)).toThrow('the kubeconfig has no current cluster');
    expect(() => resolveKubeconfig(merged(), 'lost')).toThrow('the kubeconfig has no current cluster');
  });
});

test.each([
  [{ exec: { command: 'x' }, token: 't' }, 'exec'],
  [{ 'auth-provider': { name: 'oidc' } }, 'auth-provider'],
  [{ 'client-certificate-data': 'x', token: 't' }, 'client-certificate'],
  [{ tokenFile: '/t' }, 'token'],
  [{ username: 'a', password: 'b' }, 'basic'],
  [{}, 'none'],
  [undefined, 'none'],
])('authKind(%j) is %s', (user, kind) => {
  expect(authKind(user)).toBe(kind);
});
