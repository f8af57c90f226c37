// kc's SOPS Secrets against the real sops (v3.13.3, built by test/flux/flux.sh): `sops decrypt` gives back the
// original Secret with its MAC checked, refuses what was tampered with, and sops's own encryption has the same shape
// as kc's. Offline: age keys only, no key service.
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { encryptSecretForSops, SOPS_ENCRYPTED_REGEX, toSopsYaml } from '../../src/gitops/sops.js';
import type { KubeObject } from '../../src/synth/order.js';
import { sopsDecrypt } from '../helpers/sops-decrypt.js';

const FLUX_SCRIPT = fileURLToPath(new URL('../flux/flux.sh', import.meta.url));
const BUILD_TIMEOUT_MS = 30 * 60 * 1000; // a cold build of sops takes minutes
const SOPS_TIMEOUT_MS = 30_000;
const PASSWORD = 'pa55-word:with/odd=chars';

let sops: string;
let dir: string;
let identity: string;
let recipient: string;
let identity2: string;
let recipient2: string;

/** The Secret a chart renders: base64 data, an empty value, multi-line stringData, a date-like label, a number. */
function secret(): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: {
      name: 'db-credentials',
      namespace: 'prod',
      labels: { 'app.kubernetes.io/name': 'db', rotated: '2026-01-01', '10': 'ten', '9': 'nine' },
      annotations: { 'kc.dev/replicas': 3, 'kc.dev/enabled': true },
      creationTimestamp: null,
    },
    type: 'Opaque',
    data: { password: Buffer.from(PASSWORD).toString('base64'), empty: '' },
    stringData: { username: 'app', 'config.yaml': 'user: app\nport: 5432\n', port: 5432, debug: false, ratio: 0.25 },
  };
}

function sopsPath(): string {
  const res = spawnSync('bash', [FLUX_SCRIPT, 'path', 'sops'], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS });
  const found = res.stdout?.trim();
  if (res.status !== 0 || !found || !fs.existsSync(found)) {
    const why = res.error?.message ?? `exit ${res.status}`;
    throw new Error(`bash test/flux/flux.sh path sops failed (${why}):\n${res.stderr}`);
  }
  return found;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs sops in the temp dir with only the given identity (its own HOME, so no keys.txt of the machine), bounded. */
