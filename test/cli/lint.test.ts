import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

// Most runs skip the TypeScript check (test/cli/init.test.ts covers it) to keep the suite fast.
const lint = (...args: string[]) => runCli(['lint', ...args, '--no-typecheck']);

interface Finding {
  level: string;
  rule: string;
  envs: string[];
  object?: string;
  path?: string;
  message: string;
  fix: string;
}

describe('kc lint', () => {
  test('each rule names the object, the field, the problem and the fix; errors exit 2 with LINT_FAILED', async () => {
    const { code, stdout, stderr } = await lint('test/fixtures/lint-rules');
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Error [LINT_FAILED]: lint found 4 error(s) in test/fixtures/lint-rules');
    expect(stderr).toContain('error schema [dev, prod] Deployment/web spec.replicasss: unknown field (fix: did you mean "replicas"? Otherwise remove the field)');
    expect(stderr).toContain('error service-selector [dev, prod] Service/web spec.selector: selects pods labelled app=wbe, but no pod template in its namespace has them');
    expect(stderr).toContain('error duplicate [dev] ConfigMap/settings metadata.name: ConfigMap/settings in namespace lint-dev is defined twice in release broken');
    expect(stderr).toContain('warning image-tag [dev, prod] Deployment/web spec.template.spec.containers[0].image: image "nginx" has no tag, so it means :latest');
    expect(stderr).toContain('warning resources [dev, prod] Deployment/web spec.template.spec.containers[0].resources.requests: container "web" requests no CPU or memory');
    expect(stderr).toContain('warning probes [dev, prod] Deployment/web spec.template.spec.containers[0]: container "web" has no livenessProbe or readinessProbe');
    expect(stderr).toMatch(/Hint: /);
  });

  test('-o json prints every finding as data and still exits 2', async () => {
    const { code, stdout } = await lint('test/fixtures/lint-rules', '-o', 'json');
    expect(code).toBe(2);
    const result = JSON.parse(stdout) as { passed: boolean; environments: string[]; kubernetesVersion: string; counts: Record<string, number>; findings: Finding[] };
    expect(result).toMatchObject({ passed: false, environments: ['dev', 'prod'], counts: { error: 4, warning: 3, info: 0 } });
    expect(result.kubernetesVersion).toMatch(/^v1\.36\./);
    expect(result.findings.map((f) => `${f.level}:${f.rule}`)).toEqual([
      'error:duplicate', 'error:duplicate', 'error:schema', 'error:service-selector', 'warning:image-tag', 'warning:probes', 'warning:resources',
    ]);
    expect(result.findings.find((f) => f.rule === 'schema')).toEqual({
      level: 'error', rule: 'schema', envs: ['dev', 'prod'], release: 'broken', object: 'Deployment/web', path: 'spec.replicasss',
      message: 'unknown field', fix: 'did you mean "replicas"? Otherwise remove the field',
    });
  });

  test('warnings alone pass (exit 0, printed on stdout); --strict makes them fail', async () => {
    const ok = await lint('test/fixtures/lint-warnings');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Linted test/fixtures/lint-warnings (environments dev) against Kubernetes v1.36');
    expect(ok.stdout).toContain('warning image-tag [dev] Deployment/app-web spec.template.spec.containers[0].image: image "nginx:latest" uses the tag "latest"');
    expect(ok.stdout).toContain('0 error(s), 1 warning(s), 0 info');
    const strict = await lint('test/fixtures/lint-warnings', '--strict');
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain('[LINT_FAILED]: lint found 1 warning(s) (--strict)');
    const clean = await lint('test/fixtures/lint-warnings', '--strict', '--set', 'app.tag=1.27.3');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toContain('0 error(s), 0 warning(s), 0 info');
  });

  test('invalid values of an environment become findings naming the path and the layer', async () => {
    const { code, stderr } = await lint('test/fixtures/lint-warnings', '--set', 'app.replicas=0');
    expect(code).toBe(2);
    expect(stderr).toContain('error values [dev] app.replicas: Too small: expected number to be >=1 (set by --set app.replicas=0)');
  });

  test('a chart directory is linted with its defaults', async () => {
    const { code, stdout } = await lint('charts/webapp');
    expect(code).toBe(0);
    expect(stdout).toContain('Linted charts/webapp against Kubernetes');
    expect(stdout).toContain('warning resources Deployment/webapp');
  });

  test('--kube-version picks the shipped schemas; an unknown one lists the available versions', async () => {
    expect((await lint('test/fixtures/lint-warnings', '--kube-version', '1.36')).code).toBe(0);
    const unknown = await lint('test/fixtures/lint-warnings', '--kube-version', '1.20');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Error [KUBE_VERSION_UNKNOWN]: kc has no schemas for Kubernetes 1.20');
    expect(unknown.stderr).toContain('available: 1.36');
    const both = await lint('test/fixtures/lint-warnings', '--kube-version', '1.36', '--server');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('[USAGE]: --server and --kube-version exclude each other');
  });
});
