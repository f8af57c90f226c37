import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { displayPath } from './package.js';
import { formatData, outputFormat, table } from '../output.js';
import { safe } from '../terminal-safe.js';
import { addRegistryFlags, addVerifyFlags, registryOptions, type RegistryFlagValues } from '../registry-flags.js';

/** `kc dependency update|list CHART_DIR`: charts a chart depends on, locked in kc.lock.json. */
export function registerDependency(program: Command, io: CliIO): void {
  const dep = program.command('dependency').alias('dep').description('manage the packaged charts a chart depends on (package.json kc.dependencies)');
  const update = dep
    .command('update')
    .alias('up')
    .description('resolve kc.dependencies, download them into charts/ and write kc.lock.json')
    .argument('[chart]', 'chart directory', '.');
  // Dependencies from oci:// registries: connection and signature flags as for `kc pull`.
  addRegistryFlags(update);
  addVerifyFlags(update);
  update.action(async (chart: string, flags: RegistryFlagValues) => {
    const { dependencyUpdate } = await import('../../src/actions/dependency.js');
    const result = await dependencyUpdate(io.ctx, chart, { registry: registryOptions(flags) });
    for (const d of result.dependencies) {
      io.stdout(safe`Locked ${d.name} ${d.version} (${d.range} from ${d.repository})\n`);
    }
    for (const f of result.removed) io.stdout(safe`Removed charts/${f}\n`);
    io.stdout(safe`Wrote ${displayPath(io.ctx.cwd, result.lockFile)}\n`);
  });
  dep
    .command('list')
    .alias('ls')
    .description('declared dependencies, their locked versions, and whether the lock is up to date')
    .argument('[chart]', 'chart directory', '.')
    .option('-o, --output <format>', 'table, json or yaml')
    .action(async (chart: string, flags: { output?: string }) => {
      const format = outputFormat(flags.output);
      const { dependencyList } = await import('../../src/actions/dependency.js');
      const result = dependencyList(io.ctx, chart);
      io.stdout(formatData(format, result, () => {
        const rows = table(['NAME', 'VERSION', 'REPOSITORY', 'LOCKED'], result.dependencies.map((d) => [d.name, d.range, d.repository, d.locked ?? '(not locked)']));
        const problems = result.problems.map((p) => safe`  ${p}\n`).join('');
        if (!problems) return rows;
        return `${rows}\nThe lock is out of date (run \`kc dependency update\`):\n${problems}`;
      }));
    });
  for (const cmd of dep.commands) cmd.exitOverride();
}
