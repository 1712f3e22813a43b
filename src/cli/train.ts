/** `train`, `resume`, `probe`: commands that run a network. Flags come from the config module's table. */
import { mkdirSync } from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { applyFlags, choicesOf, flagHelp, parseFlagValue, trainFlags } from '../config/flags.js';
import { probeRun } from '../engine/posthoc.js';
import { stderrProgress } from '../engine/progress.js';
import { stopOnSignals } from '../engine/stop.js';
import { resume, train } from '../engine/train.js';
import { WATCH_DEFAULTS, startWatch } from '../watch/server.js';
import { backendOption, int, list, printRun, readConfigFile } from './common.js';

export function addTrainCommands(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a network; prints the run folder as the last line of stdout')
    .option('--config <file>', 'JSON config file (flags override it)');
  for (const spec of trainFlags) {
    const o = new Option(spec.flags, flagHelp(spec));
    const choices = choicesOf(spec);
    if (choices) o.choices(choices);
    else if (spec.kind !== 'bool') {
      o.argParser((v: string) => {
        try {
          return parseFlagValue(spec, v);
        } catch (e) {
          throw new InvalidArgumentError((e as Error).message);
        }
      });
    }
    cmd.addOption(o);
  }
  cmd
    .option('--watch', 'serve the live dashboard of the output folder while training (stays up until Ctrl-C)')
    .option('--port <n>', `dashboard port with --watch (default: ${WATCH_DEFAULTS.port})`, int('--port'))
    .action(async (o) => {
      const input = applyFlags(o.config ? readConfigFile(o.config) : {}, o);
      let w: Awaited<ReturnType<typeof startWatch>> | null = null;
      if (o.watch) {
        const root = String(input.out ?? 'runs');
        mkdirSync(root, { recursive: true });
        w = await startWatch({ root, port: o.port });
        process.stderr.write(`dashboard: ${w.url}\n`);
      }
      const stop = stopOnSignals();
      printRun(await train(input, { onProgress: stderrProgress(), shouldStop: stop.requested }), stop);
      if (w) process.stderr.write(`training ended; the dashboard stays at ${w.url} until Ctrl-C\n`);
    });

  program
    .command('resume')
    .description('continue a run from its last checkpoint')
    .argument('<runFolder>')
    .option('--steps <n>', 'new total number of steps', int('--steps'))
    .addOption(backendOption())
    .action(async (dir: string, o) => {
      const stop = stopOnSignals();
      printRun(await resume(dir, { steps: o.steps, backend: o.backend, onProgress: stderrProgress(), shouldStop: stop.requested }), stop);
    });

  program
    .command('probe')
    .description("run probe hooks on a run's saved checkpoints (records tagged origin: posthoc)")
    .argument('<runFolder>')
    .option('--hooks <list>', 'comma-separated hooks (default: those of the run)')
    .option('--estimators <list>', 'comma-separated estimators to keep')
    .addOption(new Option('--checkpoints <which>', 'which checkpoints').choices(['all', 'last']).default('all'))
    .action(async (dir: string, o) => {
      const stop = stopOnSignals();
      const r = await probeRun(dir, { hooks: list(o.hooks), estimators: list(o.estimators), checkpoints: o.checkpoints, shouldStop: stop.requested });
      process.stderr.write(`probed checkpoints ${r.checkpoints.join(', ')}: ${r.records} records in ${r.seconds.toFixed(1)} s${r.stopped ? ' (stopped by a signal before the others)' : ''}\n`);
      process.stdout.write(`${dir}\n`);
      if (r.stopped) process.exitCode = stop.exitCode();
    });
}
