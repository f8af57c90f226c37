import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/run-cli.js';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> } });

describe('kc template', () => {
  test('renders a chart as the named release, like helm template, byte-identical to kc synth of the chart', async () => {
    const { code, stdout, stderr } = await runCli(['template', 'db', 'charts/mysql', '-n', 'data', '--set', 'rootPassword=s3cret']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const objects = docs(stdout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Secret/db-mysql', 'PersistentVolumeClaim/db-mysql', 'Service/db-mysql', 'Deployment/db-mysql', 'Job/db-mysql-test']);
    expect(objects.every((o) => o.metadata.namespace === 'data')).toBe(true);
    const synth = await runCli(['synth', 'charts/mysql', '--release', 'db', '-n', 'data', '--set', 'rootPassword=s3cret']);
    expect(stdout).toBe(synth.stdout);
  });

  test("the seed's Helm-style keys (stable/mysql's mysqlRootPassword, imageTag) are refused with the kc names", async () => {
    const { code, stdout, stderr } = await runCli(['template', 'my', 'charts/mysql', '--set', 'mysqlRootPassword=root,mysqlUser=test', '--set', 'imageTag=5.7.15']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('mysqlRootPassword: not a value of this chart; did you mean rootPassword? (set by --set mysqlRootPassword=<redacted>)');
    expect(stderr).toContain('mysqlUser: not a value of this chart; did you mean user?');
    expect(stderr).toContain('imageTag: not a value of this chart; did you mean image.tag? (set by --set imageTag=<redacted>)');
    expect(stderr).not.toMatch(/=root\b/); // a misspelt secret key carries a secret: its value is not shown
  });

  test('--skip-tests leaves out test hooks', async () => {
    const { stdout } = await runCli(['template', 'db', 'charts/mysql', '--set', 'rootPassword=x', '--skip-tests']);
    expect(docs(stdout).map((o) => o.kind)).not.toContain('Job');
  });

  test('--debug prints the merged values to stderr, each with its layer, secrets redacted', async () => {
    const { code, stdout, stderr } = await runCli(['template', 'db', 'charts/mysql', '--debug', '--set', 'rootPassword=s3cret', '-f', '-', '--set', 'service.port=3307'], {
      stdin: 'image:\n  tag: "8.0"\n',
    });
    expect(code).toBe(0);
    expect(stdout).toContain('kind: Deployment');
    expect(stderr).toContain('# Values of release db (chart mysql-1.0.0); each comment names the layer that set the value:');
    expect(stderr).toContain('rootPassword: <redacted> # --set rootPassword=<redacted>');
    expect(stderr).toContain('  tag: "8.0" # -f -');
    expect(stderr).toContain('  port: 3307 # --set service.port=3307');
    expect(stderr).toContain('  repository: mysql # chart defaults');
    expect(stderr).toContain('  requests:\n    cpu: 100m # chart defaults');
    expect(stderr).not.toContain('s3cret');
  });

  test('--debug comments a list set as a whole once, on its key, and empty collections inline', async () => {
    const { code, stderr } = await runCli(['template', 'web', 'charts/webapp', '--debug', '--set', 'imagePullSecrets={a,b}']);
    expect(code).toBe(0);
    expect(stderr).toContain('imagePullSecrets: # --set imagePullSecrets={a,b}\n  - a\n  - b\n');
    expect(stderr).toContain('tolerations: [] # chart defaults');
    expect(stderr).toContain('podAnnotations: {} # chart defaults');
  });

  test('kc synth --debug shows environment and app-code layers per release', async () => {
    const { code, stderr } = await runCli(['synth', 'examples/mysql', '--env', 'dev', '--debug']);
    expect(code).toBe(0);
    expect(stderr).toContain('# Values of release my-mysql (chart mysql-1.0.0, environment dev)');
    expect(stderr).toContain('  enabled: false # environment "dev" in kc.config.ts');
    expect(stderr).toContain('rootPassword: <redacted> # app code');
    expect(stderr).not.toMatch(/rootPassword: root/);
  });

  test('a packaged chart renders the same as its directory (template goes through synth)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-template-'));
    try {
      expect((await runCli(['package', 'charts/webapp', '-d', dir])).code).toBe(0);
      const packaged = await runCli(['template', 'web', path.join(dir, 'webapp-1.0.0.tgz'), '--set', 'replicaCount=2']);
      expect(packaged.stderr).toBe('');
      expect(packaged.code).toBe(0);
      expect(packaged.stdout).toBe((await runCli(['template', 'web', 'charts/webapp', '--set', 'replicaCount=2'])).stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a project, a bad release name and a missing chart are refused', async () => {
    const project = await runCli(['template', 'x', 'examples/mysql']);
    expect(project.code).toBe(2);
    expect(project.stderr).toContain('Error [USAGE]: examples/mysql is a project, not a chart');
    expect(project.stderr).toContain('kc synth examples/mysql --env <name>');
    const name = await runCli(['template', 'Bad_Name', 'charts/webapp']);
    expect(name.code).toBe(2);
    expect(name.stderr).toContain('invalid release name "Bad_Name"');
    expect((await runCli(['template', 'x', 'charts/none'])).code).toBe(3);
  });
});
