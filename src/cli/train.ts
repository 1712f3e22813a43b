/** `train`, `resume`, `probe`: commands that run a network. Flags come from the config module's table. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { applyFlags, choicesOf, flagHelp, parseFlagValue, trainFlags } from '../config/flags.js';
import { WATCH_DEFAULTS } from '../watch/defaults.js';
import type { CommandFile } from './types.js';
import { backendOption, int, list, printRun, readConfigFile } from './common.js';

export const commands: CommandFile = {
  train(cmd: Command) {
    cmd.option('--config <file>', 'JSON config file (flags override it)');
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
      .option('--no-report', 'skip the charts and report.html at the end (infoscope report writes them later)')
      .action(async (o) => {
        const input = applyFlags(o.config ? readConfigFile(o.config) : {}, o);
        const [{ train }, { stderrProgress }, { stopOnSignals }] = await Promise.all([import('../workflows/train.js'), import('../engine/progress.js'), import('../engine/stop.js')]);
        let url: string | null = null;
        if (o.watch) {
          const { mkdirSync } = await import('node:fs');
          const { startWatch } = await import('../watch/server.js');
          const root = String(input.out ?? 'runs');
          mkdirSync(root, { recursive: true });
          url = (await startWatch({ root, port: o.port })).url;
          process.stderr.write(`dashboard: ${url}\n`);
        }
        const stop = stopOnSignals();
        printRun(await train(input, { onProgress: stderrProgress(), shouldStop: stop.requested, report: o.report !== false }), stop);
        if (url) process.stderr.write(`training ended; the dashboard stays at ${url} until Ctrl-C\n`);
      });
  },

  resume(cmd: Command) {
    cmd
      .argument('<runFolder>')
      .option('--steps <n>', 'new total number of steps', int('--steps'))
      .addOption(backendOption())
      .option('--no-report', 'skip the charts and report.html at the end (infoscope report writes them later)')
      .action(async (dir: string, o) => {
        const [{ resume }, { stderrProgress }, { stopOnSignals }] = await Promise.all([import('../workflows/train.js'), import('../engine/progress.js'), import('../engine/stop.js')]);
        const stop = stopOnSignals();
        printRun(await resume(dir, { steps: o.steps, backend: o.backend, onProgress: stderrProgress(), shouldStop: stop.requested, report: o.report !== false }), stop);
      });
  },

  probe(cmd: Command) {
    cmd
      .argument('<runFolder>')
      .option('--hooks <list>', 'comma-separated hooks (default: those of the run)')
      .option('--estimators <list>', 'comma-separated estimators to keep')
      .addOption(new Option('--checkpoints <which>', 'which checkpoints').choices(['all', 'last']).default('all'))
      .action(async (dir: string, o) => {
        const [{ probeRun }, { stopOnSignals }] = await Promise.all([import('../engine/posthoc.js'), import('../engine/stop.js')]);
        const stop = stopOnSignals();
        const r = await probeRun(dir, { hooks: list(o.hooks), estimators: list(o.estimators), checkpoints: o.checkpoints, shouldStop: stop.requested });
        process.stderr.write(`probed checkpoints ${r.checkpoints.join(', ')}: ${r.records} records in ${r.seconds.toFixed(1)} s${r.stopped ? ' (stopped by a signal before the others)' : ''}\n`);
        process.stdout.write(`${dir}\n`);
        if (r.stopped) process.exitCode = stop.exitCode();
      });
  },
};
