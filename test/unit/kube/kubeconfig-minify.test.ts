import { expect, test } from '@jest/globals';
import { minifiedKubeconfig } from '../../../src/kube/kubeconfig-minify.js';

test('one context, cluster and user; relative paths resolved against the file that defined each entry', () => {
  const config = minifiedKubeconfig({
    context: 'x',
    namespace: 'default',
    cluster: {
      name: 'c',
      source: '/a/kubeconfig',
      body: { server: 'https://127.0.0.1:1', 'certificate-authority': 'ca.crt' },
    },
    user: {
      name: 'u',
      source: '/b/kubeconfig',
      body: {
        'client-certificate': 'pki/u.crt',
        'client-key': '/abs/u.key',
        tokenFile: 't',
        exec: { command: './bin/login', args: ['-v'] },
      },
    },
  });
  expect(config).toEqual({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1', 'certificate-authority': '/a/ca.crt' } }],
    users: [{
      name: 'u',
      user: {
        'client-certificate': '/b/pki/u.crt',
        'client-key': '/abs/u.key',
        tokenFile: '/b/t',
        exec: { command: '/b/bin/login', args: ['-v'] },
      },
    }],
    contexts: [{ name: 'x', context: { cluster: 'c', user: 'u', namespace: 'default' } }],
    'current-context': 'x',
  });
});

test('an exec command without a path separator is looked up on $PATH, as kubectl does; no user, no users', () => {
  const user = { name: 'u', source: '/b/k', body: { exec: { command: 'gke-gcloud-auth-plugin' } } };
  const cluster = { name: 'c', source: '/a/k', body: { server: 'https://127.0.0.1:1' } };
  const config = minifiedKubeconfig({ context: 'x', namespace: 'n', cluster, user });
  expect(config.users).toEqual([{ name: 'u', user: user.body }]);
  const anonymous = minifiedKubeconfig({ context: 'x', namespace: 'n', cluster });
  expect(anonymous.users).toEqual([]);
  expect(anonymous.contexts).toEqual([{ name: 'x', context: { cluster: 'c', namespace: 'n' } }]);
});
