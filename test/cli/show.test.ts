import { describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { runCli } from '../helpers/run-cli.js';

describe('kc show / kc values schema', () => {
  test('show values prints commented defaults and lists required keys', async () => {
    const { code, stdout } = await runCli(['show', 'values', 'charts/mysql']);
    expect(code).toBe(0);
    expect(stdout).toContain('# Required, no default (set these):');
    expect(stdout).toContain('rootPassword - Password of the MySQL root user (required). (secret: never printed by kc)');
    const values = parse(stdout);
    expect(values.image).toEqual({ repository: 'mysql', tag: '5.7.14', pullPolicy: 'IfNotPresent' });
    expect(values.persistence).toEqual({ enabled: true, size: '4Gi', accessMode: 'ReadWriteOnce' });
    expect(values.rootPassword).toBeUndefined();
  });

  test('values schema prints the JSON Schema from zod', async () => {
    const { code, stdout } = await runCli(['values', 'schema', 'charts/mysql']);
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.required).toEqual(['rootPassword']);
    expect(schema.properties.rootPassword.writeOnly).toBe(true);
    expect(schema.properties.service.properties.port).toMatchObject({ type: 'integer', default: 3306, maximum: 65535 });
    expect((await runCli(['show', 'schema', 'charts/mysql'])).stdout).toBe(stdout);
  });

  test('show chart prints name and version from package.json', async () => {
    const { stdout } = await runCli(['show', 'chart', 'charts/mysql']);
    expect(parse(stdout)).toMatchObject({ name: 'mysql', version: '1.0.0', appVersion: '5.7.14' });
  });

  test('show on a project is a clear error', async () => {
    const { code, stderr } = await runCli(['show', 'values', 'examples/mysql']);
    expect(code).toBe(3);
    expect(stderr).toContain('is a project, not a chart');
  });
});
