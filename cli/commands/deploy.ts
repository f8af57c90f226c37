import type { Command } from 'commander';
import { addClusterFlags, addOperationFlags, operationOptions, type ClusterFlagValues, type OperationFlagValues } from '../cluster-flags.js';
import { addValueFlags } from '../flags.js';
import { colorFor, type CliIO } from '../io.js';
import { progressReporter } from '../progress.js';
import { dryRunMode } from '../dry-run.js';
import { safe } from '../terminal-safe.js';
import { keyPassword } from '../key-password.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';
import { renderFluxStates } from '../render-flux.js';
import { formatData, outputFormat } from '../output.js';

/** `kc deploy [PROJECT] --env E`: install or upgrade every release of the app. */
export function registerDeploy(program: Command, io: CliIO): void {
  const cmd = program
    .command('deploy')
    .description('install or upgrade every release of the app into an environment (dependencies first)')
    .argument('[project]', 'project directory', '.')
    .requiredOption('-e, --env <name>', 'environment from the project file')
    .option('--only <release...>', 'only these releases')
    .option('--no-prune', 'keep releases the app no longer defines')
    .option('--reapply', 'apply even when the chart and values are those deployed (undoes changes made outside kc)')
    .option('--dry-run [mode]', 'print what would be applied: client (no cluster) or server (validated by the API server)')
    .option('--debug', 'with --dry-run: print the merged values to stderr, each with the layer that set it (secrets redacted)')
    .option('--show-secrets', 'with --dry-run: print Secret values instead of placeholders')
    .option('-o, --output <format>', 'table (text), json or yaml: the result as a kc.dev/v1 DeployResult document');
  addClusterFlags(cmd);
  addOperationFlags(cmd);
  // Environments delivered by Flux publish first: the registry's connection flags apply to that push.
  addRegistryFlags(cmd);
  // A HelmRelease of an oci:// chart is verified as `kc install --verify` verifies one.
  addVerifyFlags(cmd);
  const values = addValueFlags(cmd);
  type Flags = ClusterFlagValues & OperationFlagValues & RegistryFlagValues & {
    env: string; only?: string[]; prune: boolean; dryRun?: string | boolean; debug?: boolean; showSecrets?: boolean;
    output?: string;
  };
  cmd.action(async (project: string, flags: Flags) => {
    const format = outputFormat(flags.output);
    const dryRun = dryRunMode(flags.dryRun);
    const { deploy } = await import('../../src/actions/deploy.js');
    const result = await deploy(io.ctx, {
      dryRun,
      project,
      env: flags.env,
      only: flags.only,
      noPrune: !flags.prune,
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      namespace: flags.namespace,
      ...operationOptions(flags, io.signal, progressReporter(io)),
      ...values,
      registry: registryOptions(flags),
      password: keyPassword(),
      onFluxProgress: (states) => io.stderr(renderFluxStates(states)),
    });
    if (flags.debug && result.synthesized) {
      const { renderProvenance } = await import('../render-provenance.js');
      io.stderr(renderProvenance(result.synthesized, result.env));
    }
    if (format !== 'table') {
      const { deployDocument } = await import('../operation-json.js');
      return io.stdout(formatData(format, deployDocument(result, dryRun, Boolean(flags.showSecrets)), () => ''));
    }
    if (result.dryRun) {
      const { displayManifest } = await import('../../src/actions/get.js');
      io.stdout(result.dryRun.map((r) => displayManifest(r.objects, Boolean(flags.showSecrets))).join(''));
      return;
    }
    if (result.flux) {
      const { published, revision, states, removed, unchanged } = result.flux;
      io.stdout(safe`Published environment ${result.env}: ${published.repository}:${published.tag}\nDigest: ${published.digest}\n`);
      const where = safe`in namespace ${result.namespace} (context ${result.context})`;
      if (unchanged) io.stdout(safe`Unchanged: revision ${String(revision)} runs this digest already; Flux's objects converged ${where}\n`);
      else io.stdout(safe`Flux ${states.length ? 'applied' : 'was pointed at'} it ${where}, revision ${String(revision)}\n`);
      io.stdout(renderFluxStates(states));
      for (const name of removed) io.stdout(safe`${name}: Kustomization deleted (release no longer in the app; Flux prunes its objects)\n`);
      return;
    }
    const { describeLeft } = await import('../../src/kube/owned-delete.js');
    const { renderOperation } = await import('../render-operation.js');
    io.stdout(safe`Deployed environment ${result.env} to namespace ${result.namespace} (context ${result.context})\n`);
    for (const r of result.releases) io.stdout(renderOperation(r, colorFor(io, 'stdout')));
    for (const r of result.removed) {
      io.stdout(safe`${r.release}: uninstalled (no longer in the app), deleted ${r.deleted.length} object(s)\n`);
      for (const left of r.left) io.stdout(safe`  left ${describeLeft(left)}\n`);
    }
  });
}
