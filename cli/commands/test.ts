import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { KcError } from '../../src/errors/index.js';
import { addClusterFlags, type ClusterFlagValues } from '../cluster-flags.js';
import { parseDuration } from '../duration.js';
import { addEnvFlags, clusterOf, type EnvFlagValues } from '../env-flags.js';
import { colorFor, type CliIO } from '../io.js';
import { junitXml } from '../junit.js';
import { formatData, outputFormat } from '../output.js';
import { safe } from '../terminal-safe.js';
import { testLogsText } from '../test-logs.js';

/** `kc test R [SOURCE]`: run a release's tests. */
export function registerTest(program: Command, io: CliIO): void {
  const cmd = program
    .command('test')
    .description('run a release\'s test Jobs/Pods and, given its chart or project, the chart\'s typed checks')
    .argument('<release>', 'release name')
    .argument('[source]', 'chart or project directory whose typed tests to run')
    .option('--timeout <duration>', 'how long each test object may run', '5m')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('--logs', 'print the logs of each test Pod (a test Job\'s Pods too)')
    .option('-o, --output <format>', 'table, json or yaml');
  addClusterFlags(cmd);
  addEnvFlags(cmd, 'environment: its namespace, kube context and kubeconfig (flags still win), and the values of a project source\'s checks (default: the release\'s)');
  type TestFlags = ClusterFlagValues & EnvFlagValues & { timeout: string; junit?: string; output?: string; logs?: boolean };
  cmd.action(async (release: string, source: string | undefined, flags: TestFlags) => {
    const format = outputFormat(flags.output);
    const timeoutMs = parseDuration(flags.timeout, '--timeout');
    const { testRelease } = await import('../../src/actions/test.js');
    const { locateTarget } = await import('../../src/config/locate.js');
    // --env is looked up in --project, else in a project source, else in the current directory.
    const project = flags.project ?? (source !== undefined && locateTarget(io.ctx.fs, io.ctx.cwd, source).kind === 'project' ? source : undefined);
    const cluster = await clusterOf(io, { ...flags, project });
    const report = await testRelease(io.ctx, { release, source, ...flags, ...cluster, timeoutMs, signal: io.signal });
    const c = pc.createColors(colorFor(io, 'stdout'));
    io.stdout(
      formatData(format, report, () =>
        [
          safe`release ${report.release} (namespace ${report.namespace}, revision ${report.revision})`,
          ...report.results.flatMap((r) => [
            `${r.ok ? c.green('PASS') : c.red('FAIL')}  ${safe`${r.name}  ${r.reason}`}`,
            ...r.details.map((d) => safe`      ${d}`),
          ]),
          report.results.length === 0 ? 'no tests defined' : `${report.results.filter((r) => r.ok).length} passed, ${report.results.filter((r) => !r.ok).length} failed`,
          ...(flags.logs ? ['', ...testLogsText(report.results)] : ['']),
        ].join('\n'),
      ),
    );
    if (flags.junit) io.ctx.fs.writeText(path.resolve(io.ctx.cwd, flags.junit), junitXml(report));
    if (!report.passed) {
      throw new KcError('TESTS_FAILED', `${report.results.filter((r) => !r.ok).length} test(s) of release ${release} failed`, {
        hint: 'see each failure above; failed test objects are kept for inspection',
      });
    }
  });
}
