import { KcError } from '../errors/index.js';
import { expectJsonObject } from './response-check.js';
import { invalidResponse } from './transport-errors.js';
import type { Transport } from './transport.js';

/** How a kind is served: its plural resource name and whether it is namespaced. */
export interface ResourceInfo {
  plural: string;
  namespaced: boolean;
}

interface ResourceList {
  resources?: { name: string; kind: string; namespaced: boolean }[];
}

/** True for an APIResource entry: a name and a kind (strings) and a namespaced flag. */
function isResource(r: unknown): boolean {
  const o = r as Record<string, unknown> | null;
  return typeof o === 'object' && o !== null && typeof o.name === 'string' && typeof o.kind === 'string'
    && typeof o.namespaced === 'boolean';
}

/** The API path prefix of a group version: /api/v1 or /apis/group/version. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

// GA built-in kinds: their resource names and scopes are fixed by the Kubernetes API, so no discovery request is
// needed to use them (kubectl's own discovery cache serves the same purpose). Everything else is discovered.
const ns = (plural: string): ResourceInfo => ({ plural, namespaced: true });
const cluster = (plural: string): ResourceInfo => ({ plural, namespaced: false });
const BUILT_IN: Record<string, Record<string, ResourceInfo>> = {
  v1: {
    ConfigMap: ns('configmaps'), Secret: ns('secrets'), Service: ns('services'), ServiceAccount: ns('serviceaccounts'), Pod: ns('pods'),
    PersistentVolumeClaim: ns('persistentvolumeclaims'), Endpoints: ns('endpoints'), Event: ns('events'), LimitRange: ns('limitranges'),
    ResourceQuota: ns('resourcequotas'), ReplicationController: ns('replicationcontrollers'),
    Namespace: cluster('namespaces'), PersistentVolume: cluster('persistentvolumes'), Node: cluster('nodes'),
  },
  'apps/v1': { Deployment: ns('deployments'), StatefulSet: ns('statefulsets'), DaemonSet: ns('daemonsets'), ReplicaSet: ns('replicasets') },
  'batch/v1': { Job: ns('jobs'), CronJob: ns('cronjobs') },
  'coordination.k8s.io/v1': { Lease: ns('leases') },
  'networking.k8s.io/v1': { Ingress: ns('ingresses'), NetworkPolicy: ns('networkpolicies'), IngressClass: cluster('ingressclasses') },
  'policy/v1': { PodDisruptionBudget: ns('poddisruptionbudgets') },
  'autoscaling/v2': { HorizontalPodAutoscaler: ns('horizontalpodautoscalers') },
  'rbac.authorization.k8s.io/v1': { Role: ns('roles'), RoleBinding: ns('rolebindings'), ClusterRole: cluster('clusterroles'), ClusterRoleBinding: cluster('clusterrolebindings') },
  'storage.k8s.io/v1': { StorageClass: cluster('storageclasses') },
  'scheduling.k8s.io/v1': { PriorityClass: cluster('priorityclasses') },
  'apiextensions.k8s.io/v1': { CustomResourceDefinition: cluster('customresourcedefinitions') },
};

/** The GA built-in kinds kc knows without asking the server. */
export function builtInKinds(): { apiVersion: string; kind: string }[] {
  return Object.entries(BUILT_IN).flatMap(([apiVersion, kinds]) => Object.keys(kinds).map((kind) => ({ apiVersion, kind })));
}

/** Discovery by group version, fetched lazily and cached: one request per group version used (none for GA built-ins). */
export class Discovery {
  private readonly cache = new Map<string, Promise<Map<string, ResourceInfo> | undefined>>();

  constructor(private readonly transport: Transport) {}

  private load(apiVersion: string): Promise<Map<string, ResourceInfo> | undefined> {
    let entry = this.cache.get(apiVersion);
    if (!entry) {
      entry = this.transport.request({ method: 'GET', path: groupVersionPath(apiVersion) }).then((res) => {
        if (res.status === 404) return undefined;
        const what = `discovery of ${apiVersion}`;
        // A garbage answer read as "no kinds" would turn into a misleading UNKNOWN_KIND.
        const { resources } = expectJsonObject(res, what) as ResourceList;
        if (!Array.isArray(resources) || !resources.every(isResource)) {
          throw invalidResponse(what, 'expected an APIResourceList with resources');
        }
        const kinds = new Map<string, ResourceInfo>();
        for (const r of resources) {
          if (!r.name.includes('/')) kinds.set(r.kind, { plural: r.name, namespaced: r.namespaced });
        }
        return kinds;
      });
      entry.catch(() => this.cache.delete(apiVersion));
      this.cache.set(apiVersion, entry);
    }
    return entry;
  }

  /** The resource serving a kind, or undefined when the server does not know it. */
  async find(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    return BUILT_IN[apiVersion]?.[kind] ?? (await this.load(apiVersion))?.get(kind);
  }

  /** The resource serving a kind, or UNKNOWN_KIND naming the likely cause. */
  async require(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const info = await this.find(apiVersion, kind);
    if (!info) {
      throw new KcError('UNKNOWN_KIND', `the API server does not serve kind ${kind} in ${apiVersion}`, {
        hint: 'check apiVersion/kind; for a custom resource, its CustomResourceDefinition must be installed (kc applies a release\'s CRDs first)',
      });
    }
    return info;
  }

  /** Forgets everything (after CRDs change). */
  reset(): void {
    this.cache.clear();
  }
}
