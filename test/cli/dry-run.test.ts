import { describe, expect, test } from '@jest/globals';
import { runCli } from '../helpers/run-cli.js';

describe('deploy --dry-run --debug (no cluster needed)', () => {
  test('prints the objects, and on stderr every value with the layer that set it, secrets redacted', async () => {
    const run = await runCli(['deploy', 'examples/mysql', '--env', 'prod', '--dry-run', '--debug', '--set', 'my-mysql.user=app']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kind: Deployment');
    expect(run.stdout).toContain('image: mysql:5.7.15');
    expect(run.stderr).toContain('tag: 5.7.15 # environment "prod" in kc.config.ts');
    expect(run.stderr).toContain('size: 8Gi # environment "prod" file examples/mysql/values/prod.yaml');
    expect(run.stderr).toContain('user: app # --set my-mysql.user=app');
    expect(run.stderr).toContain('rootPassword: <redacted> # app code');
    expect(run.stderr).not.toMatch(/rootPassword: root\b/);
  });
});

describe('deploy --dry-run and Secret values (no cluster needed)', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  test('Secret values are placeholders unless --show-secrets', async () => {
    const run = await runCli(['deploy', 'examples/mysql', '--env', 'prod', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('kind: Secret');
    expect(run.stdout).toMatch(/mysql-root-password: "\(redacted: hmac [0-9a-f]{8}, 4 bytes\)"/);
    expect(run.stdout).not.toContain(b64('root'));
    expect(run.stdout).not.toContain(b64('mysql'));

    const shown = await runCli(['deploy', 'examples/mysql', '--env', 'prod', '--dry-run', '--show-secrets']);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`mysql-root-password: ${b64('root')}`);
    expect(shown.stdout).toContain(`mysql-password: ${b64('mysql')}`);
  });
});

describe('the bundled examples', () => {
  test.each([['examples/mysql'], ['examples/webapp-with-db']])('%s lints clean with --strict', async (project) => {
    const run = await runCli(['lint', project, '--strict', '--no-typecheck']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('0 error(s), 0 warning(s)');
  });
});
