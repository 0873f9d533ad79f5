/**
 * The `chartwright` command line. It wires commands to library functions and owns no logic:
 * each command lives in `commands/<name>.ts` and registers itself on the program here.
 */
import { Command, CommanderError } from 'commander';
import { exitCodeFor, toUserMessage } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { registerCommands } from './commands/index.js';

/** Builds the program; exported so tests can inspect options without spawning a process. */
export function buildProgram(): Command {
  const program = new Command('chartwright')
    .description('Synthetic patients whose records hold together: FHIR R4 (US Core 6.1.0) cohorts with grounded clinical notes.')
    .version(TOOL_VERSION, '-V, --version')
    .option('--debug', 'print stack traces of internal errors')
    .showHelpAfterError('(run `chartwright <command> --help` for the options)')
    .configureOutput({ outputError: (text, write) => write(text) })
    .exitOverride();
  registerCommands(program);
  return program;
}

/** Entry point for `bin/chartwright.js`. Sets `process.exitCode`; never throws. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its one line (unknown option, missing argument, --help).
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (program.opts<{ debug?: boolean }>().debug === true && error instanceof Error) console.error(error.stack);
    console.error(toUserMessage(error));
    process.exitCode = exitCodeFor(error);
  }
}
