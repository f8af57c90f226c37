import { setMaxListeners } from 'node:events';
import { Command, CommanderError } from 'commander';
import { processContext } from '../src/context.js';
import { exitWhenWritten } from './exit-when-written.js';
import { ErrorCodes, KcError } from '../src/errors/index.js';
import { registerShow } from './commands/show.js';
import { registerSynth } from './commands/synth.js';
import { registerValues } from './commands/values.js';
import { registerInstall } from './commands/install.js';
import { registerDeploy } from './commands/deploy.js';
import { registerRollback } from './commands/rollback.js';
import { registerHistory } from './commands/history.js';
import { registerGet } from './commands/get.js';
import { registerDiff } from './commands/diff.js';
import { registerTest } from './commands/test.js';
import { registerPackage } from './commands/package.js';
import { registerRepo } from './commands/repo.js';
import { registerRegistry } from './commands/registry.js';
import { registerSearch } from './commands/search.js';
import { registerPull } from './commands/pull.js';
import { registerPush } from './commands/push.js';
import { registerPublish } from './commands/publish.js';
import { registerDependency } from './commands/dependency.js';
import { registerInit } from './commands/init.js';
import { registerCreate } from './commands/create.js';
import { registerLint } from './commands/lint.js';
import { registerTemplate } from './commands/template.js';
import { registerGitops } from './commands/gitops.js';
import { registerImport } from './commands/import.js';
import { registerAdopt } from './commands/adopt.js';
import { registerVersion } from './commands/version.js';
import { registerCompletion } from './commands/completion.js';
import { colorChoice, colorFor, type CliIO } from './io.js';
import { checkFlagValues } from './flag-check.js';
import { tolerateClosedReader } from './closed-output.js';
import { addHelpExtras } from './help-examples.js';
import { renderError } from './render-error.js';
import { KC_VERSION } from './version.js';

/** The whole kc command tree, writing through `io` (exported for tests that walk it). */
export function buildProgram(io: CliIO): Command {
  const program = new Command('kc')
    .description('Kubernetes charts as code')
    .version(KC_VERSION, '--version')
    .option('--no-color', 'no colour in any output (also NO_COLOR=1; FORCE_COLOR=1 forces it when piped)')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined });
  registerSynth(program, io);
  registerShow(program, io);
  registerValues(program, io);
  registerInstall(program, io);
  registerDeploy(program, io);
  registerRollback(program, io);
  registerHistory(program, io);
  registerGet(program, io);
  registerDiff(program, io);
  registerTest(program, io);
  registerPackage(program, io);
  registerRepo(program, io);
  registerRegistry(program, io);
  registerSearch(program, io);
  registerPull(program, io);
  registerPush(program, io);
  registerPublish(program, io);
  registerDependency(program, io);
  registerInit(program, io);
  registerCreate(program, io);
  registerLint(program, io);
  registerTemplate(program, io);
  registerGitops(program, io);
  registerImport(program, io);
  registerAdopt(program, io);
  registerVersion(program, io);
  registerCompletion(program, io);
  // Examples and environment variables in every --help, from one table (rendered only when help is shown).
  addHelpExtras(program);
  // Every flag value is checked before any command starts its work (a bad one is a usage error naming the flag).
  program.hook('preAction', (_program, action) => checkFlagValues(action, io.ctx.fs, io.ctx.cwd));
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => undefined });
  return program;
}

function usageError(err: CommanderError): KcError {
  const message = err.message.replace(/^error: /, '');
  return new KcError('USAGE', message, { hint: 'run `kc --help` or `kc <command> --help` for usage' });
}

/** Runs the kc command tree on `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return io.exitCode ?? 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0;
      err = usageError(err);
    }
    const rendered = renderError(err, colorFor(io, 'stderr'));
    io.stderr(rendered.text);
    return rendered.exitCode;
  }
}

/** How long stopping after a signal may take before kc says that it is still stopping. */
const SLOW_STOP_MS = 2000;

/** What a second signal leaves behind, said as it exits. */
const SECOND_SIGNAL_NOTE =
  'a revision it was writing stays pending until its lock expires, then shows as interrupted (`kc history`) and the ' +
  'next operation marks it failed';

/** The process entry: runs main on process.argv and sets the exit code (the only place that does). */
export async function runCli(): Promise<void> {
  const controller = new AbortController();
  // Every request in flight listens to it (a wait of 20 objects has 20 and more): no leak, and Node's warning would be
  // printed into the live progress table, throwing its redraw off.
  setMaxListeners(0, controller.signal);
  const onSignal = (name: string) => () => {
    // The operation in progress notices, marks its revision failed (or rolls back) and unlocks.
    if (!controller.signal.aborted) {
      const hint = 'the revision was marked failed; run the command again';
      controller.abort(new KcError('INTERRUPTED', `interrupted by ${name}`, { hint }));
      // Said only when stopping takes a while, so a user pressing Ctrl-C knows it was heard and how to leave now.
      const slow = `kc: stopping after ${name}: finishing the clean-up (${name} again exits at once)\n`;
      setTimeout(() => process.stderr.write(slow), SLOW_STOP_MS).unref();
      return;
    }
    // A second signal while that clean-up runs (a stalled API server, a credential plugin waiting for input): the
    // user wants out now. What the record then says is still true: a pending revision whose lock is not renewed
    // shows as interrupted once the lock expires, and the next operation marks it failed.
    process.stderr.write(`kc: ${name} again: exiting before the clean-up finished; ${SECOND_SIGNAL_NOTE}\n`);
    process.exit(ErrorCodes.INTERRUPTED);
  };
  process.on('SIGINT', onSignal('SIGINT'));
  process.on('SIGTERM', onSignal('SIGTERM'));
  // --no-color applies to every command, wherever it is given: taken out before commander parses.
  const argv = process.argv.slice(2).filter((a) => a !== '--no-color');
  const noColor = argv.length !== process.argv.length - 2;
  const stdoutGone = tolerateClosedReader(process.stdout);
  const stderrGone = tolerateClosedReader(process.stderr);
  const io: CliIO = {
    stdout: (t) => void (stdoutGone() || process.stdout.write(t)),
    stderr: (t) => void (stderrGone() || process.stderr.write(t)),
    isTTY: Boolean(process.stderr.isTTY),
    colorStdout: colorChoice(process.env, noColor, Boolean(process.stdout.isTTY)),
    colorStderr: colorChoice(process.env, noColor, Boolean(process.stderr.isTTY)),
    stdinIsTTY: Boolean(process.stdin.isTTY),
    // Read at each use: the window may be resized while kc waits.
    get columns() {
      return process.stderr.columns;
    },
    get rows() {
      return process.stderr.rows;
    },
    ctx: processContext(controller.signal),
    signal: controller.signal,
  };
  await exitWhenWritten(await main(argv, io));
}
