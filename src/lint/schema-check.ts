import { kindIndex, type KubeSchemaSet } from './openapi.js';
import type { ReleaseObject, RuleFinding } from './rules.js';
import { validateAgainst } from './validate.js';

/** Validates objects against one Kubernetes version's schemas. */
export class SchemaChecker {
  private readonly kinds: Map<string, string>;
  private readonly version: string;

  constructor(private readonly set: KubeSchemaSet) {
    this.kinds = kindIndex(set);
    this.version = set.kubernetesVersion;
  }

  /** Schema findings of one object: unknown kinds or API versions, then field problems. */
  check(ro: ReleaseObject): RuleFinding[] {
    const o = ro.object;
    const object = `${o.kind ?? '?'}/${o.metadata?.name ?? '?'}`;
    const base = { release: ro.release, object };
    if (!o.apiVersion || !o.kind) {
      return [{ ...base, level: 'error', rule: 'schema', path: o.apiVersion ? 'kind' : 'apiVersion', message: 'apiVersion and kind are required', fix: 'set both, e.g. apiVersion: apps/v1, kind: Deployment' }];
    }
    const name = this.kinds.get(`${o.apiVersion}/${o.kind}`);
    if (!name) return this.unknownKind(ro, object);
    const issues = validateAgainst(this.set, name, o).map((i): RuleFinding => ({ ...base, level: 'error', rule: 'schema', path: i.path, message: i.problem, fix: i.fix }));
    if (!o.metadata?.name) issues.unshift({ ...base, level: 'error', rule: 'schema', path: 'metadata.name', message: 'required field is missing', fix: 'name the object (kc applies objects by name; generateName is not supported)' });
    return issues;
  }

  private unknownKind(ro: ReleaseObject, object: string): RuleFinding[] {
    const { apiVersion, kind } = ro.object;
    const group = apiVersion!.includes('/') ? apiVersion!.split('/')[0] : '';
    const served = this.set.groupVersions.filter((gv) => (gv.includes('/') ? gv.split('/')[0] : '') === group);
    const base = { release: ro.release, object, path: 'apiVersion' };
    if (served.length === 0) {
      return [{ ...base, level: 'info', rule: 'api-version', message: `Kubernetes ${this.version} has no schema for ${apiVersion} ${kind} (a custom resource?), so it was not validated`, fix: 'import its CustomResourceDefinition with kc import crd (validated offline from then on), or run kc lint --server against a cluster where it is installed' }];
    }
    const versions = [...this.kinds.keys()].filter((k) => k.endsWith(`/${kind}`) && served.some((gv) => k === `${gv}/${kind}`)).map((k) => k.slice(0, -kind!.length - 1));
    if (served.includes(apiVersion!)) {
      return [{ ...base, level: 'error', rule: 'api-version', path: 'kind', message: `Kubernetes ${this.version} has no kind ${kind} in ${apiVersion}`, fix: 'check the spelling of kind' }];
    }
    return [{
      ...base, level: 'error', rule: 'api-version',
      message: `${apiVersion} ${kind} is not served by Kubernetes ${this.version}`,
      fix: versions.length ? `use apiVersion ${versions.join(' or ')}` : `use one of the served versions: ${served.join(', ')}`,
    }];
  }
}
