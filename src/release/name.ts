// Release names follow Helm's rule: a DNS-1123 label of at most 53 characters. Objects are named `<release>-<chart>`
// and labelled with the release name (label values: at most 63), and records are stored under it; a name outside the
// rule fails at the API server halfway through an operation, or not at all and then differently per object.
import { KcError } from '../errors/index.js';

/** The longest release name, as in Helm (room for a suffix within Kubernetes' 63-character names). */
export const MAX_RELEASE_NAME = 53;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The rule as error hints state it. */
export const RELEASE_NAME_RULE =
  'lowercase letters, digits and "-", starting and ending with a letter or digit, ' +
  `at most ${MAX_RELEASE_NAME} characters`;

// A name is quoted whole unless it is very long (a file's contents given as the name).
const SHOWN = 100;

/** Why `name` is not a release name (undefined when it is one). */
export function releaseNameProblem(name: string): string | undefined {
  if (name.length > MAX_RELEASE_NAME) {
    return `it is ${name.length} characters long; at most ${MAX_RELEASE_NAME} are allowed`;
  }
  if (!DNS_LABEL.test(name)) {
    return 'it is not a DNS-1123 label (lowercase letters, digits and "-", a letter or digit at each end)';
  }
  return undefined;
}

/** Throws RELEASE_NAME_INVALID naming the name and the rule unless `name` is a valid release name. */
export function checkReleaseName(name: string, where: { source?: string; hint?: string } = {}): void {
  const problem = releaseNameProblem(name);
  if (problem === undefined) return;
  const shown = name.length > SHOWN ? `${name.slice(0, SHOWN)}…` : name;
  const source = where.source ? ` (${where.source})` : '';
  throw new KcError('RELEASE_NAME_INVALID', `invalid release name "${shown}"${source}: ${problem}`, {
    hint: where.hint ?? `use ${RELEASE_NAME_RULE}, e.g. my-app`,
  });
}
