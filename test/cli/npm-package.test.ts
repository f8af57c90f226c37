// kc as users get it from npm: `npm pack` ships exactly what runs; the tarball, served by a registry on 127.0.0.1
// (test/helpers/npm-registry.ts), installs globally with every dependency from the npm cache `npm ci` filled; that
// kc synthesizes a chart, and a project made by its `kc init` installs offline and runs `npx kc` and
// `npm run synth` with its own node_modules/kc.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { startLocalRegistry, type LocalRegistry, type Lockfile } from '../helpers/npm-registry.js';
import { repoRoot } from '../helpers/run-cli.js';

const run = promisify(execFile);
const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
};
const lock = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package-lock.json'), 'utf8')) as Lockfile;

// What an installed kc needs at run time; anything else in the tarball is a packaging mistake.
const SHIPPED = [
  'bin/',
  'dist/',
  'src/chart/',
  'src/config/define-config.ts',
  'src/lint/schemas/',
  'package.json',
  'README.md',
  'LICENSE',
  'npm-shrinkwrap.json',
];
const REQUIRED = [
  'bin/kc.cjs',
  'dist/kc.cjs',
  'dist/launch.cjs',
  'dist/client-node-config.cjs',
  'src/chart/index.ts',
  'src/chart/runner.ts',
  'src/chart/cdk8s-loadurl.ts',
  'src/config/define-config.ts',
  'npm-shrinkwrap.json',
  'package.json',
];

/** True for a locked optional package built for another OS or CPU (esbuild's binaries). */
function otherPlatform(name: string): boolean {
  const entry = lock.packages[`node_modules/${name}`] as
    { optional?: boolean; os?: string[]; cpu?: string[] } | undefined;
  return (
    !!entry?.optional &&
    (!!entry.os?.every((os) => os !== process.platform) || !!entry.cpu?.every((cpu) => cpu !== process.arch))
  );
}

let tmp: string;
let registry: LocalRegistry;
let packed: string[];

/** The environment of every npm and kc run: no npm settings of the test's own npm run, npm's cache as it is. */
function env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'INIT_CWD'));
  return {
    ...clean,
    // Any request not for the package under test goes to 127.0.0.1 and fails there (the registry answers 404).
    npm_config_registry: registry.url,
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    KC_CACHE_DIR: path.join(tmp, 'kc-cache'),
    KC_CONFIG_DIR: path.join(tmp, 'kc-config'),
    NO_COLOR: '1',
    ...extra,
  };
}

const exec = (file: string, args: string[], cwd: string, extra?: Record<string, string>) =>
  run(file, args, { cwd, env: env(extra), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const kinds = (yaml: string) =>
  parseAllDocuments(yaml).map(
    (d) => `${(d.toJS() as { kind: string }).kind}/${(d.toJS() as { metadata: { name: string } }).metadata.name}`,
  );

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-npm-'));
  // npm pack runs prepack (npm-shrinkwrap.json), prepare (the build) and postpack, as `npm publish` does.
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', tmp], {
    cwd: repoRoot,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const [result] = JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[];
  packed = result.files.map((f) => f.path);
  registry = await startLocalRegistry(
    path.join(tmp, result.filename),
    pkg,
    packed.includes('npm-shrinkwrap.json'),
    lock,
  );
}, 120_000);

afterAll(async () => {
  await registry?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('kc as an npm package', () => {
  test('npm pack ships bin/, dist/, the chart SDK and a shrinkwrap; no tests, CLI sources or build files', () => {
    for (const file of REQUIRED) expect(packed).toContain(file);
    expect(packed.some((f) => /^src\/lint\/schemas\/v\d+\.\d+\.json\.gz$/.test(f))).toBe(true);
    expect(packed.filter((f) => !SHIPPED.some((s) => (s.endsWith('/') ? f.startsWith(s) : f === s)))).toEqual([]);
    expect(packed.filter((f) => f.endsWith('.map'))).toEqual([]);
    // postpack removed it: the clone keeps package-lock.json as its only lockfile.
    expect(fs.existsSync(path.join(repoRoot, 'npm-shrinkwrap.json'))).toBe(false);
  });

  test('a global install synthesizes; a kc init project installs offline; npx kc and npm run synth work', async () => {
    const prefix = path.join(tmp, 'prefix');
    await exec('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', `${pkg.name}@${pkg.version}`], tmp);
    // No dependency was downloaded (npm also tries the optional esbuild binaries of other platforms, and skips them):
    // every one came from the cache, at its locked version. kc's own tarball may come from the cache too.
    const tarballs = registry.requests.filter((r) => r.includes('/-/'));
    expect(
      tarballs.filter((r) => !r.startsWith(`/${pkg.name}/`) && !otherPlatform(r.slice(1, r.indexOf('/-/')))),
    ).toEqual([]);
    const installed = path.join(prefix, 'lib/node_modules', pkg.name);
    const version = (dep: string) =>
      (
        JSON.parse(fs.readFileSync(path.join(installed, 'node_modules', dep, 'package.json'), 'utf8')) as {
          version: string;
        }
      ).version;
    for (const dep of ['cdk8s', 'esbuild', 'typescript', 'zod'])
      expect(version(dep)).toBe(lock.packages[`node_modules/${dep}`]!.version);
    expect(fs.existsSync(path.join(installed, 'node_modules/jest'))).toBe(false);

    const kc = path.join(prefix, 'bin/kc');
    expect((await exec(kc, ['--version'], tmp)).stdout).toContain(pkg.version);
    // A copy, so nothing resolves from the clone's node_modules.
    const app = path.join(tmp, 'app');
    fs.cpSync(path.join(repoRoot, 'examples/mysql'), path.join(app, 'examples/mysql'), { recursive: true });
    fs.cpSync(path.join(repoRoot, 'charts/mysql'), path.join(app, 'charts/mysql'), { recursive: true });
    const synth = await exec(kc, ['synth', 'examples/mysql', '--env', 'dev'], app);
    expect(kinds(synth.stdout)).toEqual(
      expect.arrayContaining(['Secret/my-mysql', 'Service/my-mysql', 'Deployment/my-mysql']),
    );

    await exec(kc, ['init', 'shop'], tmp);
    const project = path.join(tmp, 'shop');
    const manifest = JSON.parse(fs.readFileSync(path.join(project, 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(manifest.devDependencies).toEqual({ kc: `npm:${pkg.name}@^${pkg.version}` });
    await exec('npm', ['install', '--offline'], project);
    expect(JSON.parse(fs.readFileSync(path.join(project, 'node_modules/kc/package.json'), 'utf8'))).toMatchObject({
      name: pkg.name,
    });
    expect(fs.realpathSync(path.join(project, 'node_modules/.bin/kc'))).toBe(
      path.join(project, 'node_modules/kc/bin/kc.cjs'),
    );

    const expected = ['ServiceAccount/shop', 'Service/shop', 'Deployment/shop', 'Job/shop-test-connection'];
    expect(kinds((await exec('npx', ['--offline', 'kc', 'synth', '--env', 'dev'], project)).stdout)).toEqual(expected);
    expect(kinds((await exec('npm', ['run', '-s', 'synth', '--', '--env', 'dev'], project)).stdout)).toEqual(expected);
    // lint type-checks with the project's tsconfig: kc/chart and kc/config resolve from node_modules/kc.
    const lint = await exec('npx', ['--offline', 'kc', 'lint'], project);
    expect(lint.stdout).toContain('TypeScript');
    expect(lint.stdout).toContain('0 error(s), 0 warning(s)');
  }, 600_000);
});
