// Formatting shared by the benchmark's sections.

export const fmtS = (s) => (s === undefined ? '—' : s.toFixed(3));
export const fmtMB = (kb) => (kb === undefined ? '—' : (kb / 1024).toFixed(0));

/** Prints rows as an aligned markdown table. */
export function table(headers, rows, align = []) {
  const cells = [headers, ...rows].map((r) => r.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => (align[i] === 'r' ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(' | ')} |`;
  const sep = `|${widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  return [line(cells[0]), sep, ...cells.slice(1).map(line)].join('\n');
}
