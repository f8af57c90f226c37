// Type-checks a project or chart with the TypeScript compiler API. TypeScript is loaded lazily (it is
// large and only lint needs it), from the project's own install first, then from kc's.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TS from 'typescript';
import { kcRoot } from '../kc-root.js';
import { kcCompilerOptions } from '../scaffold/compiler-options.js';
import type { RuleFinding } from './rules.js';
import { dynamicImport } from '../dynamic-import.js';
import { compareText } from '../compare-text.js';

/** What the type check found, or that TypeScript is not installed. */
export interface TypecheckResult {
  /** The TypeScript version used; undefined when none could be loaded. */
  version?: string;
  /** The tsconfig.json whose compiler options were used, if any. */
  configFile?: string;
  findings: RuleFinding[];
}

async function loadTypescript(dir: string): Promise<typeof TS | undefined> {
  for (const from of [dir, kcRoot()]) {
    let resolved: string;
    try {
      resolved = createRequire(path.join(from, 'package.json')).resolve('typescript');
    } catch {
      continue;
    }
    // A computed specifier keeps bundlers from inlining TypeScript into kc's CLI.
    const mod = (await dynamicImport(pathToFileURL(resolved).href)) as { default?: typeof TS } & typeof TS;
    return mod.default ?? mod;
  }
  return undefined;
}

const SKIP_DIRS = new Set(['node_modules', 'dist']);

/** Every TypeScript source under `dir`, skipping node_modules, dist and hidden folders. */
export function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => compareText(a.name, b.name))) {
      if (entry.name.startsWith('.') || SKIP_DIRS.has(entry.name)) continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(m?ts|tsx)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function compilerOptions(ts: typeof TS, dir: string): { options: TS.CompilerOptions; configFile?: string; errors: readonly TS.Diagnostic[] } {
  const configFile = ts.findConfigFile(dir, ts.sys.fileExists, 'tsconfig.json');
  if (configFile) {
    const read = ts.readConfigFile(configFile, ts.sys.readFile);
    const parsed = ts.parseJsonConfigFileContent(read.config ?? {}, ts.sys, path.dirname(configFile), undefined, configFile);
    // "No inputs found" does not apply: the sources to check are chosen here, not by `include`.
    const errors = [...(read.error ? [read.error] : []), ...parsed.errors.filter((e) => e.code !== 18003)];
    return { options: { ...parsed.options, noEmit: true }, configFile, errors };
  }
  // No tsconfig.json: the options `kc init` writes, as if the file were in `dir`.
  const parsed = ts.parseJsonConfigFileContent({ compilerOptions: kcCompilerOptions(kcRoot()) }, ts.sys, dir);
  return { options: parsed.options, errors: [] };
}

/** Type-checks every source under `dir` and reports errors in the user's files (not kc's SDK or node_modules). */
export async function typecheck(dir: string, cwd: string, load: (dir: string) => Promise<typeof TS | undefined> = loadTypescript): Promise<TypecheckResult> {
  const ts = await load(dir);
  if (!ts) {
    const fix = "npm install --save-dev typescript in the project (or in kc's folder)";
    return { findings: [{ level: 'warning', rule: 'typescript', message: 'TypeScript is not installed, so types were not checked', fix }] };
  }
  const { options, configFile, errors } = compilerOptions(ts, dir);
  // One non-incremental program with skipLibCheck: a project type-checks in a few seconds.
  const program = ts.createProgram({ rootNames: sourceFiles(dir), options: { ...options, skipLibCheck: true, incremental: false } });
  const sdk = path.join(kcRoot(), 'src') + path.sep;
  // Only the user's files are checked: kc's SDK and dependencies are not theirs to fix, and skipping
  // them halves the time.
  const own = program.getSourceFiles().filter((f) => {
    const file = path.resolve(f.fileName);
    return !f.isDeclarationFile && !file.includes(`${path.sep}node_modules${path.sep}`) && !file.startsWith(sdk);
  });
  const diagnostics = [
    ...errors,
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...own.flatMap((f) => [...program.getSyntacticDiagnostics(f), ...program.getSemanticDiagnostics(f)]),
  ];
  const findings: RuleFinding[] = [];
  for (const d of diagnostics) {
    if (d.category !== ts.DiagnosticCategory.Error && d.category !== ts.DiagnosticCategory.Warning) continue;
    const file = d.file?.fileName ? path.resolve(d.file.fileName) : undefined;
    let where: string | undefined;
    if (file && d.file && d.start !== undefined) {
      const pos = d.file.getLineAndCharacterOfPosition(d.start);
      where = `${path.relative(cwd, file) || file}:${pos.line + 1}:${pos.character + 1}`;
    }
    findings.push({
      level: d.category === ts.DiagnosticCategory.Error ? 'error' : 'warning',
      rule: 'typescript',
      file: where ?? (configFile ? path.relative(cwd, configFile) : undefined),
      message: `TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ').replace(/\s+/g, ' ')}`,
      fix: 'fix the code at the location shown (npx tsc --noEmit shows the same error)',
    });
  }
  return { version: ts.version, configFile, findings };
}
