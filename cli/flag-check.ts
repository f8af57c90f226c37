import path from 'node:path';
import type { Command } from 'commander';
import { KcError } from '../src/errors/index.js';
import type { FileSystem } from '../src/io/file-system.js';
import { checkReleaseName } from '../src/release/name.js';

// An empty value is almost always an unset shell variable (`--env "$ENV"`); taken as given it would quietly mean
// "the default" (the default environment, namespace or context). Flags where empty text means something are listed.
const EMPTY_ALLOWED = new Set(['--description']);

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The flag as the user knows it: its long name, else its short one. */
const flagName = (opt: Command['options'][number]) => opt.long ?? opt.short ?? opt.flags;

function refuseEmpty(cmd: Command): void {
  for (const opt of cmd.options) {
    // Flags with a parser of their own (-f, the --set family) collect elsewhere and check their text themselves.
    if (!(opt.required || opt.optional) || opt.parseArg || EMPTY_ALLOWED.has(opt.long ?? '')) continue;
    const value = cmd.getOptionValue(opt.attributeName()) as unknown;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.trim() === '')) {
      throw new KcError('USAGE', `${flagName(opt)} is empty`, { hint: `give ${flagName(opt)} a value, or leave the flag out for its default` });
    }
  }
  cmd.registeredArguments.forEach((arg, i) => {
    const value = cmd.processedArgs[i] as unknown;
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && v.trim() === '')) {
      throw new KcError('USAGE', `the ${arg.name()} argument is empty`, { hint: `see \`kc ${cmd.name()} --help\`` });
    }
  });
}

/** Checks flags whose values have a shape kc knows before any work starts: -n, --kubeconfig. */
function checkClusterFlags(cmd: Command, fs: FileSystem, cwd: string): void {
  const opts = cmd.opts<{ namespace?: unknown; kubeconfig?: unknown }>();
  if (typeof opts.namespace === 'string' && (!DNS_LABEL.test(opts.namespace) || opts.namespace.length > 63)) {
    throw new KcError('USAGE', `--namespace ${JSON.stringify(opts.namespace)} is not a namespace name`, {
      hint: 'namespaces are DNS labels: lowercase letters, digits and "-", at most 63 characters',
    });
  }
  if (typeof opts.kubeconfig === 'string' && !fs.exists(path.resolve(cwd, opts.kubeconfig))) {
    throw new KcError('FILE_NOT_FOUND', `--kubeconfig ${opts.kubeconfig}: file does not exist`, {
      hint: 'pass the path of a kubeconfig file, or leave the flag out for $KUBECONFIG or ~/.kube/config',
    });
  }
}

/** Release names given as arguments (and synth's --release), for every command: no cluster is read with a bad one. */
function checkReleaseArguments(cmd: Command): void {
  cmd.registeredArguments.forEach((arg, i) => {
    if (arg.name() !== 'release') return;
    const value = cmd.processedArgs[i] as unknown;
    for (const name of Array.isArray(value) ? value : [value]) if (typeof name === 'string') checkReleaseName(name);
  });
  const option = cmd.opts<{ release?: unknown }>().release;
  if (typeof option === 'string') checkReleaseName(option, { source: '--release' });
}

/** Runs before every command's action: a bad flag value is a usage error naming the flag, before anything is done. */
export function checkFlagValues(cmd: Command, fs: FileSystem, cwd: string): void {
  refuseEmpty(cmd);
  checkReleaseArguments(cmd);
  checkClusterFlags(cmd, fs, cwd);
}
