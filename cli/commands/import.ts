import type { Command } from 'commander';
import type { ImportCrdResult } from '../../src/actions/import-crd.js';
import { KcError } from '../../src/errors/index.js';
import type { CliIO } from '../io.js';
import { addRegistryFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
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

/** `kc import helm:CHART [-o DIR]`: the action of `kc import` itself (`kc import crd …` is its subcommand). */
function registerImportHelm(imp: Command, io: CliIO): void {
  imp
    .argument('[spec]', 'helm:CHART: a Helm chart folder, .tgz, REPO/CHART[@VERSION] or oci://…/CHART[:TAG|@VERSION]')
    .option('-o, --output <dir>', 'folder for the generated file', 'imports')
    .option('--version <version>', 'version or range of a REPO/CHART or oci:// chart');
  addRegistryFlags(imp);
  type Flags = RegistryFlagValues & { output: string; version?: string };
  imp.action(async (spec: string | undefined, flags: Flags) => {
    const { HELM_PREFIX, importHelm } = await import('../../src/actions/import-helm.js');
    if (!spec?.startsWith(HELM_PREFIX) || spec.length === HELM_PREFIX.length) {
      throw new KcError(
        'USAGE',
        spec ? `kc import does not know ${JSON.stringify(spec)}` : 'kc import needs what to import',
        {
          hint: 'kc import helm:CHART (e.g. helm:./charts/hello, helm:bitnami/nginx@15.0.0) or kc import crd FILE',
        },
      );
    }
    const chart = spec.slice(HELM_PREFIX.length);
    const r = await importHelm(io.ctx, {
      chart,
      version: flags.version,
      output: flags.output,
      registry: registryOptions(flags),
    });
    const zod = r.schemaName ? ` and ${r.schemaName} (zod)` : '';
    io.stdout(safe`Imported the values of Helm chart ${r.chart.name} ${r.chart.version} from ${r.label}\n`);
    // \u2026 (an ellipsis): a tagged template's text stays as written in dist/, which is kept ASCII.
    io.stdout(safe`  ${r.module}  ${r.typeName}${zod}: new HelmRelease<${r.typeName}>(\u2026) types its values\n`);
  });
}

/**
 * `kc import helm:CHART [-o DIR]` (typed Helm values) and `kc import crd FILE|URL... [--from-cluster NAME...]
 * [-o DIR]` (typed cdk8s classes from CustomResourceDefinitions).
 */
export function registerImport(program: Command, io: CliIO): void {
  const imp = program
    .command('import')
    .description('generate TypeScript from Kubernetes API definitions and Helm chart values (helm:CHART)');
  registerImportHelm(imp, io);
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
      const { importCrd } = await import('../../src/actions/import-crd.js');
      io.stdout(summary(await importCrd(io.ctx, { sources, ...flags })));
    },
  );
  cmd.exitOverride();
}
