// A small VT100 screen model for tests of terminal output: it replays bytes into a grid of rows × columns as a
// terminal would (autowrap with the last column's pending wrap, scrolling at the bottom, cursor up/down, erase in
// line and display; colors ignored), so a test can assert on what a user would see. One column per code point.

/** What a terminal would show after some output. */
export interface Screen {
  /** The grid's rows, each exactly `columns` characters. */
  rows: string[];
  cursor: { row: number; column: number };
  /** Lines scrolled off the top, oldest first. */
  scrolled: string[];
}

/** Replays `output` on a blank screen of `rows` × `columns`. */
export function replay(output: string, rows: number, columns: number): Screen {
  const grid = Array.from({ length: rows }, () => Array<string>(columns).fill(' '));
  const scrolled: string[] = [];
  let row = 0;
  let column = 0;
  let pendingWrap = false;
  const lineFeed = (): void => {
    if (row < rows - 1) row++;
    else {
      scrolled.push(grid.shift()!.join(''));
      grid.push(Array<string>(columns).fill(' '));
    }
  };
  const erase = (r: number, from: number, to: number): void => {
    for (let c = from; c < to; c++) grid[r][c] = ' ';
  };
  const chars = [...output];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i];
    if (ch === '\x1b' && chars[i + 1] === '[') {
      let j = i + 2;
      while (j < chars.length && !/[@-~]/.test(chars[j])) j++;
      const params = chars
        .slice(i + 2, j)
        .join('')
        .replace(/^\?/, '');
      const n = Number(params.split(';')[0] || '0');
      const final = chars[j];
      i = j;
      if (final !== 'm') pendingWrap = false;
      if (final === 'A') row = Math.max(0, row - Math.max(1, n));
      else if (final === 'B') row = Math.min(rows - 1, row + Math.max(1, n));
      else if (final === 'C') column = Math.min(columns - 1, column + Math.max(1, n));
      else if (final === 'D') column = Math.max(0, column - Math.max(1, n));
      else if (final === 'G') column = Math.min(columns - 1, Math.max(1, n) - 1);
      else if (final === 'H') {
        const [r, c] = params.split(';').map((p) => Number(p || '1'));
        [row, column] = [Math.min(rows, r || 1) - 1, Math.min(columns, c || 1) - 1];
      } else if (final === 'K') erase(row, n === 0 ? column : 0, n === 1 ? column + 1 : columns);
      else if (final === 'J') {
        if (n === 0) erase(row, column, columns);
        if (n === 1) erase(row, 0, column + 1);
        for (let r = 0; r < rows; r++)
          if (n === 2 || (n === 0 && r > row) || (n === 1 && r < row)) erase(r, 0, columns);
      }
      continue;
    }
    if (ch === '\r' || ch === '\n' || ch === '\b') {
      pendingWrap = false;
      if (ch === '\r') column = 0;
      if (ch === '\n') lineFeed();
      if (ch === '\b') column = Math.max(0, column - 1);
    } else if (ch >= ' ' && ch !== '\x7f') {
      if (pendingWrap) {
        column = 0;
        pendingWrap = false;
        lineFeed();
      }
      grid[row][column] = ch;
      if (column === columns - 1) pendingWrap = true;
      else column++;
    }
  }
  return { rows: grid.map((r) => r.join('')), cursor: { row, column }, scrolled };
}
