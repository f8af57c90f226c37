import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { fixedClock, memoryHttp, serveDir, tempDir, writeChart } from '../fixtures/artifacts/helpers.js';

const t = tempDir('kc-cli-repo-');
afterAll(() => t.remove());
const cacheDir = path.join(t.dir, 'cache');
const configDir = path.join(t.dir, 'config');
const http = memoryHttp();
const URL_ = 'http://127.0.0.1:8879/charts';
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const kc = (args: string[], ctx: Record<string, unknown> = {}) => runCli(args, { cwd: t.dir, ctx: { cacheDir, configDir, http, clock: fixedClock('2026-04-01T10:00:00.000Z'), ...ctx } });
const publish = () => serveDir(http, path.join(t.dir, 'site'), URL_);

beforeAll(async () => {
  writeChart(path.join(t.dir, 'web'), { name: 'web', appVersion: '1.25', keywords: ['nginx', 'frontend'], description: 'A web server.' });
  writeChart(path.join(t.dir, 'db'), { name: 'db', keywords: ['sql'], description: 'A database.' });
  for (const args of [['web'], ['db'], ['web', '--version', '0.2.0']]) {
    const run = await kc(['package', ...args, '-d', 'site']);
    expect(run.stderr).toBe('');
  }
}, 60_000);

describe('kc repo index', () => {
  test('writes index.yaml: charts by name, newest version first, sha256 of each .tgz, URLs under --url, created from the clock', async () => {
    const run = await kc(['repo', 'index', 'site', '--url', URL_]);
    expect(run.stdout).toBe('Indexed 3 chart archive(s) into site/index.yaml: db-0.1.0, web-0.1.0, web-0.2.0\n');
    const index = parse(fs.readFileSync(path.join(t.dir, 'site', 'index.yaml'), 'utf8'));
    expect(index.apiVersion).toBe('v1');
    expect(index.entries.web.map((e: { version: string }) => e.version)).toEqual(['0.2.0', '0.1.0']);
    expect(index.entries.web[0]).toEqual({
      name: 'web', version: '0.2.0', appVersion: '1.25', description: 'A web server.', keywords: ['nginx', 'frontend'],
      digest: sha(path.join(t.dir, 'site', 'web-0.2.0.tgz')), urls: [`${URL_}/web-0.2.0.tgz`], created: '2026-04-01T10:00:00.000Z',
    });
  });

  test('--merge keeps the created time of versions already published', async () => {
    fs.copyFileSync(path.join(t.dir, 'site', 'index.yaml'), path.join(t.dir, 'old-index.yaml'));
    writeChart(path.join(t.dir, 'db'), { name: 'db', version: '0.3.0', keywords: ['sql'], description: 'A database.' });
    expect((await kc(['package', 'db', '-d', 'site'])).code).toBe(0);
    const run = await kc(['repo', 'index', 'site', '--url', URL_, '--merge', 'old-index.yaml'], { clock: fixedClock('2026-05-01T00:00:00.000Z') });
    expect(run.code).toBe(0);
    const index = parse(fs.readFileSync(path.join(t.dir, 'site', 'index.yaml'), 'utf8'));
    expect(index.entries.db.map((e: { version: string; created: string }) => [e.version, e.created])).toEqual([
      ['0.3.0', '2026-05-01T00:00:00.000Z'],
      ['0.1.0', '2026-04-01T10:00:00.000Z'],
    ]);
    expect(index.entries.web[1].created).toBe('2026-04-01T10:00:00.000Z');
    publish();
  });

  test('a damaged archive in the folder stops indexing with its name', async () => {
    const bad = path.join(t.dir, 'bad-site');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'x-1.0.0.tgz'), 'not gzip');
    const run = await kc(['repo', 'index', 'bad-site']);
    expect(run.code).toBe(8);
    expect(run.stderr).toContain('Error [ARCHIVE_CORRUPT]: bad-site/x-1.0.0.tgz is not a readable chart archive: it is not gzip-compressed');
  });
});

