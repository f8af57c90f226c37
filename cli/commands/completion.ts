import type { Command } from 'commander';
import { KcError } from '../../src/errors/index.js';
import type { CliIO } from '../io.js';

const SHELL_NAMES = ['bash', 'zsh', 'fish'];

/**
 * `kc completion <shell>` and the hidden `kc __complete -- <words…>` its scripts call; the completion code loads
 * only when one of them runs, so other commands start as fast as before.
 */
export function registerCompletion(program: Command, io: CliIO): void {
  program
    .command('completion')
    .description('print a shell completion script: source <(kc completion bash), or zsh, or fish')
    .argument('<shell>', SHELL_NAMES.join(', '))
    .action(async (shell: string) => {
      if (!SHELL_NAMES.includes(shell)) {
        throw new KcError('USAGE', `no completion for shell "${shell}"`, {
          hint: `use one of: ${SHELL_NAMES.join(', ')}`,
        });
      }
      const { completionScript } = await import('../completion/scripts.js');
      io.stdout(completionScript(shell as 'bash' | 'zsh' | 'fish'));
    });
  program
    .command('__complete', { hidden: true })
    .description('completion candidates for the words after `kc` (the last one is being completed)')
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (_flags: unknown, cmd: Command) => {
      const { complete, completionLines } = await import('../completion/complete.js');
      // Completion must never print an error into the user's command line: nothing is offered instead.
      const words = cmd.args.length > 0 ? cmd.args : [''];
      const answer = await complete(program, words, io.ctx).catch(() => ({ candidates: [] }));
      io.stdout(completionLines(answer)); // kc ends once that is written (cli/exit-when-written.ts)
    });
}
