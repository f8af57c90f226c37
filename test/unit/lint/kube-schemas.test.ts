// `kc lint --server` reads schemas from a live API server: against a loopback server (127.0.0.1 only), any answer
// that is not the API's is RESPONSE_INVALID, never a crash and never an empty set of schemas.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { serverKubeSchemas } from '../../../src/lint/index.js';

type Answer = { status?: number; type: string; body: string };
const json = (value: unknown): Answer => ({ type: 'application/json', body: JSON.stringify(value) });
const GOOD: Record<string, Answer> = {
  '/version': json({ gitVersion: 'v1.99.0' }),
  // The real index is served as text/plain.
  '/openapi/v3': { type: 'text/plain', body: JSON.stringify({ paths: { 'api/v1': {}, 'apis/apps/v1': {} } }) },
  '/openapi/v3/api/v1': json({ components: { schemas: { 'io.k8s.api.core.v1.Pod': { type: 'object' } } } }),
  '/openapi/v3/apis/apps/v1': json({ components: { schemas: {} } }),
};
let answers: Record<string, Answer> = GOOD;
let server: http.Server;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-kschemas-'));
const kubeconfig = path.join(dir, 'config');

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const a = answers[req.url ?? ''] ?? { status: 404, ...json({ kind: 'Status', code: 404 }) };
    res.writeHead(a.status ?? 200, { 'content-type': a.type }).end(a.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fs.writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: c, cluster: { server: '${url}', insecure-skip-tls-verify: true } }]
users: [{ name: u, user: { token: t } }]
contexts: [{ name: x, context: { cluster: c, user: u } }]
current-context: x
`);
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('schemas from the server', () => {
  test('an API server\'s documents become a schema set', async () => {
    answers = GOOD;
    const set = await serverKubeSchemas({ kubeconfig });
    expect(set.kubernetesVersion).toBe('v1.99.0');
    expect(set.groupVersions).toEqual(['apps/v1', 'v1']);
    expect(Object.keys(set.schemas)).toEqual(['io.k8s.api.core.v1.Pod']);
  });

  const html: Answer = { type: 'text/html', body: '<html><body>Sign in</body></html>' };
  test.each([
    ['HTML for everything', {}, html, 'GET /'],
    ['an HTML index', { '/openapi/v3': html }, undefined, 'GET /openapi/v3: the answer is not a Kubernetes API answer: '
      + 'expected a JSON object, got text/html, starting "<html><body>Sign in</body></html>"'],
    ['a truncated index', { '/openapi/v3': { type: 'text/plain', body: '{"paths": {"api/v1"' } }, undefined,
      'GET /openapi/v3: the answer is not a Kubernetes API answer: expected a JSON object, got text/plain'],
    ['an index that is an array', { '/openapi/v3': json([]) }, undefined, 'GET /openapi/v3'],
    ['an index without paths', { '/openapi/v3': json({}) }, undefined,
      'GET /openapi/v3: the answer is not a Kubernetes API answer: it lists no api/v1 document'],
    ['a version without gitVersion', { '/version': json({ hello: 1 }) }, undefined, 'GET /version'],
    ['a document without schemas', { '/openapi/v3/apis/apps/v1': json({ openapi: '3.0' }) }, undefined,
      'GET /openapi/v3/apis/apps/v1: the answer is not a Kubernetes API answer: it has no components.schemas'],
    ['a redirect', { '/openapi/v3': { status: 302, type: 'text/html', body: '' } }, undefined, 'HTTP 302'],
  ] as [string, Record<string, Answer>, Answer | undefined, string][])('%s is RESPONSE_INVALID', async (...c) => {
    const [, change, all, message] = c;
    answers = all ? Object.fromEntries(Object.keys(GOOD).map((k) => [k, all])) : { ...GOOD, ...change };
    await expect(serverKubeSchemas({ kubeconfig })).rejects.toMatchObject({
      code: 'RESPONSE_INVALID', message: expect.stringContaining(message),
    });
  });

  test('an API error is still the API\'s error', async () => {
    answers = { ...GOOD, '/openapi/v3': { status: 403, ...json({ kind: 'Status', code: 403, message: 'forbidden' }) } };
    await expect(serverKubeSchemas({ kubeconfig })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
