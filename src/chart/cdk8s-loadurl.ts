// Bundled in place of `child_process` for cdk8s's yaml.js only. cdk8s reads an Include's file (and the output of its
// Helm construct) by running `_loadurl.mjs` from its own folder, which a bundle does not ship. This reads the file
// directly, as `_loadurl.mjs` does for files; URLs are refused: a render must not depend on the network.
import fs from 'node:fs';

/** cdk8s's yaml.js calls `execFileSync(node, [_loadurl.mjs, url])`: the text of the file `url` names. */
export function execFileSync(file: string, args: readonly string[]): string {
  const [script, url] = args;
  if (args.length !== 2 || !script.endsWith('_loadurl.mjs')) {
    throw new Error(`a kc bundle runs no "${[file, ...args].join(' ')}" for cdk8s`);
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) {
    throw new Error(
      `Include of ${url}: kc renders charts without network access; download the manifest into the project ` +
        'and include the file',
    );
  }
  return fs.readFileSync(url, 'utf8');
}
