// The only module that imports json2jsii, the JSON Schema → TypeScript generator behind `cdk8s import`. Loaded on
// demand: only `kc import` pays for it.
import type * as J2J from 'json2jsii';
import { dynamicImport } from '../dynamic-import.js';

/** json2jsii's exports (TypeGenerator, Code). */
export type Json2Jsii = typeof J2J;

let loaded: Promise<Json2Jsii> | undefined;

/** Loads json2jsii once (a CommonJS package: its exports may sit under `default`). */
export function loadJson2jsii(): Promise<Json2Jsii> {
  loaded ??= dynamicImport<Json2Jsii & { default?: Json2Jsii }>('json2jsii').then((m) =>
    m.TypeGenerator ? m : m.default!,
  );
  return loaded;
}
