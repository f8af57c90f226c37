import { KcError } from '../src/errors/index.js';
import { jsonSafe, terminalSafe, yamlSafe } from './terminal-safe.js';

/** Output formats of read commands. */
export type OutputFormat = 'table' | 'json' | 'yaml';

/** Validates -o. */
export function outputFormat(value: string | undefined): OutputFormat {
  const format = value ?? 'table';
  if (format === 'table' || format === 'json' || format === 'yaml') return format;
  throw new KcError('USAGE', `-o ${format}: unknown output format`, { hint: 'use -o table, -o json or -o yaml' });
}

/** Aligned columns with a header row (unless `headers: false`), like kubectl's tables; cells are made terminal-safe. */
export function table(headers: string[], rows: string[][], options: { headers?: boolean } = {}): string {
  const shown = (options.headers === false ? rows : [headers, ...rows]).map((r) => r.map((cell) => terminalSafe(cell)));
  if (shown.length === 0) return '';
  const widths = headers.map((_, i) => Math.max(...shown.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  return shown.map(line).join('\n') + '\n';
}

/** Data as JSON or YAML (DEL, C1 and bidi characters escaped), or via `asTable` for -o table. */
export function formatData(format: OutputFormat, data: unknown, asTable: () => string): string {
  if (format === 'json') return jsonSafe(JSON.stringify(data, null, 2)) + '\n';
  if (format === 'yaml') return yamlSafe(data);
  return asTable();
}
