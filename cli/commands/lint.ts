import type { Command } from 'commander';
import type { LintResult } from '../../src/actions/lint.js';
import type { formatFinding as FormatFinding } from '../../src/lint/index.js';
import { addValueFlags } from '../flags.js';
import type { CliIO } from '../io.js';
import { formatData, outputFormat } from '../output.js';
import { safe, terminalSafe } from '../terminal-safe.js';

function summary(r: LintResult, formatFinding: typeof FormatFinding): string {
  const envs = r.environments.length ? ` (environments ${r.environments.join(', ')})` : '';
  const ts = r.typescript ? `, TypeScript ${r.typescript}` : '';
  const schemas = r.schemaSource === 'server' ? 'server' : 'shipped';
  const crds = r.importedSchemas.length;
  const imported = crds ? ` + ${crds} imported CRD${crds > 1 ? 's' : ''}` : '';
  const against = `against Kubernetes ${r.kubernetesVersion} (${schemas} schemas${imported})${ts}`;
  const head = `Linted ${terminalSafe(r.target)}${envs} ${against}\n`;
  const lines = r.findings.map((f) => safe`  ${formatFinding(f)}\n`).join('');
  return `${head}${lines}${r.counts.error} error(s), ${r.counts.warning} warning(s), ${r.counts.info} info\n`;
}

/** `kc lint [PATH]`: type-check, synthesize every environment, validate against Kubernetes schemas, rule checks. */
export function registerLint(program: Command, io: CliIO): void {
  const cmd = program
    .command('lint')
    .description('type-check a project or chart, render every environment and check the objects against the Kubernetes API schema and best-practice rules')
    .argument('[path]', 'project directory (with kc.config.ts) or chart directory', '.')
    .option('--strict', 'fail on warnings too')
    .option('--kube-version <version>', 'Kubernetes version whose schemas to validate against (default: the newest kc ships)')
    .option('--server', 'validate against the schemas of the cluster in the kubeconfig (includes its CRDs)')
    .option('--kubeconfig <file>', 'kubeconfig for --server (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kube context for --server')
    .option('--no-typecheck', 'skip the TypeScript type check')
    .option('-o, --output <format>', 'table, json or yaml');
  const values = addValueFlags(cmd);
  cmd.action(async (target: string, flags: { strict?: boolean; kubeVersion?: string; server?: boolean; kubeconfig?: string; context?: string; typecheck: boolean; output?: string }) => {
    const format = outputFormat(flags.output);
    const { lint, lintFailure } = await import('../../src/actions/lint.js');
    const { formatFinding } = await import('../../src/lint/index.js');
    const result = await lint(io.ctx, { target, ...flags, ...values });
    const failure = lintFailure(result);
    // A failing table run prints nothing here: the LINT_FAILED error lists every finding.
    if (format !== 'table') io.stdout(formatData(format, result, () => ''));
    else if (!failure) io.stdout(summary(result, formatFinding));
    if (failure) throw failure;
  });
}
