// What a render produced, remembered by what it was rendered from: with it, a deploy whose chart bundle, values
// and files are unchanged says "no changes" without loading or running the chart at all (the bundle load and
// render are most of a no-op's time). Only digests, release names and where they were found deployed (revision,
// kinds, namespaces) are kept: never objects or values.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { KC_BUILD_ID } from '../build-id.js';
import type { ValuesLayer } from '../values/index.js';
import { compareText } from '../compare-text.js';
import { writeFileAtomic } from '../io/write-atomic.js';

/** Everything a render's output depends on, apart from files the render reads (those are tracked as it runs). */
export interface RenderInputs {
  mode: 'chart' | 'project';
  /** Digest of the artifact (packaged chart) or of the built bundle (chart directory, project app). */
  source: string;
  release?: string;
  env?: string;
  namespace?: string;
  layers: readonly ValuesLayer[];
  /** The environment's yieldFields: they change the rendered objects. */
  yields?: unknown;
}

/**
 * Where a no-op check last found a release deployed: read ahead of the release index by the next one, so that its
 * reads go out at once instead of one round trip after another. A guess only: used when the index agrees.
 */
export interface DeployedHint {
  revision: number;
  /** The LISTs its objects were read with: [apiVersion, kind, namespace ('' for cluster-scoped kinds)]. */
  lists: [string, string, string][];
}

/** One release of a remembered render: its name and the digest a revision of it would carry. */
export interface MemoRelease {
  name: string;
  digest: string;
  /** Set once a no-op check found this render deployed (kinds and namespaces only: no objects, no values). */
  seen?: DeployedHint;
}

/** A remembered render: the releases in dependency order and the files read while rendering. */
export interface RenderMemo {
  releases: MemoRelease[];
  /** [absolute path, sha256 of its content] of every file the render read through kc. */
  files: [string, string][];
}

const MEMO_VERSION = 1;
/** Memos kept after a trim; the oldest beyond this are deleted once MEMO_SLACK more have been written. */
export const MEMO_LIMIT = 256;
/** Memos written past the limit before a trim: a trim stats every memo (~10 ms here), on the path to the applies. */
export const MEMO_SLACK = 32;

const sha256 = (text: string | Buffer) => crypto.createHash('sha256').update(text).digest('hex');
const dirOf = (cacheDir: string) => path.join(cacheDir, 'renders');

/** The memo key of some render inputs (kc's own build is part of it: host-side code shapes the output too). */
export function memoKey(inputs: RenderInputs): string {
  return sha256(JSON.stringify([MEMO_VERSION, KC_BUILD_ID, inputs.mode, inputs.source, inputs.release ?? null, inputs.env ?? null, inputs.namespace ?? null, inputs.layers, inputs.yields ?? null]));
}

/** The memo stored under `key`, if there is one and every file it read still has the same content. */
export function readMemo(cacheDir: string, key: string): RenderMemo | undefined {
  let memo: RenderMemo;
  try {
    memo = JSON.parse(fs.readFileSync(path.join(dirOf(cacheDir), `${key}.json`), 'utf8')) as RenderMemo;
  } catch {
    return undefined;
  }
  for (const [file, digest] of memo.files) {
    let content: Buffer;
    try {
      content = fs.readFileSync(file);
    } catch {
      return undefined;
    }
    if (sha256(content) !== digest) return undefined;
  }
  return memo;
}

/**
 * Stores a memo under `key` (write then rename, so a concurrent kc never reads half of one); best effort. The folder
 * and files are the user's only: keys hash the values and memos hold digests of the rendered objects, Secrets too,
 * and a guessable secret could be tried against them.
 */
export function writeMemo(cacheDir: string, key: string, memo: RenderMemo): void {
  const dir = dirOf(cacheDir);
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if ((fs.statSync(dir).mode & 0o077) !== 0) fs.chmodSync(dir, 0o700); // made by a kc before this rule
    writeFileAtomic(path.join(dir, `${key}.json`), JSON.stringify(memo), 0o600);
    trim(dir);
  } catch {
    // A read-only or full cache only costs the next no-op a render.
  }
}

function trim(dir: string): void {
  const names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
  if (names.length <= MEMO_LIMIT + MEMO_SLACK) return;
  const byAge = names.map((n) => ({ file: path.join(dir, n), mtime: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.mtime - b.mtime);
  for (const { file } of byAge.slice(0, names.length - MEMO_LIMIT)) fs.rmSync(file, { force: true });
}

/** A readText that remembers the digest of every file it read, for the memo. */
export function trackingReader(readText: (file: string) => string, cwd: string): { readText: (file: string) => string; files: () => [string, string][] } {
  const read = new Map<string, string>();
  return {
    readText(file) {
      const text = readText(file);
      read.set(path.resolve(cwd, file), sha256(text));
      return text;
    },
    files: () => [...read].sort(([a], [b]) => compareText(a, b)),
  };
}
