// Names and labels of the objects kc gives a GitOps engine: readable, deterministic, and valid Kubernetes names.
import crypto from 'node:crypto';

/** The longest name kept as is: engines copy object names into label values (63 characters at most). */
const MAX_NAME = 63;

const hash = (text: string) => crypto.createHash('sha256').update(text).digest('hex').slice(0, 8);

/**
 * A DNS-label name made of `parts` joined by `-` (`<project>-<env>-<release>`). When the plain join is not a valid
 * name (uppercase, `_`, too long) it is cleaned up and suffixed with a hash of the original, so two different
 * inputs never end up on the same cleaned name.
 */
export function gitopsName(...parts: string[]): string {
  const joined = parts.join('-');
  if (joined.length <= MAX_NAME && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(joined)) return joined;
  const suffix = `-${hash(joined)}`;
  const cleaned = joined
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .slice(0, MAX_NAME - suffix.length)
    .replace(/^-+|-+$/g, '');
  return `${cleaned || 'kc'}${suffix}`;
}

/** A label value for `text`: itself when valid, else a cleaned-up form with a hash of the original. */
export function labelValue(text: string): string {
  if (text.length <= MAX_NAME && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(text)) return text;
  const suffix = `-${hash(text)}`;
  const cleaned = text
    .replace(/[^-A-Za-z0-9_.]+/g, '-')
    .slice(0, MAX_NAME - suffix.length)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return `${cleaned || 'kc'}${suffix}`;
}

/** kc's labels on an engine object: which project, environment and (for per-release objects) release it serves. */
export function gitopsLabels(project: string, env: string, release?: string): Record<string, string> {
  return {
    'app.kubernetes.io/managed-by': 'kc',
    'kc.dev/project': labelValue(project),
    'kc.dev/env': labelValue(env),
    ...(release !== undefined ? { 'kc.dev/release': labelValue(release) } : {}),
  };
}

/** The waves of releases ordered by dependency: 0 for none, else one more than the highest wave depended on. */
export function dependencyWaves(releases: readonly { name: string; dependsOn: string[] }[]): Map<string, number> {
  const byName = new Map(releases.map((r) => [r.name, r]));
  const waves = new Map<string, number>();
  const wave = (name: string, seen: Set<string>): number => {
    const known = waves.get(name);
    if (known !== undefined) return known;
    // A cycle is refused when the app is synthesized; the guard only keeps a hand-made input from looping.
    if (seen.has(name)) return 0;
    seen.add(name);
    const deps = (byName.get(name)?.dependsOn ?? []).filter((d) => byName.has(d));
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => wave(d, seen)));
    waves.set(name, value);
    return value;
  };
  for (const r of releases) wave(r.name, new Set());
  return waves;
}
