// Sorting with localeCompare follows the user's locale and makes the process's first call load ICU's collator
// (~10 ms). Names kc sorts (releases, files, dependencies, keys) are ordered the same everywhere instead.

/** Orders two strings by UTF-16 code unit: the same order in every locale, for sort(). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
