/**
 * import() for modules kc loads on demand. The built CLI is CommonJS evaluated through vm (for V8's code cache),
 * where Node 20 offers no import(); its launcher (cli/launch.ts) lends its own, resolving from dist/.
 */
export function dynamicImport<T = unknown>(specifier: string): Promise<T> {
  const lent = (globalThis as { __kcImport?: (s: string) => Promise<unknown> }).__kcImport;
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}
