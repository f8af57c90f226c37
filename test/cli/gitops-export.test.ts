// kc gitops export's refusals (the objects themselves are in test/golden/gitops-export.test.ts).
import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { tempProject } from '../helpers/temp-project.js';

const project = 'test/fixtures/gitops-fleet';

describe('kc gitops export', () => {
  test.each([
    [['gitops', 'export', project], 2, /needs --env/],
    [['gitops', 'export', project, '--env', 'prod', '--engine', 'helm'], 2, /--engine helm/],
    [['gitops', 'export', project, '--env', 'prod', '--digest', 'sha256:abc'], 2, /not a manifest digest/],
    [['gitops', 'export', project, '--env', 'qa'], 2, /environment "qa" is not defined/],
    [['gitops', 'export', 'charts/webapp', '--env', 'prod'], 2, /is a chart, not a project/],
  ])('%j: exit %d, nothing on stdout', async (args, code, message) => {
    const run = await runCli(args);
    expect(run.stdout).toBe('');
    expect(run.code).toBe(code);
    expect(run.stderr).toMatch(message);
  });

  test('an environment without gitops.repository needs --repository; it and --namespace override', async () => {
    const bare = await runCli(['gitops', 'export', 'examples/webapp-with-db', '--env', 'prod']);
    if (bare.code === 0) {
      // The example may gain a gitops section (engine flux): then it exports as it is.
      expect(bare.stdout).toContain('kind: OCIRepository');
    } else {
      expect(bare.stdout).toBe('');
      expect(bare.stderr).toContain('has no gitops.repository');
      expect(bare.code).toBe(2);
    }
    const args = ['--repository', 'oci://reg.example/apps/web', '-n', 'elsewhere'];
    const run = await runCli(['gitops', 'export', 'examples/webapp-with-db', '--env', 'prod', ...args]);
    expect(run.code).toBe(0);
    const objects = parseAllDocuments(run.stdout).map((d) => d.toJS());
    const source = objects.find((o) => o.kind === 'OCIRepository');
    expect(source.spec.url).toBe('oci://reg.example/apps/web');
    const kustomizations = objects.filter((o) => o.kind === 'Kustomization');
    expect(kustomizations.map((k) => [k.spec.path, k.spec.targetNamespace])).toEqual([
      ['./db', 'elsewhere'],
      ['./web', 'elsewhere'],
    ]);
    expect(kustomizations[1].spec.dependsOn).toEqual([{ name: 'webapp-with-db-prod-db' }]);
  });

  test('an environment without a namespace is refused: an engine applies where it is told', async () => {
    const p = tempProject({
      'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts',
  environments: { prod: { gitops: { repository: 'oci://r.example/a' } } } });
`,
      'app.ts': `import { defineApp } from 'kc/chart';\nexport default defineApp(() => undefined);\n`,
    });
    try {
      const run = await runCli(['gitops', 'export', p.dir, '--env', 'prod']);
      expect(run.stdout).toBe('');
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('names no namespace');
    } finally {
      p.remove();
    }
  });

  test('an environment that signs without its cosign.pub next to the key is refused, naming the file', async () => {
    const p = tempProject({
      'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { prod: { namespace: 'p',
  gitops: { repository: 'oci://r.example/a', sign: { key: 'cosign.key' } } } } });
`,
      'app.ts': `import { defineApp } from 'kc/chart';\nexport default defineApp(() => undefined);\n`,
    });
    try {
      const run = await runCli(['gitops', 'export', p.dir, '--env', 'prod']);
      expect(run.stdout).toBe('');
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('cosign.pub does not exist');
    } finally {
      p.remove();
    }
  });
});
