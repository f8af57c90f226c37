import { describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../helpers/run-cli.js';

const docs = (text: string) => parseAllDocuments(text).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string }; [k: string]: unknown });

describe('kc synth', () => {
  test('prints the seed objects for my-mysql in install order, byte-identical on every run', async () => {
    const first = await runCli(['synth', 'examples/mysql']);
    const second = await runCli(['synth', 'examples/mysql']);
    expect(first.code).toBe(0);
    expect(first.stderr).toBe('');
    expect(second.stdout).toBe(first.stdout);
    const objects = docs(first.stdout);
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Secret/my-mysql', 'PersistentVolumeClaim/my-mysql', 'Service/my-mysql', 'Deployment/my-mysql', 'Job/my-mysql-test',
    ]);
    // The seed's client check is a test hook: rendered, but run only by `kc test`.
    expect((objects[4].metadata as { annotations?: Record<string, string> }).annotations?.['kc.dev/hook']).toBe('test');
    expect(first.stdout).not.toMatch(/&a\d|\*a\d/);
    const secret = objects[0] as unknown as { data: Record<string, string> };
    expect(secret.data).toEqual({ 'mysql-root-password': 'cm9vdA==', 'mysql-password': 'bXlzcWw=' });
  });

  test('--env prod differs as the project file says', async () => {
    const { code, stdout } = await runCli(['synth', 'examples/mysql', '--env', 'prod']);
    expect(code).toBe(0);
    const objects = docs(stdout);
    expect(objects.map((o) => o.kind)).toContain('PersistentVolume');
    expect(objects.filter((o) => o.kind !== 'PersistentVolume').every((o) => o.metadata.namespace === 'mysql-prod')).toBe(true);
    expect(stdout).toContain('image: mysql:5.7.15');
    expect(stdout).toContain('storage: 8Gi');
  });

  test('--set types by the schema: a string field keeps 1194495 as text', async () => {
    const { code, stdout } = await runCli(['synth', 'examples/mysql', '--set', 'my-mysql.image.tag=1194495', '--set', 'my-mysql.service.port=3307']);
    expect(code).toBe(0);
    expect(stdout).toContain('image: mysql:1194495');
    expect(stdout).toContain('port: 3307');
  });

  test('-f from stdin is a layer above the environment, below --set', async () => {
    const stdin = 'my-mysql:\n  image:\n    tag: "8.0"\n  service:\n    port: 3310\n';
    const { code, stdout } = await runCli(['synth', 'examples/mysql', '--env', 'prod', '-f', '-', '--set', 'my-mysql.service.port=3311'], { stdin });
    expect(code).toBe(0);
    expect(stdout).toContain('image: mysql:8.0');
    expect(stdout).toContain('port: 3311');
  });

  test('a bad --set value exits 2 naming the key, the expected type and the layer', async () => {
    const { code, stdout, stderr } = await runCli(['synth', 'examples/mysql', '--set', 'my-mysql.service.port=abc']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Error [VALUES_INVALID]');
    expect(stderr).toContain('my-mysql.service.port: expected number, received string (set by --set my-mysql.service.port=abc)');
    expect(stderr).toMatch(/Hint: /);
  });

  test('a missing required value names the path and says no layer sets it, without printing secrets', async () => {
    const { code, stderr } = await runCli(['synth', 'examples/mysql', '--set', 'my-mysql.rootPassword=null']);
    expect(code).toBe(2);
    expect(stderr).toContain('my-mysql.rootPassword: expected string, received undefined (required, and no layer sets it)');
    expect(stderr).not.toContain('root\n');
  });

  test('a misspelt key is refused with the name it probably meant and the layer that set it, not silently dropped', async () => {
    const stdin = 'my-mysql:\n  image:\n    tga: "8.0"\n';
    const { code, stdout, stderr } = await runCli(['synth', 'examples/mysql', '-f', '-', '--set', 'my-mysql.service.prot=3307'], { stdin });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Error [VALUES_INVALID]: values for release "my-mysql" are invalid');
    expect(stderr).toContain('my-mysql.image.tga: not a value of this chart; did you mean tag? (set by -f -)');
    expect(stderr).toContain('my-mysql.service.prot: not a value of this chart; did you mean port? (set by --set my-mysql.service.prot=<redacted>)');
    expect(stderr).toContain('Hint: rename or remove each value named');
  });

  test('a rejected secret value is not quoted in the error', async () => {
    const { code, stderr } = await runCli(['synth', 'examples/mysql', '--set', 'my-mysql.rootPassword=', '--set', 'my-mysql.service.port=abc']);
    expect(code).toBe(2);
    expect(stderr).toContain('my-mysql.rootPassword: must not be empty (set by --set my-mysql.rootPassword=<redacted>)');
    expect(stderr).toContain('(set by --set my-mysql.service.port=abc)'); // not a secret: the value helps
  });

  test('an unknown release name lists the releases', async () => {
    const { code, stderr } = await runCli(['synth', 'examples/mysql', '--set', 'mysql.image.tag=x']);
    expect(code).toBe(2);
    expect(stderr).toContain('Error [RELEASE_UNKNOWN]: --set mysql.image.tag=x names release "mysql"');
    expect(stderr).toContain('known releases: my-mysql');
  });

  test('an unknown environment lists the known ones', async () => {
    const { code, stderr } = await runCli(['synth', 'examples/mysql', '--env', 'staging']);
    expect(code).toBe(2);
    expect(stderr).toContain('[ENV_UNKNOWN]');
    expect(stderr).toContain('known environments: dev, prod');
  });

  test('a values file that is not a map is refused with its name', async () => {
    const { code, stderr } = await runCli(['synth', 'examples/mysql', '-f', '-'], { stdin: '- a\n- b\n' });
    expect(code).toBe(2);
    expect(stderr).toContain('standard input must hold a map of values at the top, not a list');
  });

  test('a missing project is exit 3 with a hint', async () => {
    const { code, stderr } = await runCli(['synth', 'no/such/dir']);
    expect(code).toBe(3);
    expect(stderr).toContain('[PROJECT_NOT_FOUND]');
  });

  test('a chart directory renders with package-mode values (no release prefix)', async () => {
    const { code, stdout } = await runCli(['synth', 'charts/mysql', '--release', 'my', '--set', 'rootPassword=root']);
    expect(code).toBe(0);
    expect(docs(stdout).filter((o) => o.kind !== 'Job').every((o) => o.metadata.name === 'my-mysql')).toBe(true);
  });

  test('unknown flags are usage errors (exit 2)', async () => {
    const { code, stderr } = await runCli(['synth', '--bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain('[USAGE]');
  });

  test('-o json prints the same objects as data; -o is a format, --output-dir the directory', async () => {
    const yaml = await runCli(['synth', 'examples/mysql']);
    const json = await runCli(['synth', 'examples/mysql', '-o', 'json']);
    expect(json.code).toBe(0);
    const releases = JSON.parse(json.stdout) as { name: string; chart: { name: string }; objects: unknown[] }[];
    expect(releases.map((r) => [r.name, r.chart.name])).toEqual([['my-mysql', 'mysql']]);
    expect(releases[0].objects).toEqual(docs(yaml.stdout));
    const dir = await runCli(['synth', 'examples/mysql', '-o', 'out']);
    expect(dir.code).toBe(2);
    expect(dir.stderr).toContain('-o out: synth prints yaml or json');
    expect(dir.stderr).toContain('use --output-dir out');
    const both = await runCli(['synth', 'examples/mysql', '-o', 'json', '--output-dir', 'out']);
    expect(both.code).toBe(2);
  });
});
