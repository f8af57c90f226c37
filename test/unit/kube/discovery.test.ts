import { describe, expect, test } from '@jest/globals';
import { Discovery } from '../../../src/kube/discovery.js';
import type { ApiRequest, Transport } from '../../../src/kube/transport.js';

/** A transport that serves one discovery document (example.com/v1 with a Widget) and counts requests. */
function transport(): Transport & { paths: string[] } {
  const paths: string[] = [];
  return {
    paths,
    async request(req: ApiRequest) {
      paths.push(req.path);
      if (req.path === '/apis/example.com/v1') return { status: 200, headers: {}, body: { resources: [{ name: 'widgets', kind: 'Widget', namespaced: true }, { name: 'widgets/status', kind: 'Widget', namespaced: true }] } };
      return { status: 404, headers: {}, body: {} };
    },
    connect: () => undefined,
    close: () => undefined,
  };
}

describe('Discovery', () => {
  test('GA built-in kinds need no request', async () => {
    const t = transport();
    const d = new Discovery(t);
    expect(await d.find('v1', 'ConfigMap')).toEqual({ plural: 'configmaps', namespaced: true });
    expect(await d.find('v1', 'Namespace')).toEqual({ plural: 'namespaces', namespaced: false });
    expect(await d.find('apps/v1', 'Deployment')).toEqual({ plural: 'deployments', namespaced: true });
    expect(await d.find('coordination.k8s.io/v1', 'Lease')).toEqual({ plural: 'leases', namespaced: true });
    expect(t.paths).toEqual([]);
  });

  test('other kinds are discovered once per group version; subresources are skipped', async () => {
    const t = transport();
    const d = new Discovery(t);
    expect(await d.find('example.com/v1', 'Widget')).toEqual({ plural: 'widgets', namespaced: true });
    expect(await d.find('example.com/v1', 'Gadget')).toBeUndefined();
    expect(t.paths).toEqual(['/apis/example.com/v1']);
    d.reset();
    await d.find('example.com/v1', 'Widget');
    expect(t.paths).toHaveLength(2);
  });

  test.each([
    ['HTML', 'text/html', '<html>Sign in</html>'],
    ['a list that is not one', 'application/json', { resources: 'widgets' }],
    ['entries that are not resources', 'application/json', { resources: [1, { name: 'widgets' }] }],
    ['an object without resources', 'application/json', { kind: 'Status' }],
  ])('a 200 answer of %s is RESPONSE_INVALID, never "no such kind"', async (_name, type, body) => {
    const t: Transport = {
      request: async () => ({ status: 200, headers: { 'content-type': type }, body }),
      connect: () => undefined,
      close: () => undefined,
    };
    await expect(new Discovery(t).require('example.com/v1', 'Widget')).rejects.toMatchObject({
      code: 'RESPONSE_INVALID', message: expect.stringContaining('discovery of example.com/v1'),
    });
  });

  test('an unknown kind is UNKNOWN_KIND', async () => {
    await expect(new Discovery(transport()).require('example.com/v2', 'Widget')).rejects.toMatchObject({ code: 'UNKNOWN_KIND' });
  });
});
