// `helm template` output read as kc objects: YAML documents parsed, Helm's hook annotations given kc's meaning.
import { parseAllDocuments } from 'yaml';
import { KcError } from '../errors/index.js';
import { HOOK_EVENTS } from '../kube/hooks.js';
import type { KubeObject } from '../kube/types.js';

const KC_HOOK_EVENTS: ReadonlySet<string> = new Set(HOOK_EVENTS);
// Helm 3 still reads `test-success` as `test`; `test-failure` and Helm 2's `crd-install` are not run by Helm 3/4.
const HELM_EVENT_ALIASES: Record<string, string> = { 'test-success': 'test' };

/**
 * An object with Helm's hook annotations (`helm.sh/hook`, `-weight`, `-delete-policy`) also annotated as a kc hook,
 * so kc runs it as Helm would. Objects whose events kc does not run stay ordinary objects, as Helm 3/4 does.
 */
export function withKcHook(object: KubeObject): KubeObject {
  const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
  const helmEvents = annotations['helm.sh/hook'];
  if (helmEvents === undefined) return object;
  const events = helmEvents
    .split(',')
    .map((e) => e.trim())
    .map((e) => HELM_EVENT_ALIASES[e] ?? e)
    .filter((e) => KC_HOOK_EVENTS.has(e));
  if (events.length === 0) return object;
  const kc = {
    'kc.dev/hook': [...new Set(events)].sort().join(','),
    'kc.dev/hook-weight': String(Number.parseInt(annotations['helm.sh/hook-weight'] ?? '0', 10) || 0),
    'kc.dev/hook-delete-policy': (annotations['helm.sh/hook-delete-policy'] ?? 'before-hook-creation')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .join(','),
  };
  return { ...object, metadata: { ...object.metadata, annotations: { ...annotations, ...kc } } };
}

/** The source template of a document, from the `# Source:` comment helm writes above it. */
function sourceOf(text: string | null | undefined): string | undefined {
  return /^\s*(?:#\s*)?Source:\s*(\S+)/m.exec(text ?? '')?.[1];
}

/** The Kubernetes objects of `helm template` output, in order; `kind: List` documents give their items. */
export function parseHelmManifest(text: string, label: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    const where = sourceOf(doc.commentBefore) ?? sourceOf(doc.contents?.commentBefore) ?? label;
    if (doc.errors.length > 0) {
      throw new KcError('CHART_INVALID', `${where} renders invalid YAML: ${doc.errors[0].message.split('\n')[0]}`, {
        hint: 'fix the template (`helm template` shows the same output)',
      });
    }
    const value = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (value === null || value === undefined) continue;
    const object = value as KubeObject;
    if (typeof value !== 'object' || Array.isArray(value) || !object.apiVersion || !object.kind) {
      throw new KcError('CHART_INVALID', `${where} renders a document that is not a Kubernetes object`, {
        hint: 'every document a template renders needs apiVersion and kind',
      });
    }
    const items = object.kind === 'List' ? ((object as { items?: KubeObject[] }).items ?? []) : [object];
    objects.push(...items.map(withKcHook));
  }
  return objects;
}
