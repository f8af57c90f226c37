// A Docker credential helper for tests: `docker-credential-test` (a node script) in a temp folder that goes first on
// PATH. It keeps credentials in a JSON file beside it, as a keychain would, and misbehaves on request (FAKE_HELPER).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A fake helper's folder, its store and the environment that finds it. */
export interface FakeCredentialHelper {
  dir: string;
  /** The helper's "keychain": ServerURL → {Username, Secret}. */
  store(): Record<string, { Username: string; Secret: string }>;
  /** Every call: the action and what came on stdin. */
  calls(): { action: string; input: string }[];
  /** PATH with the helper first; FAKE_HELPER set to `mode` when given. */
  env(mode?: string): Record<string, string | undefined>;
  remove(): void;
}

const SCRIPT = `#!/usr/bin/env node
const fs = require('node:fs');
const path = require('node:path');
const db = path.join(__dirname, 'store.json');
const log = path.join(__dirname, 'calls.jsonl');
const action = process.argv[2];
const input = fs.readFileSync(0, 'utf8');
fs.appendFileSync(log, JSON.stringify({ action, input }) + '\\n');
const mode = process.env.FAKE_HELPER || '';
const store = fs.existsSync(db) ? JSON.parse(fs.readFileSync(db, 'utf8')) : {};
const notFound = () => { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); };
if (mode === 'fail') { process.stderr.write('the keychain is locked\\n'); process.exit(3); }
if (mode === 'hang') setInterval(() => undefined, 1000);
else if (mode === 'flood') { process.stdout.write('x'.repeat(4 * 1024 * 1024)); }
else if (mode === 'garbage') { process.stdout.write('Secret=' + (Object.values(store)[0] || {}).Secret); }
else if (mode === 'echo') { process.stderr.write('refused: ' + input + '\\n'); process.exit(1); }
else if (action === 'get') {
  const hit = store[input.trim()];
  if (!hit) notFound();
  process.stdout.write(JSON.stringify({ ServerURL: input.trim(), Username: hit.Username, Secret: hit.Secret }));
} else if (action === 'store') {
  const c = JSON.parse(input);
  store[c.ServerURL] = { Username: c.Username, Secret: c.Secret };
  fs.writeFileSync(db, JSON.stringify(store));
} else if (action === 'erase') {
  if (!store[input.trim()]) notFound();
  delete store[input.trim()];
  fs.writeFileSync(db, JSON.stringify(store));
} else { process.stderr.write('unknown action ' + action + '\\n'); process.exit(1); }
`;

/** Writes the fake helper `docker-credential-<suffix>` into a new temp folder. */
export function fakeCredentialHelper(suffix = 'test'): FakeCredentialHelper {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kc-cred-helper-'));
  const program = path.join(dir, `docker-credential-${suffix}`);
  fs.writeFileSync(program, SCRIPT, { mode: 0o755 });
  const read = <T>(file: string, empty: T, parse: (text: string) => T): T =>
    fs.existsSync(path.join(dir, file)) ? parse(fs.readFileSync(path.join(dir, file), 'utf8')) : empty;
  return {
    dir,
    store: () => read('store.json', {}, JSON.parse),
    calls: () =>
      read('calls.jsonl', [], (t) =>
        t
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l)),
      ),
    env: (mode) => ({
      PATH: `${dir}${path.delimiter}${process.env.PATH ?? ''}`,
      ...(mode ? { FAKE_HELPER: mode } : {}),
    }),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
