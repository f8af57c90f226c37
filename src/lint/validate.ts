// A small validator for Kubernetes' OpenAPI v3 schemas. Hand-written rather than ajv: the server's
// schemas need $ref rewriting, never say `additionalProperties: false` (unknown fields are what the
// server's strict field validation rejects), and use x-kubernetes-* extensions ajv does not know; a
// walker over the compact form is ~150 lines and reports paths the way kubectl does.
import type { KubeSchemaSet, OpenApiSchema } from './openapi.js';
import { closestName } from '../suggest.js';

/** A problem at one field of an object. */
export interface SchemaIssue {
  /** Field path such as `spec.template.spec.containers[0].image`. */
  path: string;
  problem: string;
  fix: string;
}

const QUANTITY_REF = 'io.k8s.apimachinery.pkg.api.resource.Quantity';
const QUANTITY = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|Ki|Mi|Gi|Ti|Pi|Ei|m|k|M|G|T|P|E)?$/;

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const safe = /^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key);
  if (safe !== key) return `${path}[${safe}]`;
  return path ? `${path}.${key}` : key;
}

function jsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (Number.isInteger(value)) return 'integer';
  return typeof value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function unknownFieldFix(key: string, known: string[]): string {
  const best = closestName(key, known);
  if (best) return `did you mean "${best}"? Otherwise remove the field`;
  return known.length <= 15 ? `remove it; known fields here: ${known.join(', ')}` : 'remove it (check the field name against the API reference)';
}

class Walker {
  readonly issues: SchemaIssue[] = [];
  constructor(private readonly set: KubeSchemaSet) {}

  private add(path: string, problem: string, fix: string): void {
    this.issues.push({ path: path || '(root)', problem, fix });
  }

  /** True when `value` satisfies `schema` (issues go to a scratch walker). */
  private matches(value: unknown, schema: OpenApiSchema, path: string): boolean {
    const scratch = new Walker(this.set);
    scratch.check(value, schema, path);
    return scratch.issues.length === 0;
  }

  check(value: unknown, schema: OpenApiSchema, path: string, ref?: string): void {
    // null means "unset" to server-side apply, so it is never a type error.
    if (value === null || value === undefined) return;
    if (schema.$ref) {
      const target = this.set.schemas[schema.$ref];
      if (target) this.check(value, target, path, schema.$ref);
    }
    for (const sub of schema.allOf ?? []) this.check(value, sub, path);
    if (schema['x-kubernetes-int-or-string'] || schema.format === 'int-or-string') {
      if (!Number.isInteger(value) && typeof value !== 'string') this.add(path, `expected an integer or a string, got ${jsonType(value)}`, 'use a number such as 8080 or a name such as "http"');
      return;
    }
    const branches = schema.oneOf ?? schema.anyOf;
    if (branches && !branches.some((b) => this.matches(value, b, path))) {
      const types = branches.map((b) => b.type).filter(Boolean);
      this.add(path, `expected ${types.join(' or ') || 'a different value'}, got ${jsonType(value)}`, 'change the value to one of the expected types');
      return;
    }
    if (ref === QUANTITY_REF && typeof value === 'string' && !QUANTITY.test(value)) {
      this.add(path, `"${value}" is not a Kubernetes quantity`, 'use a quantity such as 500m, 1, 128Mi or 4Gi');
    }
    if (schema.enum && !schema.enum.includes(value)) {
      this.add(path, `${JSON.stringify(value)} is not one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`, 'use one of the listed values');
    }
    switch (schema.type) {
      case 'object':
        return this.checkObject(value, schema, path);
      case 'array':
        return this.checkArray(value, schema, path);
      case 'string':
      case 'boolean':
        if (typeof value !== schema.type) this.typeError(path, schema.type, value);
        return;
      case 'integer':
        if (!Number.isInteger(value)) this.typeError(path, 'integer', value);
        return;
      case 'number':
        if (typeof value !== 'number') this.typeError(path, 'number', value);
        return;
    }
  }

  private typeError(path: string, expected: string, value: unknown): void {
    const shown = typeof value === 'string' ? ` ("${value.length > 40 ? value.slice(0, 40) + '…' : value}")` : '';
    this.add(path, `expected ${expected}, got ${jsonType(value)}${shown}`, `set it to a${/^[aeiou]/.test(expected) ? 'n' : ''} ${expected}`);
  }

  private checkObject(value: unknown, schema: OpenApiSchema, path: string): void {
    if (!isObject(value)) return this.typeError(path, 'object', value);
    for (const key of schema.required ?? []) {
      if (value[key] === undefined || value[key] === null) this.add(join(path, key), 'required field is missing', `set ${join(path, key)}`);
    }
    const open = schema['x-kubernetes-preserve-unknown-fields'] || schema['x-kubernetes-embedded-resource'] || schema.additionalProperties === true;
    const known = Object.keys(schema.properties ?? {});
    for (const [key, child] of Object.entries(value)) {
      const prop = schema.properties?.[key];
      if (prop) this.check(child, prop, join(path, key));
      else if (isObject(schema.additionalProperties)) this.check(child, schema.additionalProperties, join(path, key));
      // An object schema that names no fields at all (RawExtension, FieldsV1) takes anything.
      else if (!open && known.length > 0) this.add(join(path, key), 'unknown field', unknownFieldFix(key, known));
    }
  }

  private checkArray(value: unknown, schema: OpenApiSchema, path: string): void {
    if (!Array.isArray(value)) return this.typeError(path, 'array', value);
    value.forEach((item, i) => schema.items && this.check(item, schema.items, join(path, i)));
    const listType = schema['x-kubernetes-list-type'];
    const keys = schema['x-kubernetes-list-map-keys'];
    if (listType !== 'map' && listType !== 'set') return;
    const seen = new Map<string, number>();
    value.forEach((item, i) => {
      const id = listType === 'map' && keys && isObject(item) ? JSON.stringify(keys.map((k) => item[k] ?? null)) : JSON.stringify(item);
      const first = seen.get(id);
      if (first === undefined) seen.set(id, i);
      else {
        const what = listType === 'map' && keys ? `the same ${keys.join(' and ')} as` : 'a duplicate of';
        this.add(join(path, i), `entry is ${what} ${join(path, first)}`, 'remove or rename one of the two entries');
      }
    });
  }
}

/** Checks one value against a named component schema (e.g. `io.k8s.api.apps.v1.Deployment`). */
export function validateAgainst(set: KubeSchemaSet, schemaName: string, value: unknown): SchemaIssue[] {
  const walker = new Walker(set);
  walker.check(value, { $ref: schemaName }, '');
  return walker.issues;
}
