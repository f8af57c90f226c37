import { describe, expect, test } from '@jest/globals';
import { ApiClient } from '../../../src/kube/api-client.js';
import type { ApiRequest, ApiResponse, Transport } from '../../../src/kube/transport.js';

/** A transport that records each request and answers with the body it was sent (as an apply does). */
function recordingTransport(): Transport & { sent: ApiRequest[] } {
  const sent: ApiRequest[] = [];
  return {
    sent,
    async request(req: ApiRequest): Promise<ApiResponse> {
      sent.push(req);
      return { status: 200, body: req.body ?? {}, headers: {} };
    },
    connect() {},
    close() {},
  };
}

const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web', namespace: 'prod' }, data: { a: '1' } };

describe('ApiClient.apply', () => {
  test('sends one server-side apply PATCH with the field manager and without the server\'s duplicate-key parse', async () => {
    const transport = recordingTransport();
    await new ApiClient(transport).apply(configMap, { fieldManager: 'kc' });
    expect(transport.sent).toEqual([
      {
        method: 'PATCH',
        path: '/api/v1/namespaces/prod/configmaps/web',
        query: { fieldManager: 'kc', force: undefined, dryRun: undefined, fieldValidation: 'Ignore' },
        body: configMap,
        contentType: 'application/apply-patch+yaml',
      },
    ]);
  });

  test('--force-conflicts and --dry-run=server become force=true and dryRun=All', async () => {
    const transport = recordingTransport();
    await new ApiClient(transport).apply(configMap, { fieldManager: 'kc', force: true, dryRun: true });
    expect(transport.sent[0].query).toEqual({ fieldManager: 'kc', force: 'true', dryRun: 'All', fieldValidation: 'Ignore' });
  });

  test('a refused apply throws the server\'s message, naming the object', async () => {
    const transport: Transport = {
      async request() {
        const message = 'failed to create typed patch object (prod/web; /v1, Kind=ConfigMap): .bogus: field not declared in schema';
        return { status: 500, body: { kind: 'Status', status: 'Failure', message, code: 500 }, headers: {} };
      },
      connect() {},
      close() {},
    };
    await expect(new ApiClient(transport).apply(configMap, { fieldManager: 'kc' })).rejects.toThrow(
      'apply ConfigMap/prod/web: failed to create typed patch object (prod/web; /v1, Kind=ConfigMap): .bogus: field not declared in schema',
    );
  });
});

describe('ApiClient.create', () => {
  test('a dry-run create POSTs with dryRun=All and may be sent again; a real one sends no dryRun', async () => {
    const transport = recordingTransport();
    const client = new ApiClient(transport);
    await client.create(configMap, { dryRun: true });
    await client.create(configMap);
    expect(transport.sent.map((r) => [r.method, r.path, r.query?.dryRun, r.idempotent])).toEqual([
      ['POST', '/api/v1/namespaces/prod/configmaps', 'All', true],
      ['POST', '/api/v1/namespaces/prod/configmaps', undefined, undefined],
    ]);
  });
});
