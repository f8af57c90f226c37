// `kc show values` output is most often saved as a values file to edit. yaml-language-server (VS Code's YAML
// extension, Neovim, Helix, ...) reads a `$schema` modeline comment and then completes, documents and checks each key.
// It points at `values.schema.json` relative to the YAML file: a file the user writes beside it with the command named
// in the next line. Not a path inside the chart: a kc chart directory has no schema file (it lives in zod code) and a
// packaged chart has no folder here; an absolute path would tie the values file to one machine.

/** The schema file the modeline names, resolved by the editor beside the values file. */
export const SCHEMA_FILE = 'values.schema.json';

/** Words safe to repeat inside a comment and a shell line as they are; anything else is shown as a placeholder. */
const PLAIN = /^[A-Za-z0-9._/:@^~+=-]+$/;

/** The comment lines `kc show values` starts with: the modeline and how to write the file it names, then a gap. */
export function valuesModeline(chart: string, version?: string): string {
  const words = ['kc show schema', PLAIN.test(chart) ? chart : 'CHART'];
  if (version !== undefined) words.push('--version', PLAIN.test(version) ? version : 'VERSION');
  return (
    `# yaml-language-server: $schema=${SCHEMA_FILE}\n` +
    `# write it beside this file: ${words.join(' ')} --draft 07 > ${SCHEMA_FILE}\n\n`
  );
}
