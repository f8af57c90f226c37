import fs from 'node:fs';
import path from 'node:path';
import { SourceMap } from 'node:module';
import type { LoadedBundle } from './load.js';

/** A stack frame mapped back to the TypeScript source. */
export interface SourceFrame {
  file: string;
  line: number;
  column: number;
  fn?: string;
}

const FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?$/;

/** Maps the frames of `stack` that point into the bundle back to original files (absolute paths). */
export function mapStack(stack: string, loaded: LoadedBundle<unknown>): SourceFrame[] {
  let map: SourceMap | undefined;
  const frames: SourceFrame[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m || m[2] !== loaded.file) continue;
    map ??= new SourceMap(JSON.parse(fs.readFileSync(loaded.bundle.mapFile, 'utf8')));
    const entry = map.findEntry(Number(m[3]) - 1, Number(m[4]) - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (!entry.originalSource) continue;
    frames.push({
      file: path.resolve(loaded.bundle.sourceRoot, entry.originalSource),
      line: (entry.originalLine ?? 0) + 1,
      column: (entry.originalColumn ?? 0) + 1,
      fn: m[1],
    });
  }
  return frames;
}

/** The first frame in the user's own code (not a dependency, not kc's runtime). */
export function userFrame(frames: SourceFrame[], kcRoot: string): SourceFrame | undefined {
  const runtime = path.join(kcRoot, 'src', 'chart');
  return frames.find((f) => !f.file.includes(`${path.sep}node_modules${path.sep}`) && !f.file.startsWith(runtime));
}
