// Settings a well-known image cannot run with, which a local fake cluster (kwok) never shows: a read-only root
// filesystem without writable volumes where the image writes, and runAsNonRoot on an image that starts as root.
// cdk8s-plus containers get both by default, so a cdk8s-plus Deployment of postgres or redis fails on a real node.
import { imageUid, knownImage, writablePaths, type KnownImage, type WritablePath } from './known-images.js';
import type { RuleFinding } from './rules.js';

type Obj = Record<string, unknown>;

const obj = (value: unknown): Obj =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
const list = (value: unknown): Obj[] => (Array.isArray(value) ? value.map(obj) : []);

/** Where a container sits: its release and object, its field path, and the pod spec around it. */
export interface ContainerPlace {
  release: string;
  /** `Kind/name`. */
  object: string;
  /** Field path of the container, e.g. `spec.template.spec.containers[0]`. */
  path: string;
  podSpec: Obj;
}

// Volume sources the kubelet always mounts read-only.
const READ_ONLY_SOURCES = ['configMap', 'secret', 'downwardAPI', 'projected', 'image'];

function writableVolume(podSpec: Obj, name: unknown): boolean {
  const volume = list(podSpec.volumes).find((v) => v.name === name);
  // Not among the pod's volumes: a StatefulSet's volumeClaimTemplates (or an error the schema check reports).
  if (!volume) return true;
  if (READ_ONLY_SOURCES.some((source) => source in volume)) return false;
  return !Object.values(volume).some((source) => obj(source).readOnly === true);
}

// Debian's /var/run is a symlink to /run, so a volume at either covers both spellings.
const canonical = (p: string) => p.replace(/\/+$/, '').replace(/^\/var\/run(?=\/|$)/, '/run') || '/';

function covers(mountPath: string, path: string): boolean {
  const mount = canonical(mountPath);
  const target = canonical(path);
  return target === mount || target.startsWith(mount === '/' ? '/' : `${mount}/`);
}

function literalEnv(container: Obj): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of list(container.env))
    if (typeof e.name === 'string' && typeof e.value === 'string') env[e.name] = e.value;
  return env;
}

const and = (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

function mountFix(missing: WritablePath[]): string {
  const scratch = missing.filter((w) => w.kind === 'scratch').map((w) => w.path);
  const data = missing.filter((w) => w.kind === 'data').map((w) => w.path);
  const parts = [
    scratch.length ? `an emptyDir at ${and(scratch)}` : '',
    data.length ? `a PersistentVolumeClaim (or an emptyDir for throwaway data) at ${and(data)}` : '',
  ].filter(Boolean);
  return `mount ${parts.join(' and ')}, or set securityContext.readOnlyRootFilesystem: false`;
}

function readOnlyRootFinding(
  place: ContainerPlace,
  c: Obj,
  known: KnownImage,
  tag: string | undefined,
): RuleFinding | undefined {
  if (obj(c.securityContext).readOnlyRootFilesystem !== true) return undefined;
  const mounts = list(c.volumeMounts).filter(
    (m) => typeof m.mountPath === 'string' && m.readOnly !== true && writableVolume(place.podSpec, m.name),
  );
  const missing = writablePaths(known, tag, literalEnv(c)).filter(
    (w) => !mounts.some((m) => covers(m.mountPath as string, w.path)),
  );
  if (missing.length === 0) return undefined;
  return {
    level: 'warning',
    rule: 'read-only-root',
    release: place.release,
    object: place.object,
    path: `${place.path}.securityContext.readOnlyRootFilesystem`,
    message:
      `container "${String(c.name ?? '?')}" runs ${String(c.image)} with readOnlyRootFilesystem: true, ` +
      'but the image writes to ' +
      `${and(missing.map((w) => w.path))}, where no writable volume is mounted, so it fails to start`,
    fix: mountFix(missing),
  };
}

function nonRootFinding(
  place: ContainerPlace,
  c: Obj,
  known: KnownImage,
  tag: string | undefined,
): RuleFinding | undefined {
  const own = obj(c.securityContext);
  const pod = obj(place.podSpec.securityContext);
  const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
  const user = own.runAsUser ?? pod.runAsUser;
  if (nonRoot !== true || (typeof user === 'number' && user !== 0)) return undefined;
  const where = own.runAsNonRoot === undefined ? " (from the pod's securityContext)" : '';
  const uid = imageUid(known, tag);
  const why =
    user === 0
      ? 'runAsUser: 0'
      : `no runAsUser, but the image starts as root (and drops to ${known.user.name} itself)`;
  const instead = known.nonRootHint
    ? `${known.nonRootHint}, or set`
    : `set securityContext.runAsUser: ${uid} (the image's ${known.user.name} user; ` +
      `fsGroup: ${uid} on the pod lets it write its volumes), or`;
  return {
    level: 'warning',
    rule: 'run-as-non-root',
    release: place.release,
    object: place.object,
    path: `${place.path}.securityContext.runAsNonRoot`,
    message:
      `container "${String(c.name ?? '?')}" runs ${String(c.image)} with runAsNonRoot: true${where} and ${why}, ` +
      'so the kubelet refuses to start it (CreateContainerConfigError)',
    fix: `${instead} securityContext.runAsNonRoot: false`,
  };
}

/** Findings for one container of a well-known image whose security settings keep it from starting; none for others. */
export function imageSettingFindings(place: ContainerPlace, container: Obj): RuleFinding[] {
  if (typeof container.image !== 'string') return [];
  const match = knownImage(container.image);
  if (!match) return [];
  return [
    readOnlyRootFinding(place, container, match.known, match.tag),
    nonRootFinding(place, container, match.known, match.tag),
  ].filter((f): f is RuleFinding => f !== undefined);
}
