import { parseAllDocuments } from 'yaml';
import { fastYaml } from './fast-yaml.js';

/** Serializes one value as YAML: sorted keys, no anchors, no line folding (the yaml library's output, faster). */
export function toYaml(value: unknown): string {
  return fastYaml(value);
}

/** One document of a multi-document stream, with a comment saying where it came from. */
export interface YamlDocument {
  source: string;
  value: unknown;
}

/** A multi-document YAML stream: `---` between documents, each headed by `# Source: ...`. */
export function toYamlStream(docs: readonly YamlDocument[]): string {
  return docs.map((d) => `---\n# Source: ${d.source}\n${toYaml(d.value)}`).join('');
}

/** The object documents of a multi-document YAML stream, in order (empty documents skipped). */
export function parseYamlStream<T extends object = Record<string, unknown>>(text: string): T[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as T | null)
    .filter((o): o is T => o !== null && typeof o === 'object');
}
