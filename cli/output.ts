import { KcError } from '../src/errors/index.js';
import { toYaml } from '../src/synth/index.js';

/** Output formats of read commands. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** Validates -o. */
export function outputFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'table';
  if (format === 'table' || format === 'json' || format === 'yaml') return format;
  throw new KcError('USAGE', `-o ${format}: unknown output format`, { hint: 'use -o table, -o json or -o yaml' });
}

/** Aligned columns with a header row (unless `headers: false`), like kubectl's tables. */
export function table(headers: string[], rows: string[][], options: { headers?: boolean } = {}): string {
  const shown = options.headers === false ? rows : [headers, ...rows];
  if (shown.length === 0) return '';
  const widths = headers.map((_, i) => Math.max(...shown.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  return shown.map(line).join('\n') + '\n';
}

/** Data as JSON or YAML, or via `asTable` for -o table. */
export function formatData(format: OutputFormat, data: unknown, asTable: () => string): string {
  if (format === 'json') return JSON.stringify(data, null, 2) + '\n';
  if (format === 'yaml') return toYaml(data);
  return asTable();
}
