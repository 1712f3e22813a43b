/** `sweep` and `worker`: seeds and settings as one object, on a local pool or a BullMQ queue. */
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { SWEEP_DEFAULTS, WORKER_DEFAULTS } from '../sweep/defaults.js';
import type { CommandFile } from './types.js';
import { int } from './common.js';

const say = (l: string) => process.stderr.write(`${l}\n`);

export const commands: CommandFile = {
  sweep(cmd: Command) {
    cmd
    .argument('<sweepFile>')
    .option('--workers <n>', `local pool size, one run per process (default: cores, here ${SWEEP_DEFAULTS.workers()})`, int('--workers'))
    .option('--queue <url>', 'redis://host:port: queue the runs on BullMQ for `infoscope worker` processes instead of the local pool')
    .option('--artifacts <dir>', 'folder for sweep folders (default: the base config\'s out, else runs); with --queue, one every worker can see')
    .option('--no-report', 'skip report.html')
    .action(async (file: string, o) => {
      if (o.queue && o.workers !== undefined) throw new UserError('--workers is for the local pool; with --queue, start workers with infoscope worker --concurrency N');
      const [{ sweep }, { readSweepSpecFile }, { stopOnSignals }] = await Promise.all([import('../sweep/sweep.js'), import('../sweep/spec.js'), import('../engine/stop.js')]);
      const stop = stopOnSignals();
      const r = await sweep(readSweepSpecFile(file), { workers: o.workers, queue: o.queue, artifacts: o.artifacts, report: o.report, onLine: say, shouldStop: stop.requested });
      for (const f of r.failed) say(`run ${f.id} failed: ${f.error}`);
      if (r.summary.diverged.length) say(`diverged: ${r.summary.diverged.join(', ')}`);
      say(`summary: ${r.dir}/summary.json${r.stopped ? ' (incomplete: stopped; run the same command again to continue)' : ''}`);
      process.stdout.write(`${r.dir}\n`);
      if (r.stopped) process.exitCode = stop.exitCode();
      else if (r.failed.length) process.exitCode = 1;
    });
  },

  worker(cmd: Command) {
    cmd
    .requiredOption('--queue <url>', 'redis://host:port')
    .option('--concurrency <n>', `runs at a time (default: ${WORKER_DEFAULTS.concurrency}; at most the cores)`, int('--concurrency'))
    .option('--artifacts <dir>', "this machine's path of the shared artifacts folder (default: the submitter's)")
    .option('--lock-ms <ms>', `job lock: a dead worker's runs go back to the queue within about 1.3 times this (default: ${WORKER_DEFAULTS.lockDurationMs})`, int('--lock-ms'))
    .action(async (o) => {
      const { startQueueWorker } = await import('../sweep/queue.js');
      const w = await startQueueWorker({ url: o.queue, concurrency: o.concurrency, artifacts: o.artifacts, lockMs: o.lockMs, onLine: say });
      await new Promise<void>((resolve) => {
        let closing = false;
        const on = (s: NodeJS.Signals) => {
          if (closing) {
            say(`${s} again: leaving active runs to be re-delivered from their checkpoints`);
            void w.close(true).finally(() => process.exit(s === 'SIGTERM' ? 143 : 130));
            return;
          }
          closing = true;
          say(`${s}: finishing the active runs, taking no new ones (send it again to quit now)`);
          void w.close().then(resolve);
        };
        process.on('SIGINT', on);
        process.on('SIGTERM', on);
      });
      say('worker closed');
      // BullMQ's connections may hold the event loop open when Redis has gone away
      process.exit(0);
    });
  },
};
