import { describe, expect, test } from '@jest/globals';
import { apiError } from '../../../src/kube/api-errors.js';

// Bodies as kube-apiserver 1.36 returns them.
describe('apiError classifies by status and Status causes', () => {
  test.each([
    [409, { reason: 'Conflict', message: 'Apply failed with 1 conflict: conflict with "one": .data.a', details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "one"', field: '.data.a' }] } }, 'FIELD_CONFLICT'],
    [409, { reason: 'AlreadyExists', message: 'configmaps "c" already exists' }, 'ALREADY_EXISTS'],
    [409, { reason: 'Conflict', message: 'the object has been modified' }, 'CONFLICT'],
    [422, { reason: 'Invalid', message: 'Deployment.apps "x" is invalid', details: { causes: [{ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' }] } }, 'OBJECT_INVALID'],
    [404, { reason: 'NotFound', message: 'not found' }, 'NOT_FOUND'],
    [403, { reason: 'Forbidden', message: 'forbidden' }, 'FORBIDDEN'],
    [500, { message: 'boom' }, 'API_ERROR'],
  ])('%i %j → %s', (status, body, code) => {
    expect(apiError(status, body, 'apply X').code).toBe(code);
  });

  test('a field conflict names the field and the manager, and suggests --force-conflicts', () => {
    const err = apiError(409, { reason: 'Conflict', details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "other-tool"', field: '.spec.replicas' }] } }, 'apply Deployment/ns/web');
    expect(err.details).toEqual(['.spec.replicas: conflict with "other-tool"']);
    expect(err.hint).toContain('--force-conflicts');
  });

  test('invalid objects list each field', () => {
    const err = apiError(422, { details: { causes: [{ reason: 'FieldValueRequired', field: 'spec.selector', message: 'Required value' }] } }, 'apply');
    expect(err.details).toEqual(['spec.selector: Required value']);
  });
});
