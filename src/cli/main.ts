#!/usr/bin/env node
/**
 * The infoscope command line: a thin layer over the library. The commands are one table
 * (commands.ts); only the invoked command's file is loaded, so `--version` and `--help` start at
 * once and each command pays only for what it uses.
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.js';
import { version } from '../engine/version.js';
import { commandTable } from './commands.js';

async function main(): Promise<void> {
  const program = new Command();
  program
    .name('infoscope')
    .description('Train recurrent networks on Yang-style cognitive tasks and measure the information their layers and neurons carry.')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    // usage errors (unknown option, bad argument) exit with 2 like every other bad input; help and version with 0
    .exitOverride();
  const args = process.argv.slice(2);
  const first = args.find((a) => !a.startsWith('-'));
  // `infoscope help train` shows train's own options
  const invoked = first === 'help' ? args[args.indexOf('help') + 1] : first;
  for (const entry of commandTable) {
    const cmd = program.command(entry.name).description(entry.description);
    if (entry.name === invoked) (await entry.load())[entry.name](cmd);
  }
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 2);
    if (e instanceof UserError) {
      process.stderr.write(`infoscope: ${e.message}\n`);
      process.exit(e.exitCode);
    }
    const err = e as Error;
    process.stderr.write(`infoscope: ${err.message}\n`);
    if (process.env.INFOSCOPE_DEBUG) process.stderr.write(`${err.stack}\n`);
    process.exit(1);
  }
}

await main();