describe('kc repo add|list|update|remove', () => {
  test('add downloads and checks the index, then list shows it', async () => {
    const add = await kc(['repo', 'add', 'newrepo', URL_]);
    expect(add.stderr).toBe('');
    expect(add.stdout).toBe('"newrepo" has been added to your repositories (2 charts)\n');
    expect(fs.readFileSync(path.join(configDir, 'repositories.yaml'), 'utf8')).toBe(`apiVersion: v1\nrepositories:\n  - name: newrepo\n    url: ${URL_}\n`);
    expect(fs.existsSync(path.join(cacheDir, 'repository', 'newrepo-index.yaml'))).toBe(true);
    expect((await kc(['repo', 'list'])).stdout).toBe(`NAME      URL\nnewrepo   ${URL_}\n`);
    expect(JSON.parse((await kc(['repo', 'list', '-o', 'json'])).stdout)).toEqual([{ name: 'newrepo', url: URL_ }]);
  });

  test('adding a name again with another URL is REPO_EXISTS; an URL without an index is FETCH_FAILED; a bad index is refused', async () => {
    const again = await kc(['repo', 'add', 'newrepo', 'http://127.0.0.1:1/other']);
    expect(again.code).toBe(6);
    expect(again.stderr).toContain('Error [REPO_EXISTS]: repository "newrepo" already exists with URL');
    const missing = await kc(['repo', 'add', 'nothing', 'http://127.0.0.1:1/none']);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toContain('Error [FETCH_FAILED]: cannot download http://127.0.0.1:1/none/index.yaml');
    http.files.set('http://127.0.0.1:1/junk/index.yaml', Buffer.from('kind: Pod\n'));
    const junk = await kc(['repo', 'add', 'junk', 'http://127.0.0.1:1/junk']);
    expect(junk.code).toBe(8);
    expect(junk.stderr).toContain('[REPO_INDEX_INVALID]');
    expect(JSON.parse((await kc(['repo', 'list', '-o', 'json'])).stdout).map((r: { name: string }) => r.name)).toEqual(['newrepo']);
  });

  test('update refreshes every repository; remove forgets one; unknown names are REPO_NOT_FOUND', async () => {
    expect((await kc(['repo', 'update'])).stdout).toBe('...Successfully got an update from the "newrepo" chart repository (2 charts)\nUpdate Complete.\n');
    const unknown = await kc(['repo', 'remove', 'nope']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('Error [REPO_NOT_FOUND]: no repository named "nope"');
    expect((await kc(['repo', 'add', 'spare', URL_])).code).toBe(0);
    expect((await kc(['repo', 'remove', 'spare'])).stdout).toBe('"spare" has been removed from your repositories\n');
    expect(fs.existsSync(path.join(cacheDir, 'repository', 'spare-index.yaml'))).toBe(false);
  });
});

describe('kc search repo', () => {
  test('finds charts by keyword, newest version per chart', async () => {
    const run = await kc(['search', 'repo', 'nginx']);
    expect(run.stdout).toBe('NAME          CHART VERSION   APP VERSION   DESCRIPTION\nnewrepo/web   0.2.0           1.25          A web server.\n');
    const all = JSON.parse((await kc(['search', 'repo', '-o', 'json'])).stdout);
    expect(all.map((h: { name: string; version: string }) => `${h.name}@${h.version}`)).toEqual(['newrepo/db@0.3.0', 'newrepo/web@0.2.0']);
  });

  test('--versions lists every version; no match says so', async () => {
    const run = JSON.parse((await kc(['search', 'repo', 'web', '--versions', '-o', 'json'])).stdout);
    expect(run.map((h: { version: string }) => h.version)).toEqual(['0.2.0', '0.1.0']);
    const none = await kc(['search', 'repo', 'postgres']);
    expect(none.code).toBe(0);
    expect(none.stderr).toBe('No results found\n');
  });
});

describe('kc repo list and credentials', () => {
  test('a repository URL with a user and password is listed without them, in the table and in -o json', async () => {
    const own = path.join(t.dir, 'config-creds');
    fs.mkdirSync(own, { recursive: true });
    const url = 'https://ann:s3cret-pass@127.0.0.1:1/charts/';
    fs.writeFileSync(path.join(own, 'repositories.yaml'), `apiVersion: v1\nrepositories:\n  - name: private\n    url: ${url}\n`);
    const table = await kc(['repo', 'list'], { configDir: own });
    expect(table.stdout).toBe('NAME      URL\nprivate   https://127.0.0.1:1/charts/\n');
    const json = await kc(['repo', 'list', '-o', 'json'], { configDir: own });
    expect(json.stdout).not.toContain('s3cret');
    expect(JSON.parse(json.stdout)).toEqual([{ name: 'private', url: 'https://127.0.0.1:1/charts/' }]);
  });
});

describe('charts from a repository', () => {
  test('pull downloads the newest version (or the --version range) and checks its digest', async () => {
    const run = await kc(['pull', 'newrepo/web', '-d', 'pulled']);
    expect(run.stdout).toBe(`Pulled web 0.2.0 to pulled/web-0.2.0.tgz\nsha256: ${sha(path.join(t.dir, 'site', 'web-0.2.0.tgz'))}\n`);
    const old = await kc(['pull', 'newrepo/web', '--version', '<0.2.0', '-d', 'pulled']);
    expect(old.stdout).toContain('Pulled web 0.1.0 to pulled/web-0.1.0.tgz');
    const none = await kc(['pull', 'newrepo/web', '--version', '^1.0.0']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('Error [CHART_NOT_FOUND]: repository newrepo has no version of web matching ^1.0.0');
  });

  test('pull --untar [--untardir DIR] unpacks into DIR/NAME, drops the .tgz, never overwrites a folder', async () => {
    const run = await kc(['pull', 'newrepo/web', '-d', 'untarred', '--untar']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('Pulled web 0.2.0 into untarred/web\n');
    const dir = path.join(t.dir, 'untarred');
    expect(fs.readdirSync(dir)).toEqual(['web']);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'web', 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'web', version: '0.2.0' });
    const nested = await kc(['pull', 'newrepo/web', '-d', 'untarred', '--untar', '--untardir', 'sub']);
    expect(nested.stdout).toContain('Pulled web 0.2.0 into untarred/sub/web\n');
    expect(fs.existsSync(path.join(dir, 'sub', 'web', 'manifest.json'))).toBe(true);
    const again = await kc(['pull', 'newrepo/web', '-d', 'untarred', '--untar']);
    expect(again.code).toBe(2);
    const target = path.join(dir, 'web');
    expect(again.stderr).toContain(`Error [USAGE]: cannot unpack web-0.2.0.tgz: ${target} already exists`);
    expect(again.stderr).toContain('--untardir');
    expect(fs.readdirSync(dir).sort()).toEqual(['sub', 'web']);
  });

  test('a chart named like a member of Object.prototype (constructor) is not found, not a bug', async () => {
    for (const name of ['constructor']) {
      const run = await kc(['pull', `newrepo/${name}`]);
      expect(run.stderr).toContain(`Error [CHART_NOT_FOUND]: repository newrepo has no chart named "${name}"`);
      expect(run.code).toBe(3);
    }
  });

  test('synth renders newrepo/web, or newrepo/web@RANGE, in the sandbox, downloading each version once', async () => {
    const before = http.requests.length;
    const latest = await kc(['synth', 'newrepo/web', '--release', 'site']);
    expect(latest.stderr).toBe('');
    expect(parse(latest.stdout).metadata.labels['kc.dev/chart']).toBe('web-0.2.0');
    const pinned = await kc(['synth', 'newrepo/web@0.1.x', '--release', 'site']);
    expect(parse(pinned.stdout).metadata.labels['kc.dev/chart']).toBe('web-0.1.0');
    const downloads = http.requests.slice(before);
    expect(downloads).toEqual([`${URL_}/web-0.2.0.tgz`, `${URL_}/web-0.1.0.tgz`]);
    await kc(['synth', 'newrepo/web', '--release', 'site']);
    expect(http.requests.length).toBe(before + 2);
  });

  test('an archive whose digest differs from the index is refused on pull and install, and nothing is written', async () => {
    http.files.set(`${URL_}/db-0.3.0.tgz`, http.files.get(`${URL_}/db-0.1.0.tgz`)!);
    const pull = await kc(['pull', 'newrepo/db', '-d', 'evil']);
    expect(pull.code).toBe(8);
    expect(pull.stderr).toMatch(/Error \[INTEGRITY_MISMATCH\]: db-0\.3\.0\.tgz from http:\/\/127\.0\.0\.1:8879\/charts\/db-0\.3\.0\.tgz has sha256 [0-9a-f]{64}, but the index of repository newrepo says [0-9a-f]{64}/);
    expect(fs.existsSync(path.join(t.dir, 'evil'))).toBe(false);
    const synth = await kc(['synth', 'newrepo/db']);
    expect(synth.code).toBe(8);
    expect(synth.stderr).toContain('[INTEGRITY_MISMATCH]');
    publish();
  });

  test('an http URL of a .tgz renders too; an unknown repository says what it looked for', async () => {
    const run = await kc(['synth', `${URL_}/db-0.1.0.tgz`]);
    expect(parse(run.stdout).metadata.labels['kc.dev/chart']).toBe('db-0.1.0');
    const unknown = await kc(['synth', 'other/web']);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('Error [REPO_NOT_FOUND]: other/web is not a local path, and there is no repository named "other"');
  });
});
