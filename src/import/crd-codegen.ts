// TypeScript for one CRD: per served version, a cdk8s ApiObject subclass with typed props, as `cdk8s import` writes
// it. The props types come from json2jsii (the generator behind cdk8s import); only the class around them is ours.
import type { Code, TypeGenerator } from 'json2jsii';
import type { CrdDefinition, CrdVersion } from './crd.js';
import { loadJson2jsii } from './json2jsii.js';
import { compareText } from '../compare-text.js';

/** One generated class: its name and the apiVersion it writes. */
export interface GeneratedClass {
  className: string;
  propsName: string;
  apiVersion: string;
  kind: string;
}

/** The module text and the classes in it. */
export interface GeneratedModule {
  text: string;
  classes: GeneratedClass[];
}

const VERSION = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first; other names last, by name. */
export function byVersionPriority(a: string, b: string): number {
  const rank = (v: string): [number, number, number] | undefined => {
    const m = VERSION.exec(v);
    if (!m) return undefined;
    const stability = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return [stability, Number(m[1]), Number(m[3] ?? 0)];
  };
  const ra = rank(a);
  const rb = rank(b);
  if (ra && rb) return rb[0] - ra[0] || rb[1] - ra[1] || rb[2] - ra[2];
  if (ra || rb) return ra ? -1 : 1;
  return compareText(a, b);
}

/** `v1beta1` as cdk8s import spells it in a class name: `V1Beta1`. */
function pascalVersion(name: string): string {
  return name.replace(/^[a-z]|(?<=\d)[a-z]/g, (c) => c.toUpperCase());
}

// A version without a schema takes any fields (the API server keeps them all).
const OPEN_SCHEMA = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

/** The props schema: the object's schema without apiVersion, kind and status, and cdk8s' metadata type. */
function propsSchema(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = { ...((schema.properties as Record<string, unknown> | undefined) ?? {}) };
  for (const key of ['apiVersion', 'kind', 'status', 'metadata']) delete properties[key];
  const required = Array.isArray(schema.required)
    ? (schema.required as string[]).filter((r) => !['apiVersion', 'kind', 'status', 'metadata'].includes(r))
    : [];
  // metadata first, as ApiObject.toJson orders it.
  return {
    ...schema,
    properties: { metadata: { $ref: '#/definitions/ApiObjectMetadata' }, ...properties },
    required,
  };
}

function emitClass(code: Code, crd: CrdDefinition, version: CrdVersion, cls: GeneratedClass, propsOptional: boolean) {
  const gvk = `${cls.className}.GVK`;
  const props = `props: ${cls.propsName}${propsOptional ? ' = {}' : ''}`;
  const description = String(version.schema?.description ?? `${crd.kind} (${cls.apiVersion})`)
    .split('\n')
    .map((l) => l.replace(/\*\//g, '*\\/').trimEnd());
  code.line('/**');
  for (const l of description) code.line(l ? ` * ${l}` : ' *');
  code.line(' *');
  code.line(` * @schema ${cls.className}`);
  code.line(' */');
  code.openBlock(`export class ${cls.className} extends ApiObject`);
  code.line(`/** The apiVersion and kind of "${cls.className}". */`);
  code.openBlock('public static readonly GVK: GroupVersionKind =');
  code.line(`apiVersion: '${cls.apiVersion}',`);
  code.line(`kind: '${crd.kind}',`);
  code.closeBlock();
  code.line();
  code.line(
    `/** A "${cls.className}" manifest as a plain object (to inline one in another object, e.g. a template). */`,
  );
  code.openBlock(`public static manifest(${props}): any`);
  code.line(`return { ...${gvk}, ...toJson_${cls.propsName}(props) };`);
  code.closeBlock();
  code.line();
  code.line(`/** Defines a "${cls.className}" API object in \`scope\`. */`);
  code.openBlock(`public constructor(scope: Construct, id: string, ${props})`);
  code.line(`super(scope, id, { ...${gvk}, ...props });`);
  code.closeBlock();
  code.line();
  code.line('/** Renders the object to Kubernetes JSON (field names as the schema spells them). */');
  code.openBlock('public override toJson(): any');
  code.line('const resolved = super.toJson();');
  code.line(`return { ...${gvk}, ...toJson_${cls.propsName}(resolved) };`);
  code.closeBlock();
  code.closeBlock();
}

function hasRequired(schema: Record<string, unknown>): boolean {
  return Array.isArray(schema.required) && schema.required.length > 0;
}

function generateVersion(types: TypeGenerator, crd: CrdDefinition, version: CrdVersion, cls: GeneratedClass): void {
  const schema = propsSchema(version.schema ?? OPEN_SCHEMA);
  types.emitCustomType('ApiObjectMetadata', () => undefined);
  types.emitCustomType(cls.className, (code: Code) => {
    types.emitType(cls.propsName, schema as never, cls.className);
    emitClass(code, crd, version, cls, !hasRequired(schema));
  });
}

/**
 * The TypeScript module for one CRD: a class per served version. The version Kubernetes prefers is named after
 * the kind (`ServiceMonitor`); the others carry their version (`ServiceMonitorV1Beta1`). Same CRD, same bytes.
 */
export async function crdModule(crd: CrdDefinition): Promise<GeneratedModule> {
  const { TypeGenerator } = await loadJson2jsii();
  const versions = [...crd.versions].sort((a, b) => byVersionPriority(a.name, b.name));
  const classes: GeneratedClass[] = [];
  const parts: string[] = [];
  versions.forEach((version, i) => {
    const suffix = i === 0 ? '' : pascalVersion(version.name);
    const className = TypeGenerator.normalizeTypeName(`${crd.kind}${suffix}`);
    const cls = {
      className,
      propsName: `${className}Props`,
      apiVersion: `${crd.group}/${version.name}`,
      kind: crd.kind,
    };
    // One generator per version, as cdk8s import does: each version's nested types are named after its class.
    const types = new TypeGenerator({});
    generateVersion(types, crd, version, cls);
    parts.push(types.render());
    classes.push(cls);
  });
  const header = [
    `// Generated by \`kc import crd\` from CustomResourceDefinition ${crd.name}. Do not edit: import it again.`,
    "import { ApiObject, type ApiObjectMetadata, type GroupVersionKind } from 'cdk8s';",
    "import type { Construct } from 'constructs';",
    '',
  ].join('\n');
  return { text: `${header}\n${parts.join('\n').trimEnd()}\n`, classes };
}
