import path from 'node:path';
import type { Command } from 'commander';
import pc from 'picocolors';
import { testRelease } from '../../src/actions/test.js';
import { KcError } from '../../src/errors/index.js';
import { addClusterFlags, type ClusterFlagValues } from '../cluster-flags.js';
import { parseDuration } from '../duration.js';
import type { CliIO } from '../io.js';
import { junitXml } from '../junit.js';
import { formatData, outputFormat } from '../output.js';

/** `kc test R [SOURCE]`: run a release's tests. */
export function registerTest(program: Command, io: CliIO): void {
  const cmd = program
    .command('test')
    .description('run a release\'s test Jobs/Pods and, given its chart or project, the chart\'s typed checks')
    .argument('<release>', 'release name')
    .argument('[source]', 'chart or project directory whose typed tests to run')
    .option('-e, --env <name>', 'environment, for a project source (default: the release\'s)')
    .option('--timeout <duration>', 'how long each test object may run', '5m')
    .option('--junit <file>', 'also write a JUnit XML report')
    .option('-o, --output <format>', 'table, json or yaml');
  addClusterFlags(cmd);
  cmd.action(async (release: string, source: string | undefined, flags: ClusterFlagValues & { env?: string; timeout: string; junit?: string; output?: string }) => {
    const format = outputFormat(flags.output);
    const report = await testRelease(io.ctx, { release, source, ...flags, timeoutMs: parseDuration(flags.timeout, '--timeout'), signal: io.signal });
    const c = pc.createColors(io.isTTY);
    io.stdout(
      formatData(format, report, () =>
        [
          `release ${report.release} (namespace ${report.namespace}, revision ${report.revision})`,
          ...report.results.flatMap((r) => [`${r.ok ? c.green('PASS') : c.red('FAIL')}  ${r.name}  ${r.reason}`, ...r.details.map((d) => `      ${d}`)]),
          report.results.length === 0 ? 'no tests defined' : `${report.results.filter((r) => r.ok).length} passed, ${report.results.filter((r) => !r.ok).length} failed`,
          '',
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
