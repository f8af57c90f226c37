// Release commands resolve --env from the project file (namespace, context, kubeconfig) as deploy does; flags win.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { ClusterSelector } from '../../src/kube/kubeconfig.js';
import { memorySession } from '../helpers/memory-session.js';
import { runCli } from '../helpers/run-cli.js';
import { tempProject, type TempProject } from '../helpers/temp-project.js';

let project: TempProject;
beforeAll(() => {
  project = tempProject({
    'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: {
  prod: { namespace: 'shop-prod', context: 'prod-ctx', kubeconfig: 'kube/prod.yaml' },
  plain: {},
} });
`,
    // The app throws: --env on a release command must load the project file only, never build or run the app.
    'app.ts': `throw new Error('the app was run');\n`,
    'kube/prod.yaml': 'apiVersion: v1\nkind: Config\n',
  });
  fs.mkdirSync(path.join(project.dir, 'sub'));
});
afterAll(() => project.remove());

/** Runs kc over an empty memory cluster, recording what it connected to. */
async function run(args: string[], cwd = project.dir) {
  const selectors: ClusterSelector[] = [];
  const result = await runCli(args, {
    cwd,
    ctx: {
      connect: async (selector) => {
        // The cluster only: the namespace shows in where the (empty) store was asked.
        selectors.push({ kubeconfig: selector.kubeconfig, context: selector.context });
        return memorySession().s;
      },
    },
  });
  return { ...result, selectors };
}

const prodKubeconfig = () => path.join(project.dir, 'kube/prod.yaml');

describe('--env on release commands', () => {
  test.each([
    [['history', 'web']],
    [['status', 'web']],
    [['get', 'values', 'web']],
    [['get', 'manifest', 'web']],
    [['rollback', 'web']],
    [['uninstall', 'web']],
    [['test', 'web']],
  ])('kc %j --env prod looks in the environment\'s namespace, context and kubeconfig', async (args) => {
    const r = await run([...args, '--env', 'prod']);
    expect(r.stderr).toContain('Error [RELEASE_NOT_FOUND]: release "web" not found in namespace shop-prod');
    expect(r.stderr).not.toContain('the app was run');
    expect(r.code).toBe(3);
    expect(r.selectors).toEqual([{ kubeconfig: prodKubeconfig(), context: 'prod-ctx' }]);
  });

  test('without --env nothing changes: the context\'s namespace, the default kubeconfig', async () => {
    const r = await run(['history', 'web']);
    expect(r.stderr).toContain('not found in namespace ns');
    expect(r.selectors).toEqual([{ kubeconfig: undefined, context: undefined }]);
  });

  test('--namespace, --context and --kubeconfig win over the environment', async () => {
    const other = path.join(project.dir, 'kube/prod.yaml');
    const r = await run(['history', 'web', '--env', 'prod', '-n', 'elsewhere', '--context', 'mine', '--kubeconfig', other]);
    expect(r.stderr).toContain('not found in namespace elsewhere');
    expect(r.selectors).toEqual([{ kubeconfig: other, context: 'mine' }]);
  });

  test('an environment without settings uses the current context and its namespace', async () => {
    const r = await run(['status', 'web', '--env', 'plain']);
    expect(r.stderr).toContain('not found in namespace ns');
    expect(r.selectors).toEqual([{ kubeconfig: undefined, context: undefined }]);
  });

  test('--project names the project from another directory; without it the current directory must be one', async () => {
    const elsewhere = path.join(project.dir, 'sub');
    const r = await run(['history', 'web', '--env', 'prod', '--project', '..'], elsewhere);
    expect(r.stderr).toContain('not found in namespace shop-prod');
    const missing = await run(['history', 'web', '--env', 'prod'], elsewhere);
    expect(missing.stderr).toContain('Error [PROJECT_NOT_FOUND]: --env prod: the current directory has no kc.config.ts');
    expect(missing.code).toBe(3);
    expect(missing.selectors).toEqual([]);
  });

  test('kc test finds --env in a project given as its source', async () => {
    const r = await run(['test', 'web', project.dir, '--env', 'prod'], path.join(project.dir, 'sub'));
    expect(r.stderr).toContain('not found in namespace shop-prod');
  });

  test('an unknown environment is ENV_UNKNOWN listing the known ones, before any cluster is contacted', async () => {
    const r = await run(['uninstall', 'web', '--env', 'staging']);
    expect(r.stderr).toContain('Error [ENV_UNKNOWN]: environment "staging" is not defined in kc.config.ts');
    expect(r.stderr).toContain('Hint: known environments: prod, plain');
    expect(r.code).toBe(2);
    expect(r.selectors).toEqual([]);
  });

  test('an environment whose kubeconfig is missing is FILE_NOT_FOUND naming it', async () => {
    project.write({ 'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: { prod: { kubeconfig: 'kube/gone.yaml' } } });
` });
    try {
      const r = await run(['history', 'web', '--env', 'prod']);
      expect(r.stderr).toContain('Error [FILE_NOT_FOUND]: environment "prod" names kubeconfig kube/gone.yaml, which does not exist');
      expect(r.code).toBe(3);
    } finally {
      project.write({ 'kc.config.ts': `import { defineConfig } from 'kc/config';
export default defineConfig({ app: './app.ts', environments: {
  prod: { namespace: 'shop-prod', context: 'prod-ctx', kubeconfig: 'kube/prod.yaml' },
  plain: {},
} });
` });
    }
  });

  test('kc status --env E with no release lists the environment (none yet)', async () => {
    const r = await run(['status', '--env', 'prod']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ENVIRONMENT: prod (project ' + path.basename(project.dir) + ')\nNAMESPACE: shop-prod\nCONTEXT: test\n\nno releases of this environment: run `kc deploy --env prod`\n');
  });
});
