import { compareText } from '../compare-text.js';

/** How bad a finding is: errors fail lint, warnings only with --strict, info never. */
export type LintLevel = 'error' | 'warning' | 'info';

/** One problem lint found: where (object, field or file), what, and how to fix it. */
export interface LintFinding {
  level: LintLevel;
  /**
   * Rule id: typescript, values, synth, schema, api-version, image-tag, resources, probes, read-only-root,
   * run-as-non-root, service-selector, duplicate.
   */
  rule: string;
  /** Environments the finding appears in (empty for a chart, or when not environment-specific). */
  envs: string[];
  release?: string;
  /** The object as `Kind/name`. */
  object?: string;
  /** Field path inside the object, e.g. `spec.template.spec.containers[0].image`. */
  path?: string;
  /** Source location for type errors, `file:line:col`. */
  file?: string;
  message: string;
  fix: string;
}

const LEVEL_RANK: Record<LintLevel, number> = { error: 0, warning: 1, info: 2 };

function identity(f: LintFinding): string {
  return JSON.stringify([f.level, f.rule, f.release, f.object, f.path, f.file, f.message, f.fix]);
}

/** Merges findings that differ only by environment and sorts them: errors first, then by rule and place. */
export function mergeFindings(findings: readonly LintFinding[]): LintFinding[] {
  const byId = new Map<string, LintFinding>();
  for (const f of findings) {
    const id = identity(f);
    const seen = byId.get(id);
    if (seen) seen.envs = [...new Set([...seen.envs, ...f.envs])];
    else byId.set(id, { ...f, envs: [...f.envs] });
  }
  const key = (f: LintFinding) => [f.rule, f.file ?? '', f.release ?? '', f.object ?? '', f.path ?? '', f.message].join('\u0000');
  return [...byId.values()].sort((a, b) => LEVEL_RANK[a.level] - LEVEL_RANK[b.level] || compareText(key(a), key(b)));
}

/** One line per finding: `error schema [dev] Deployment/web spec.replicasss: unknown field (fix: ...)`. */
export function formatFinding(f: LintFinding): string {
  const envs = f.envs.length ? ` [${f.envs.join(', ')}]` : '';
  const where = [f.file, f.release && !f.object ? `release ${f.release}` : undefined, f.object, f.path].filter(Boolean).join(' ');
  return `${f.level} ${f.rule}${envs} ${where ? `${where}: ` : ''}${f.message} (fix: ${f.fix})`;
}
