// `kc show values` output is most often saved as a values file to edit. yaml-language-server (VS Code's YAML
// extension, Neovim, Helix, ...) reads a `$schema` modeline comment and then completes, documents and checks each key.
// It points at `values.schema.json` relative to the YAML file: a file the user writes beside it with the command named
// in the next line. Not a path inside the chart: a kc chart directory has no schema file (it lives in zod code) and a
// packaged chart has no folder here; an absolute path would tie the values file to one machine.

/** The schema file the modeline names, resolved by the editor beside the values file. */
export const SCHEMA_FILE = 'values.schema.json';

/** Words a shell takes as they are. */
const PLAIN = /^[A-Za-z0-9._/:@+=-]+$/;
/** Printable ASCII without a single quote: repeated inside single quotes. Anything else is shown as a placeholder. */
const QUOTABLE = /^[\x20-\x26\x28-\x7e]+$/;

/** The flags of `kc show values` that `kc show schema` needs again to reach the same chart. */
export interface ModelineFlags {
  version?: string;
  plainHttp?: boolean;
  caFile?: string;
  insecureSkipTlsVerify?: boolean;
}

const word = (text: string, placeholder: string) =>
  PLAIN.test(text) ? text : QUOTABLE.test(text) ? `'${text}'` : placeholder;

/** The comment lines `kc show values` starts with: the modeline and how to write the file it names, then a gap. */
export function valuesModeline(chart: string, flags: ModelineFlags = {}): string {
  const words = ['kc show schema', word(chart, 'CHART')];
  if (flags.version !== undefined) words.push('--version', word(flags.version, 'VERSION'));
  if (flags.plainHttp) words.push('--plain-http');
  if (flags.caFile !== undefined) words.push('--ca-file', word(flags.caFile, 'FILE'));
  if (flags.insecureSkipTlsVerify) words.push('--insecure-skip-tls-verify');
  return (
    `# yaml-language-server: $schema=${SCHEMA_FILE}\n` +
    `# write it beside this file: ${words.join(' ')} --draft 07 > ${SCHEMA_FILE}\n\n`
  );
}
