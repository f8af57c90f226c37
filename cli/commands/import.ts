import type { Command } from 'commander';
import { importCrd, type ImportCrdResult } from '../../src/actions/import-crd.js';
import type { CliIO } from '../io.js';
import { safe } from '../terminal-safe.js';

function summary(r: ImportCrdResult): string {
  const lines: string[] = [];
  for (const i of r.imported) {
    const classes = i.classes.map((c) => `${c.className} (${c.apiVersion})`).join(', ');
    lines.push(safe`Imported ${i.crd} from ${i.source}\n`);
    lines.push(safe`  ${i.module}  ${classes}\n`);
    lines.push(safe`  ${i.schema}  (kc lint validates ${i.classes[0]?.kind ?? ''} objects against it)\n`);
  }
  for (const s of r.skipped) {
    lines.push(safe`Skipped ${s.kinds.length} object(s) of ${s.source} that are not CRDs: ${s.kinds.join(', ')}\n`);
  }
  return lines.join('');
}

/** `kc import crd FILE|URL... [--from-cluster NAME...] [-o DIR]`: typed cdk8s classes from CustomResourceDefinitions. */
export function registerImport(program: Command, io: CliIO): void {
  const imp = program.command('import').description('generate TypeScript from Kubernetes API definitions');
  const cmd = imp
    .command('crd')
    .description(
      'generate a typed cdk8s class per served version of each CustomResourceDefinition, and its schema for kc lint',
    )
    .argument('[sources...]', 'CRD files (YAML or JSON, several documents allowed) or http(s) URLs')
    .option(
      '--from-cluster <name...>',
      'CRDs to read from the cluster, by name (servicemonitors.monitoring.coreos.com)',
    )
    .option('-o, --output <dir>', 'folder for the generated files', 'imports')
    .option('--kubeconfig <file>', 'kubeconfig for --from-cluster (default: $KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kube context for --from-cluster (default: the current one)');
  cmd.action(
    async (
      sources: string[],
      flags: { fromCluster?: string[]; output: string; kubeconfig?: string; context?: string },
    ) => {
      io.stdout(summary(await importCrd(io.ctx, { sources, ...flags })));
    },
  );
  cmd.exitOverride();
}
