// Checks users expect from a chart linter beyond the API schema: pinned images, resource requests,
// probes, security settings well-known images cannot start with, Services that select pods, and unique
// object names. Pure functions over synthesized objects.
import { duplicateObjects, type KubeObject } from '../synth/index.js';
import type { LintFinding } from './finding.js';
import { imageSettingFindings } from './image-rules.js';

/** A synthesized object and the release it belongs to. */
export interface ReleaseObject {
  release: string;
  object: KubeObject;
}

/** A finding before lint knows which environment it came from. */
export type RuleFinding = Omit<LintFinding, 'envs'>;

interface PodTemplate {
  /** Path of the pod spec inside the object. */
  specPath: string;
  labels: Record<string, string>;
  spec: Record<string, unknown>;
  /** Pods that should keep running (not Jobs or run-to-completion Pods), which need probes. */
  longRunning: boolean;
}

interface Container {
  name?: string;
  image?: string;
  resources?: { requests?: Record<string, unknown> };
  livenessProbe?: unknown;
  readinessProbe?: unknown;
}

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

function at(value: unknown, ...keys: string[]): unknown {
  let node = value;
  for (const k of keys) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[k] : undefined;
  return node;
}

function record(value: unknown): Record<string, string> {
  return value && typeof value === 'object' ? (value as Record<string, string>) : {};
}

function podTemplatesOf(o: KubeObject): PodTemplate[] {
  const template = (base: unknown, specPath: string, longRunning: boolean): PodTemplate[] => {
    const spec = at(base, 'spec');
    return spec && typeof spec === 'object' ? [{ specPath, labels: record(at(base, 'metadata', 'labels')), spec: spec as Record<string, unknown>, longRunning }] : [];
  };
  if (o.kind === 'Pod') return template(o, 'spec', (at(o, 'spec', 'restartPolicy') ?? 'Always') === 'Always');
  if (WORKLOADS.has(o.kind ?? '')) return template(at(o, 'spec', 'template'), 'spec.template.spec', true);
  if (o.kind === 'Job') return template(at(o, 'spec', 'template'), 'spec.template.spec', false);
  if (o.kind === 'CronJob') return template(at(o, 'spec', 'jobTemplate', 'spec', 'template'), 'spec.jobTemplate.spec.template.spec', false);
  return [];
}

const describe = (o: KubeObject) => `${o.kind}/${o.metadata?.name ?? '?'}`;

/** `nginx`, `nginx:latest` and `repo:5000/nginx` are unpinned; `nginx:1.27` and digests are pinned. */
export function imageTagProblem(image: string): string | undefined {
  if (image.includes('@')) return undefined;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return `image "${image}" has no tag, so it means :latest`;
  if (last.slice(colon + 1) === 'latest') return `image "${image}" uses the tag "latest"`;
  return undefined;
}

function containerFindings(ro: ReleaseObject, t: PodTemplate): RuleFinding[] {
  const out: RuleFinding[] = [];
  const base = { release: ro.release, object: describe(ro.object) };
  const lists = [['initContainers', at(t.spec, 'initContainers')], ['containers', at(t.spec, 'containers')]] as const;
  for (const [field, list] of lists) {
    if (!Array.isArray(list)) continue;
    (list as Container[]).forEach((c, i) => {
      const path = `${t.specPath}.${field}[${i}]`;
      const problem = typeof c.image === 'string' ? imageTagProblem(c.image) : undefined;
      if (problem) {
        out.push({ ...base, level: 'warning', rule: 'image-tag', path: `${path}.image`, message: problem, fix: 'pin a version tag (e.g. nginx:1.27.3) or a digest, so every pod runs the same image' });
      }
      out.push(...imageSettingFindings({ ...base, path, podSpec: t.spec }, c as Record<string, unknown>));
      if (field !== 'containers') return;
      if (!c.resources?.requests || Object.keys(c.resources.requests).length === 0) {
        out.push({
          ...base, level: 'warning', rule: 'resources', path: `${path}.resources.requests`,
          message: `container "${c.name ?? i}" requests no CPU or memory`,
          fix: 'set resources.requests (e.g. cpu: 100m, memory: 128Mi) so the scheduler reserves room for the pod',
        });
      }
      const missing = [c.livenessProbe ? undefined : 'livenessProbe', c.readinessProbe ? undefined : 'readinessProbe'].filter(Boolean);
      if (t.longRunning && missing.length > 0) {
        out.push({
          ...base, level: 'warning', rule: 'probes', path,
          message: `container "${c.name ?? i}" has no ${missing.join(' or ')}`,
          fix: 'add httpGet, tcpSocket or exec probes so a hung container restarts and traffic goes only to ready pods',
        });
      }
    });
  }
  return out;
}

function selectorFindings(objects: readonly ReleaseObject[]): RuleFinding[] {
  const templates = objects.flatMap((ro) => podTemplatesOf(ro.object).map((t) => ({ ro, t })));
  const out: RuleFinding[] = [];
  for (const ro of objects) {
    const o = ro.object;
    const selector = record(at(o, 'spec', 'selector'));
    if (o.kind !== 'Service' || o.apiVersion !== 'v1' || Object.keys(selector).length === 0 || at(o, 'spec', 'type') === 'ExternalName') continue;
    const ns = o.metadata?.namespace ?? '';
    const candidates = templates.filter(({ ro: other }) => (other.object.metadata?.namespace ?? '') === ns);
    const unmatched = (labels: Record<string, string>) => Object.entries(selector).filter(([k, v]) => labels[k] !== v);
    if (candidates.some(({ t }) => unmatched(t.labels).length === 0)) continue;
    const closest = candidates.map(({ ro: other, t }) => ({ other, miss: unmatched(t.labels) })).sort((a, b) => a.miss.length - b.miss.length)[0];
    const detail = closest ? `; the closest, ${describe(closest.other.object)}, lacks ${closest.miss.map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
    out.push({
      level: 'error', rule: 'service-selector', release: ro.release, object: describe(o), path: 'spec.selector',
      message: `selects pods labelled ${Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(', ')}, but no pod template in its namespace has them${detail}`,
      fix: "make spec.selector a subset of the pod template's labels (KcChart's this.selectorLabels on both)",
    });
  }
  return out;
}

function duplicateFindings(objects: readonly ReleaseObject[]): RuleFinding[] {
  return duplicateObjects(objects).map(({ first, again: ro }) => {
    const o = ro.object;
    const where = first.release === ro.release ? `twice in release ${ro.release}` : `in releases ${first.release} and ${ro.release}`;
    return {
      level: 'error', rule: 'duplicate', release: ro.release, object: describe(o), path: 'metadata.name',
      message: `${describe(o)}${o.metadata?.namespace ? ` in namespace ${o.metadata.namespace}` : ''} is defined ${where}; one would overwrite the other`,
      fix: 'give one of them another name (kind, namespace and name must be unique)',
    };
  });
}

/** Every rule finding for the objects of one environment (all its releases). */
export function ruleFindings(objects: readonly ReleaseObject[]): RuleFinding[] {
  const perObject = objects.flatMap((ro) => podTemplatesOf(ro.object).flatMap((t) => containerFindings(ro, t)));
  return [...perObject, ...selectorFindings(objects), ...duplicateFindings(objects)];
}
