#!/usr/bin/env node
/**
 * The infoscope command line: a thin layer over the library. Each file in this folder adds one
 * group of commands; flags that set config keys come from src/config/flags.ts.
 */
import { Command, CommanderError } from 'commander';
import { UserError } from '../core/errors.js';
import { version } from '../engine/version.js';
import { addBenchCommands } from './bench.js';
import { addDoctorCommand } from './doctor.js';
import { addEstimateCommands } from './estimate.js';
import { addSweepCommands } from './sweep.js';
import { addTrainCommands } from './train.js';
import { addViewCommands } from './view.js';

const program = new Command();
program
  .name('infoscope')
  .description('Train recurrent networks on Yang-style cognitive tasks and measure the information their layers and neurons carry.')
  .version(version)
  .showHelpAfterError('(run with --help for usage)')
  // usage errors (unknown option, bad argument) exit with 2 like every other bad input; help and version with 0
  .exitOverride();

addTrainCommands(program);
addSweepCommands(program);
addViewCommands(program);
addEstimateCommands(program);
addBenchCommands(program);
addDoctorCommand(program);

async function main(): Promise<void> {
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
