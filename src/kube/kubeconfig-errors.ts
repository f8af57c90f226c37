// The errors of reading a kubeconfig, shared by the loader's modules: each is KUBECONFIG_INVALID (exit 5).
import { KcError } from '../errors/index.js';

/** The error for a --kubeconfig path that does not exist. */
export function missingKubeconfigError(file: string): KcError {
  return new KcError('KUBECONFIG_INVALID', `kubeconfig ${file} does not exist`, {
    hint: 'pass an existing file with --kubeconfig or set KUBECONFIG',
  });
}

/** The error for a kubeconfig that cannot be read or parsed; `file` is undefined when the default lookup failed. */
export function unreadableKubeconfigError(file: string | undefined, err: unknown): KcError {
  // YAML parse errors carry a multi-line code frame; KcError messages are one line.
  const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0]!.trim();
  return new KcError('KUBECONFIG_INVALID', `cannot read kubeconfig${file ? ` ${file}` : ''}: ${reason}`, {
    hint: 'check the file with `kubectl config view`',
  });
}

/** The error for a --context that the kubeconfig does not define. */
export function unknownContextError(context: string, known: string[]): KcError {
  return new KcError('KUBECONFIG_INVALID', `context "${context}" is not in the kubeconfig`, {
    hint: `known contexts: ${known.join(', ') || '(none)'}`,
  });
}

/** The error for no kubeconfig anywhere (and not running in a pod); `env` is the environment that was searched. */
export function noKubeconfigError(env: NodeJS.ProcessEnv = process.env): KcError {
  const where = env.KUBECONFIG
    ? `KUBECONFIG (${env.KUBECONFIG}) names no existing file`
    : 'KUBECONFIG is unset and ~/.kube/config does not exist';
  return new KcError('KUBECONFIG_INVALID', `no kubeconfig found: ${where}`, {
    hint: 'pass --kubeconfig FILE, or set KUBECONFIG to the kubeconfig of your cluster',
  });
}

/** The error for a kubeconfig whose chosen context names no existing cluster. */
export function noCurrentClusterError(): KcError {
  return new KcError('KUBECONFIG_INVALID', 'the kubeconfig has no current cluster', {
    hint: 'pass --kubeconfig and --context, or set a current context with `kubectl config use-context`',
  });
}
