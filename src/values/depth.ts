// Values are walked recursively by merge, coercion and the chart itself: a tree nested thousands of levels deep
// overflows the stack there (an INTERNAL error), so input is refused at its source with the limit named.

/** How deep values input (files, --set-json) may nest: far beyond any real chart, far below the stack's limit. */
export const MAX_VALUES_DEPTH = 100;

/** True when `value` nests maps or lists deeper than `max` levels; iterative, so it cannot overflow itself. */
export function nestedDeeperThan(value: unknown, max: number = MAX_VALUES_DEPTH): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return false;
}
