// How many columns text takes on a terminal, and cutting it to fit: kc's own escape sequences (colors) take none,
// East Asian wide characters and emoji two, combining marks and zero-width characters none.

// Control sequences kc writes itself (CSI: colors, cursor moves); text from outside is made terminal-safe first.
const CSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/y;

// Zero-width code points: combining marks, zero-width spaces and joiners, variation selectors.
const ZERO: [number, number][] = [[0x300, 0x36f], [0x483, 0x489], [0x591, 0x5bd], [0x200b, 0x200f], [0x20d0, 0x20ff],
  [0xfe00, 0xfe0f], [0xfe20, 0xfe2f], [0xe0100, 0xe01ef]];
// East Asian Wide and Fullwidth code points, emoji included.
const WIDE: [number, number][] = [[0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5],
  [0x2e80, 0x303e], [0x3041, 0x33ff], [0x3400, 0x4dbf], [0x4e00, 0x9fff], [0xa000, 0xa4cf], [0xa960, 0xa97f],
  [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6],
  [0x1f004, 0x1f004], [0x1f300, 0x1f64f], [0x1f680, 0x1f6ff], [0x1f900, 0x1f9ff], [0x20000, 0x3fffd]];

const within = (ranges: [number, number][], cp: number) => ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/** The columns one code point takes: 0, 1 or 2. */
export function charWidth(cp: number): number {
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || within(ZERO, cp)) return 0;
  return within(WIDE, cp) ? 2 : 1;
}

/** Splits text into escape sequences (width 0) and code points, each with its width. */
function* pieces(text: string): Generator<{ text: string; width: number; escape: boolean }> {
  for (let i = 0; i < text.length; ) {
    CSI.lastIndex = i;
    const escape = CSI.exec(text);
    if (escape) {
      yield { text: escape[0], width: 0, escape: true };
      i += escape[0].length;
      continue;
    }
    const cp = text.codePointAt(i) as number;
    const ch = String.fromCodePoint(cp);
    yield { text: ch, width: charWidth(cp), escape: false };
    i += ch.length;
  }
}

/** The columns text takes on a terminal. */
export function textWidth(text: string): number {
  let width = 0;
  for (const p of pieces(text)) width += p.width;
  return width;
}

/** Text cut to at most `columns` columns, ending in "…" where it was cut (and a color reset if it had colors). */
export function truncateToWidth(text: string, columns: number): string {
  if (textWidth(text) <= columns) return text;
  if (columns < 1) return '';
  let out = '';
  let width = 0;
  let colored = false;
  for (const p of pieces(text)) {
    if (p.escape) colored = true;
    else if (width + p.width > columns - 1) break;
    out += p.text;
    width += p.width;
  }
  return `${out}…${colored ? '\x1b[0m' : ''}`;
}
