#!/usr/bin/env node
/** The infoscope command line: a thin layer over the library. */
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { benchTrain } from './bench/trainBench.js';
import { backendChoices, initBackend } from './engine/backend.js';
import { UserError } from './engine/errors.js';
import { stderrProgress } from './engine/progress.js';
import { resume, train, type TrainResult } from './engine/train.js';
import { version } from './engine/version.js';
import { activations } from '../models/rnn/activations.js';
import { taskNames } from '../tasks/registry.js';

const int = (name: string) => (v: string) => {
  if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be an integer.`);
  return Number(v);
};
const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
  return n;
};

function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UserError(`cannot read config file ${path}`);
  }
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error();
    return v as Record<string, unknown>;
  } catch {
    throw new UserError(`config file ${path} is not a JSON object`);
  }
}

/** SIGINT/SIGTERM finish the current step, checkpoint and exit; a second signal exits at once. */
function stopFlag(): () => boolean {
  let stop = false;
  const on = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\nstopping after this step (press again to quit now)\n');
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return () => stop;
}

function report(r: TrainResult): void {
  if (r.message) process.stderr.write(`${r.message}\n`);
  process.stdout.write(`${r.dir}\n`);
  if (r.status === 'diverged') process.exitCode = 3;
  else if (r.status === 'stopped') process.exitCode = 130;
}

const program = new Command();
program
  .name('infoscope')
  .description('Train recurrent networks on Yang-style cognitive tasks and measure the information their layers and neurons carry.')
  .version(version)
  .showHelpAfterError('(run with --help for usage)');

const backendOption = () => new Option('--backend <name>', 'tfjs backend').choices(backendChoices as string[]);

program
  .command('train')
  .description('train a network; prints the run folder as the last line of stdout')
  .option('--config <file>', 'JSON config file (command-line flags override it)')
  .option('--task <names>', `task or comma-separated tasks (${taskNames().join(', ')})`)
  .option('--model <kind>', 'model kind (rnn)')
  .option('--steps <n>', 'training steps', int('--steps'))
  .option('--batch <n>', 'trials per step', int('--batch'))
  .option('--lr <x>', 'Adam learning rate', num('--lr'))
  .option('--seed <n>', 'seed of every random stream', int('--seed'))
  .option('--out <dir>', 'folder for run folders')
  .option('--name <name>', 'run name (the folder gets a timestamp)')
  .option('--checkpoint-every <n>', 'steps between checkpoints', int('--checkpoint-every'))
  .option('--eval-every <n>', 'steps between perf evaluations', int('--eval-every'))
  .option('--target-perf <p>', 'stop once the evaluated perf reaches p (every task)', num('--target-perf'))
  .addOption(new Option('--activation <f>', 'RNN activation').choices(activations as string[]))
  .option('--hidden <n>', 'RNN units', int('--hidden'))
  .option('--threads <n>', 'threads for the training step (1 or 2)', int('--threads'))
  .addOption(backendOption())
  .action(async (o) => {
    const cfg: Record<string, unknown> = o.config ? readConfigFile(o.config) : {};
    const set = (key: string, v: unknown) => {
      if (v !== undefined) cfg[key] = v;
    };
    set('task', o.task === undefined ? undefined : String(o.task).includes(',') ? String(o.task).split(',').map((s) => s.trim()) : o.task);
    set('model', o.model);
    set('steps', o.steps);
    set('batch', o.batch);
    set('lr', o.lr);
    set('seed', o.seed);
    set('out', o.out);
    set('name', o.name);
    set('checkpointEvery', o.checkpointEvery);
    set('evalEvery', o.evalEvery);
    set('targetPerf', o.targetPerf);
    set('backend', o.backend);
    set('threads', o.threads);
    if (o.activation !== undefined || o.hidden !== undefined) {
      const rnn = (typeof cfg.rnn === 'object' && cfg.rnn !== null ? cfg.rnn : {}) as Record<string, unknown>;
      if (o.activation !== undefined) rnn.activation = o.activation;
      if (o.hidden !== undefined) rnn.hidden = o.hidden;
      cfg.rnn = rnn;
    }
    report(await train(cfg, { onProgress: stderrProgress(), shouldStop: stopFlag() }));
  });

program
  .command('resume')
  .description('continue a run from its last checkpoint')
  .argument('<runFolder>')
  .option('--steps <n>', 'new total number of steps', int('--steps'))
  .addOption(backendOption())
  .action(async (dir: string, o) => {
    report(await resume(dir, { steps: o.steps, backend: o.backend, onProgress: stderrProgress(), shouldStop: stopFlag() }));
  });

program
  .command('doctor')
  .description('show which backend loads, why others do not, and versions')
  .addOption(backendOption().default('auto'))
  .option('--json', 'print JSON')
  .action(async (o) => {
    const r = await initBackend(o.backend);
    const info = { infoscope: version, node: process.version, platform: `${process.platform}-${process.arch}`, ...r };
    if (o.json) {
      process.stdout.write(JSON.stringify(info) + '\n');
      return;
    }
    const lines = [
      `infoscope ${version}, node ${process.version}, ${info.platform}, tfjs ${r.tfjsVersion}`,
      `backend in use: ${r.backend} (${r.package})`,
      ...(r.wasm ? [`wasm: SIMD ${r.wasm.simd ? 'yes' : 'no'}, threads ${r.wasm.threads ? 'yes' : 'no'}`] : []),
      'tried, in order:',
      ...r.attempts.map((a) => `  ${a.ok ? 'ok  ' : 'no  '} ${a.name}${a.reason ? `: ${a.reason}` : ''}`),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  });

const bench = program.command('bench').description('benchmarks (JSON lines with --json)');
bench
  .command('train')
  .description('time one full Adam step of the leaky RNN on random data')
  .option('--batch <n>', 'batch', int('--batch'), 64)
  .option('--time-steps <n>', 'time steps', int('--time-steps'), 60)
  .option('--hidden <n>', 'hidden units', int('--hidden'), 256)
  .option('--inputs <n>', 'inputs', int('--inputs'), 85)
  .option('--outputs <n>', 'outputs', int('--outputs'), 33)
  .addOption(new Option('--activation <f>', 'activation').choices(activations as string[]).default('relu'))
  .option('--threads <n>', 'threads (1, or 2: batch split between main thread and a worker)', int('--threads'), 2)
  .option('--repeats <n>', 'timed steps', int('--repeats'), 10)
  .option('--warmup <n>', 'untimed steps first', int('--warmup'), 3)
  .addOption(backendOption().default('auto'))
  .option('--json', 'print one JSON line')
  .action(async (o) => {
    const r = await benchTrain({ ...o, timeSteps: o.timeSteps });
    if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
    else process.stdout.write(`${r.ms_per_step} ms/step (min ${r.ms_min}), ${r.gflop_per_step} GFLOP/step, ${r.gflops} GFLOP/s on ${r.backend}\n`);
  });

async function main(): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (e) {
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
