// The mapping from what operations return to the documented kc.dev/v1 documents, field by field.
import { describe, expect, test } from '@jest/globals';
import {
  deployDocument,
  fluxRollbackDocument,
  operationDocument,
  type OperationInput,
} from '../../cli/operation-json.js';
import { formatData } from '../../cli/output.js';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', name, namespace: 'ns' });

const result: OperationInput = {
  release: 'r',
  namespace: 'ns',
  revision: 4,
  status: 'deployed',
  noChange: false,
  applied: [cm('a'), cm('b'), cm('c'), { apiVersion: 'v1', kind: 'Namespace', name: 'extra' }],
  unchanged: 1,
  pruned: [cm('old')],
  left: [{ ref: cm('theirs'), reason: 'owned by release ns/other' }],
  drifted: [{ ref: cm('b'), kind: 'edited', reason: 'edited outside kc' }],
  replaced: [cm('c')],
  hooks: [
    {
      event: 'post-upgrade',
      ref: { apiVersion: 'batch/v1', kind: 'Job', name: 'migrate', namespace: 'ns' },
      ok: true,
      reason: 'Complete',
      details: ['x'],
    },
  ],
  notes: 'hello',
  description: 'Upgrade complete',
  chart: {
    name: 'maps',
    version: '1.0.0',
    appVersion: '2',
    digest: 'sha256:abc',
    source: 'oci://h/maps:1.0.0',
    description: 'not shown',
  },
};

describe('operationDocument', () => {
  test('one entry per object, its most telling action; hooks without details; chart without description', () => {
    expect(operationDocument(result, 'upgrade')).toEqual({
      apiVersion: 'kc.dev/v1',
      kind: 'OperationResult',
      operation: 'upgrade',
      release: 'r',
      namespace: 'ns',
      revision: 4,
      status: 'deployed',
      changed: true,
      description: 'Upgrade complete',
      chart: { name: 'maps', version: '1.0.0', appVersion: '2', digest: 'sha256:abc', source: 'oci://h/maps:1.0.0' },
      objects: [
        { ...cm('a'), action: 'applied' },
        { ...cm('b'), action: 'repaired', reason: 'edited outside kc' },
        { ...cm('c'), action: 'replaced' },
        { apiVersion: 'v1', kind: 'Namespace', name: 'extra', action: 'applied' },
        { ...cm('old'), action: 'deleted' },
        { ...cm('theirs'), action: 'left', reason: 'owned by release ns/other' },
      ],
      unchanged: 1,
      hooks: [
        {
          event: 'post-upgrade',
          apiVersion: 'batch/v1',
          kind: 'Job',
          name: 'migrate',
          namespace: 'ns',
          ok: true,
          reason: 'Complete',
        },
      ],
      notes: 'hello',
    });
  });

  test('the JSON keeps the documented field order and leaves absent fields out', () => {
    const text = formatData('json', operationDocument({ ...result, notes: '', chart: undefined }, 'install'), () => '');
    expect(Object.keys(JSON.parse(text))).toEqual([
      'apiVersion',
      'kind',
      'operation',
      'release',
      'namespace',
      'revision',
      'status',
      'changed',
      'description',
      'objects',
      'unchanged',
      'hooks',
    ]);
  });
});

describe('Flux documents', () => {
  const flux = {
    env: 'prod',
    namespace: 'apps',
    context: 'kind',
    revision: 7,
    unchanged: false,
    published: {
      project: 'p',
      env: 'prod',
      repository: 'oci://reg/p',
      tag: 'prod',
      digest: 'sha256:d',
      releases: [],
      signed: false,
    },
    states: [
      { release: 'db', state: 'ready' as const, reason: 'ReconciliationSucceeded', appliedRevision: 'prod@sha256:d' },
    ],
    removed: ['gone'],
  };

  test("deploy: a DeployResult with no releases and Flux's part", () => {
    const doc = deployDocument(
      { env: 'prod', namespace: 'apps', context: 'kind', releases: [], removed: [], flux },
      undefined,
      false,
    );
    expect(doc).toEqual({
      apiVersion: 'kc.dev/v1',
      kind: 'DeployResult',
      env: 'prod',
      namespace: 'apps',
      context: 'kind',
      releases: [],
      flux: {
        repository: 'oci://reg/p',
        tag: 'prod',
        digest: 'sha256:d',
        revision: 7,
        unchanged: false,
        rolledBackTo: undefined,
        states: [
          {
            release: 'db',
            state: 'ready',
            reason: 'ReconciliationSucceeded',
            message: undefined,
            appliedRevision: 'prod@sha256:d',
          },
        ],
        removed: ['gone'],
      },
    });
  });

  test('rollback --env: the revision rolled back to', () => {
    expect(fluxRollbackDocument({ ...flux, to: 5 }).flux?.rolledBackTo).toBe(5);
  });
});
