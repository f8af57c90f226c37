import { Document, isMap, isScalar, isSeq, type Node } from 'yaml';
import type { SynthRelease } from '../src/synth/index.js';
import { safe, terminalSafe, yamlDocumentSafe } from './terminal-safe.js';
import { formatPath, isUnder, layerOf, redactSecrets, redactSetLabel, type PathSegment } from '../src/values/index.js';

/** The layer label shown for values no layer set (defaults zod applied inside the chart). */
const SCHEMA_DEFAULT = 'chart schema default';

/** A --set label quotes the value it set; for a secret, only the key is shown. */
function safeLabel(label: string, secret: boolean): string {
  // A label quotes file paths and --set text: it is a comment in the YAML, where no escape would be read as one.
  return terminalSafe(secret ? redactSetLabel(label) : label);
}

/** Comments every leaf (and every list set as a whole) of the YAML with the layer that set it. */
function annotate(node: Node | null, path: PathSegment[], label: (p: PathSegment[]) => string, exact: (p: PathSegment[]) => boolean): void {
  if (isMap(node) || isSeq(node)) {
    if (node.items.length === 0) {
      node.flow = true;
      node.comment = ` ${label(path)}`;
      return;
    }
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        const value = pair.value as Node | null;
        const child = [...path, key];
        // A list replaced as a whole by one layer gets one comment, on its key.
        if (isSeq(value) && value.items.length > 0 && exact(child) && isScalar(pair.key)) pair.key.comment = ` ${label(child)}`;
        else annotate(value, child, label, exact);
      }
    } else {
      node.items.forEach((item, i) => annotate(item as Node, [...path, i], label, exact));
    }
    return;
  }
  if (isScalar(node)) node.comment = ` ${label(path)}`;
}

/** What provenance rendering reads of a synthesized release. */
export type ProvenanceSource = Pick<SynthRelease, 'name' | 'chart' | 'values' | 'provenance' | 'secretPaths'>;

/** The merged values of each release as YAML, each value commented with the layer that set it; secrets redacted. */
export function renderProvenance(releases: readonly ProvenanceSource[], env?: string): string {
  return releases
    .map((r) => {
      const prov = new Map(Object.entries(r.provenance));
      const secret = (p: PathSegment[]) => r.secretPaths.some((s) => isUnder(p, s));
      const label = (p: PathSegment[]) => safeLabel(layerOf(prov, p) ?? SCHEMA_DEFAULT, secret(p));
      const exact = (p: PathSegment[]) => prov.has(formatPath(p)) && ![...prov.keys()].some((k) => k.startsWith(`${formatPath(p)}[`));
      const doc = new Document(redactSecrets(r.values, r.secretPaths), { sortMapEntries: true, aliasDuplicateObjects: false });
      annotate(doc.contents as Node, [], label, exact);
      const where = [`chart ${r.chart.name}-${r.chart.version}`, env ? `environment ${env}` : undefined].filter(Boolean).join(', ');
      const release = safe`release ${r.name} (${where})`;
      const head = `# Values of ${release}; each comment names the layer that set the value:\n`;
      const body = Object.keys(r.values).length ? yamlDocumentSafe(doc) : '{}\n';
      return head + body;
    })
    .join('---\n');
}