function runSops(args: string[], ageKey?: string): Promise<Run> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir };
  if (ageKey) env.SOPS_AGE_KEY = ageKey;
  return new Promise((resolve) => {
    execFile(sops, args, { cwd: dir, env, timeout: SOPS_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const DECRYPT = ['decrypt', '--input-type', 'yaml', '--output-type', 'yaml'];

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

beforeAll(async () => {
  sops = sopsPath();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-sops-'));
  identity = await generateX25519Identity();
  recipient = await identityToRecipient(identity);
  identity2 = await generateX25519Identity();
  recipient2 = await identityToRecipient(identity2);
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('sops decrypt reads what kc encrypts', () => {
  it('is sops 3.13.3', async () => {
    const run = await runSops(['--disable-version-check', '--version']);
    expect(`${run.stdout}${run.stderr}`).toMatch(/sops 3\.13\.3/);
  });

  it('gives back the original Secret, the MAC checked, for each recipient', async () => {
    const encrypted = await encryptSecretForSops(secret(), [recipient, recipient2], { now: new Date() });
    const file = write('secret.enc.yaml', toSopsYaml(encrypted));
    expect(fs.readFileSync(file, 'utf8')).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    for (const key of [identity, identity2]) {
      const run = await runSops([...DECRYPT, file], key);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(parse(run.stdout)).toEqual(secret());
    }
  });

  it("decrypts the object as JSON in the YAML's order too, the way kustomize-controller hands it to sops", async () => {
    const encrypted = await encryptSecretForSops(secret(), [recipient], { now: new Date() });
    // kustomize-controller marshals the resource (read from the artifact's YAML) to JSON, then decrypts it with
    // sops's JSON store (internal/decryptor DecryptResource); key order follows the YAML, integer-like keys included.
    const json = (v: unknown): string => {
      if (Array.isArray(v)) return `[${v.map(json).join(',')}]`;
      if (v !== null && typeof v === 'object') {
        const map = v as Record<string, unknown>;
        return `{${Object.keys(map).sort().map((k) => `${JSON.stringify(k)}:${json(map[k])}`).join(',')}}`;
      }
      return JSON.stringify(v);
    };
    const file = write('secret.enc.json', json(parse(toSopsYaml(encrypted))));
    const run = await runSops(['decrypt', '--input-type', 'json', '--output-type', 'json', file], identity);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(secret());
  });

  it('refuses a tampered file: a changed plaintext field fails the MAC, a moved value fails its AAD', async () => {
    const encrypted = await encryptSecretForSops(secret(), [recipient], { now: new Date() });
    const text = toSopsYaml(encrypted);
    // The MAC covers metadata too: a label changed after encryption is caught.
    const relabeled = write('relabeled.yaml', text.replace('rotated: "2026-01-01"', 'rotated: "2026-02-02"'));
    const mac = await runSops([...DECRYPT, relabeled], identity);
    expect(mac.code).not.toBe(0);
    expect(mac.stderr).toMatch(/MAC mismatch/);
    expect(mac.stdout).toBe('');
    // With the MAC ignored the same file decrypts: what failed was the MAC, not the values.
    const ignored = await runSops([...DECRYPT, '--ignore-mac', relabeled], identity);
    expect(ignored.code).toBe(0);
    expect((parse(ignored.stdout) as KubeObject).data).toEqual(secret().data);
    // A value moved to another key does not open: its path is its AAD.
    const data = encrypted.data as Record<string, string>;
    const stringData = encrypted.stringData as Record<string, string>;
    const moved = { ...encrypted, stringData: { ...stringData, username: data.password } };
    const movedRun = await runSops([...DECRYPT, write('moved.yaml', toSopsYaml(moved))], identity);
    expect(movedRun.code).not.toBe(0);
    expect(movedRun.stderr).toMatch(/Could not decrypt value|cipher: message authentication failed/);
    expect(`${movedRun.stdout}${movedRun.stderr}`).not.toContain(PASSWORD);
  });

  it('refuses another identity without printing any value', async () => {
    const encrypted = await encryptSecretForSops(secret(), [recipient], { now: new Date() });
    const file = write('other.yaml', toSopsYaml(encrypted));
    const run = await runSops([...DECRYPT, file], await generateX25519Identity());
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/Failed to get the data key/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });
});

describe("sops's own encryption has kc's shape", () => {
  it('has the same sops keys, the same plaintext fields and the same value types; both read back alike', async () => {
    const plain = write('plain.yaml', toSopsYaml(secret()));
    const args = ['encrypt', '--age', recipient, '--encrypted-regex', SOPS_ENCRYPTED_REGEX];
    const run = await runSops([...args, '--input-type', 'yaml', '--output-type', 'yaml', plain]);
    expect(run.code).toBe(0);
    const theirs = parse(run.stdout) as KubeObject;
    const ours = await encryptSecretForSops(secret(), [recipient], { now: new Date() });
    expect(Object.keys(theirs.sops as object).sort()).toEqual(Object.keys(ours.sops as object).sort());
    const meta = (o: KubeObject) => {
      const { age, lastmodified, mac, ...rest } = o.sops as Record<string, unknown>;
      return { rest, recipients: (age as { recipient: string }[]).map((a) => a.recipient), lastmodified, mac };
    };
    expect(meta(ours).rest).toEqual(meta(theirs).rest);
    expect(meta(ours).recipients).toEqual(meta(theirs).recipients);
    for (const o of [ours, theirs]) {
      expect(o.metadata).toEqual(secret().metadata);
      expect([o.apiVersion, o.kind, o.type]).toEqual(['v1', 'Secret', 'Opaque']);
    }
    const shape = (o: KubeObject) =>
      Object.fromEntries(
        ['data', 'stringData'].flatMap((field) =>
          Object.entries(o[field] as Record<string, string>).map(([k, v]) => [
            `${field}.${k}`,
            v === '' ? '' : v.replace(/data:[^,]*,iv:[^,]+,tag:[^,]+,/, 'data:…,iv:…,tag:…,'),
          ]),
        ),
      );
    expect(shape(ours)).toEqual(shape(theirs));
    // The reader the unit tests use opens sops's file too, MAC included.
    expect((await sopsDecrypt(theirs, identity)).plain).toEqual(secret());
  });
});
