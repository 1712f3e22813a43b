/** `bench train|multitask|target|probes|estimators|overhead|sweep|startup`: benchmarks, one JSON line per case with --json. */
import { type Command, Option } from 'commander';
import { sweepBenchDefaults as SB, trainBenchDefaults as TB } from '../bench/defaults.js';
import { UserError } from '../core/errors.js';
import { DEFAULT_TARGET_PERF } from '../stats/metrics.js';
import { activations } from '../../models/rnn/activations.js';
import type { CommandFile } from './types.js';
import { backendOption, int, list } from './common.js';

/** --pytorch [python] and --pytorch-threads, for the benchmarks that time a PyTorch reference script. */
function withPytorch(cmd: Command, script: string): Command {
  return cmd
    .option('--pytorch [python]', `also time scripts/pytorch/${script} with this Python (python3 when none is named)`)
    .option('--pytorch-threads <n>', 'threads of the PyTorch reference', int('--pytorch-threads'), 1);
}

/** The Python that --pytorch names, or undefined without it. */
const pythonOf = (o: { pytorch?: string | boolean }): string | undefined => (o.pytorch === true ? 'python3' : o.pytorch || undefined);

export const commands: CommandFile = {
  bench(bench: Command) {
  bench
    .command('estimators')
    .description('time KSG at n = 500, 2000, 10000 and d = 1, 3, 8, and the layer estimators on a 200 x 256 layer')
    .option('--json', 'one JSON line per case')
    .option('--repeats <n>', 'timed repeats (median reported)', int('--repeats'), 9)
    .action(async (o) => {
      const { benchEstimators } = await import('../bench/estimatorBench.js');
      benchEstimators((l) => process.stdout.write(o.json ? JSON.stringify(l) + '\n' : `${l.estimator.padEnd(10)} ${l.mode.padEnd(8)} n=${String(l.n).padStart(5)} d=${String(l.d).padStart(3)} ${l.ms.toFixed(2).padStart(9)} ms (min ${l.ms_min.toFixed(2)})\n`), o.repeats);
    });

  bench
    .command('probes')
    .description('time one full probe pass per hook at defaults (200 trials, 256 units, 100 steps)')
    .option('--hooks <list>', 'comma-separated hooks')
    .option('--json', 'one JSON line per hook and estimator set')
    .addOption(backendOption().default('auto'))
    .action(async (o) => {
      const { benchProbes } = await import('../bench/probeBench.js');
      await benchProbes(o.backend, (l) => process.stdout.write(o.json ? JSON.stringify(l) + '\n' : `${l.hook.padEnd(10)} ${l.estimators.join('+').padEnd(36)} ${l.ms.toFixed(0).padStart(7)} ms\n`), list(o.hooks));
    });

  withPytorch(bench.command('train'), 'leaky_rnn_step.py')
    .description('time one full Adam step of the leaky RNN on random data')
    .option('--batch <n>', 'batch', int('--batch'), TB.batch)
    .option('--time-steps <n>', 'time steps', int('--time-steps'), TB.timeSteps)
    .option('--hidden <n>', 'hidden units', int('--hidden'), TB.hidden)
    .option('--inputs <n>', 'inputs', int('--inputs'), TB.inputs)
    .option('--outputs <n>', 'outputs', int('--outputs'), TB.outputs)
    .addOption(new Option('--activation <f>', 'activation').choices(activations).default(TB.activation))
    .option('--threads <n>', 'threads (1, or 2: the batch split in two halves, gradients summed)', int('--threads'), TB.threads)
    .option('--repeats <n>', 'timed steps', int('--repeats'), TB.repeats)
    .option('--warmup <n>', 'untimed steps first', int('--warmup'), TB.warmup)
    .addOption(backendOption().default('auto'))
    .option('--model <kind>', 'rnn, or reservoir: its training time on --trials Go trials', 'rnn')
    .option('--trials <n>', `reservoir: training trials (default: ${TB.reservoirTrials}, what the RNN needs to reach ${DEFAULT_TARGET_PERF} on Go)`, int('--trials'), TB.reservoirTrials)
    .option('--rounds <n>', 'with --pytorch: alternating rounds of each', int('--rounds'), 3)
    .option('--no-breakdown', 'skip timing the step\'s products alone')
    .option('--sweep', 'the cost curve: every size of --sweep-hidden x --sweep-batch x --sweep-time-steps, each in a fresh process (one JSON line per size)')
    .option('--sweep-hidden <list>', 'units of --sweep', '64,128,256,512,1024,2048')
    .option('--sweep-batch <list>', 'batches of --sweep', '16,64,256')
    .option('--sweep-time-steps <list>', 'trial lengths of --sweep', '60,200')
    .option('--sweep-seconds <s>', 'timed seconds to aim for per size', parseFloat, 4)
    .option('--json', 'print one JSON line')
    .action(async (o) => {
      if (o.sweep) {
        const { benchTrainSweep } = await import('../bench/trainSweep.js');
        const nums = (flag: string, v: string) => String(v).split(',').map((x) => {
          const n = Number(x.trim());
          if (!Number.isInteger(n) || n < 1) throw new UserError(`${flag} must list positive integers, got "${v}"`);
          return n;
        });
        benchTrainSweep({ hidden: nums('--sweep-hidden', o.sweepHidden), batch: nums('--sweep-batch', o.sweepBatch), timeSteps: nums('--sweep-time-steps', o.sweepTimeSteps), threads: o.threads, python: pythonOf(o), secondsPerPoint: o.sweepSeconds }, (p) =>
          process.stdout.write(o.json ? JSON.stringify(p) + '\n' : `N ${String(p.hidden).padStart(4)} B ${String(p.batch).padStart(3)} T ${String(p.time_steps).padStart(3)}: ${p.ms_per_step} ms/step, ${p.gflops} GFLOP/s, ${p.max_rss_mb} MB${p.ratio !== undefined ? `; PyTorch ${p.pytorch_ms_per_step} ms (ratio ${p.ratio})` : ''}\n`),
        );
        return;
      }
      const { benchReservoir, benchTrain, benchTrainVsPytorch } = await import('../bench/trainBench.js');
      if (o.model === 'reservoir') {
        const r = await benchReservoir(o.trials, o.backend, o.threads);
        process.stdout.write(o.json ? JSON.stringify(r) + '\n' : `reservoir: ${r.trials} Go trials in ${r.ms_total} ms (${r.ms_per_trial} ms/trial), perf ${r.perf.toFixed(3)} on ${r.backend}, ${r.threads} thread(s)\n`);
        return;
      }
      if (o.model !== 'rnn') throw new UserError(`bench train knows models rnn and reservoir, not "${o.model}"`);
      const python = pythonOf(o);
      if (python) {
        const v = await benchTrainVsPytorch(o, python, o.rounds, o.pytorchThreads);
        process.stdout.write(o.json ? JSON.stringify(v) + '\n' : `infoscope ${v.infoscope.ms_per_step} ms/step (${v.infoscope.backend}, ${v.infoscope.threads} threads), PyTorch ${v.pytorch.torch} ${v.pytorch.ms_per_step} ms/step (${v.pytorch.threads} thread(s), ${v.pytorch.blas}): ratio ${v.ratio_median} (median), ${v.ratio_best} (best steps)\n`);
        return;
      }
      const r = await benchTrain({ ...o, timeSteps: o.timeSteps });
      if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
      else process.stdout.write(`${r.ms_per_step} ms/step (min ${r.ms_min}), ${r.gflop_per_step} GFLOP/step, ${r.gflops} GFLOP/s on ${r.backend}\n`);
    });

  withPytorch(bench.command('multitask'), 'multitask_steps.py')
    .description("time a slice of the paper's 20-task training (preset yang2019), PyTorch on the same batches, and extrapolate the whole 1e7-trial budget")
    .option('--steps <n>', 'training steps per round (the first two untimed)', int('--steps'), 40)
    .option('--rounds <n>', 'rounds (alternating with --pytorch)', int('--rounds'), 3)
    .option('--threads <n>', 'threads of infoscope\'s step', int('--threads'), 2)
    .addOption(backendOption().default('auto'))
    .option('--json', 'print one JSON line')
    .action(async (o) => {
      const { benchMultitask } = await import('../bench/multitaskBench.js');
      const r = await benchMultitask({ steps: o.steps, rounds: o.rounds, threads: o.threads, backend: o.backend, python: pythonOf(o), pytorchThreads: o.pytorchThreads });
      process.stdout.write(o.json ? JSON.stringify(r) + '\n' : `${JSON.stringify(r, null, 1)}\n`);
    });

  withPytorch(bench.command('target'), 'go_to_target.py')
    .description('whole-process wall time from scratch to an evaluated perf on Go, per seed; with --pytorch, the PyTorch reference too')
    .option('--seeds <list>', 'seeds', '1,2,3')
    .option('--target <p>', 'evaluated perf to reach', parseFloat, DEFAULT_TARGET_PERF)
    .option('--probes', 'keep the default probe passes (left out by default: the PyTorch reference computes none)')
    .option('--threads <n>', 'threads of the infoscope step', int('--threads'), 2)
    .addOption(backendOption().default('auto'))
    .option('--json', 'print one JSON line')
    .action(async (o) => {
      const { benchTarget } = await import('../bench/targetBench.js');
      const seeds = String(o.seeds).split(',').map((s: string) => Number(s.trim()));
      const r = benchTarget({ seeds, target: o.target, probes: Boolean(o.probes), threads: o.threads, backend: o.backend, python: pythonOf(o), pytorchThreads: o.pytorchThreads });
      if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
      else {
        process.stdout.write(`infoscope: median ${r.infoscope.wall_s} s to ${r.target} (${r.infoscope.ms_per_step} ms/step, ${r.infoscope.backend})\n`);
        if (r.pytorch) process.stdout.write(`PyTorch ${r.pytorch.torch}: median ${r.pytorch.wall_s} s (${r.pytorch.ms_per_step} ms/step); ratio ${r.ratio_wall} (wall), ${r.ratio_step} (per step)\n`);
      }
    });

  bench
    .command('overhead')
    .description('what probes cost: a default Go run with its probe passes and without (--probe-every 0), whole processes, as a ratio')
    .option('--steps <n>', 'training steps of each run', int('--steps'), 2000)
    .option('--rounds <n>', 'alternating rounds (median ratio reported)', int('--rounds'), 1)
    .option('--task <name>', 'task', 'go')
    .option('--seed <n>', 'seed', int('--seed'), 1)
    .option('--json', 'print one JSON line')
    .action(async (o) => {
      const { benchOverhead } = await import('../bench/overheadBench.js');
      const r = benchOverhead({ steps: o.steps, rounds: o.rounds, task: o.task, seed: o.seed });
      process.stdout.write(o.json ? JSON.stringify(r) + '\n' : `${r.task}, ${r.steps} steps: with probes ${r.with_probes_s.join(', ')} s, without ${r.without_probes_s.join(', ')} s: overhead ${(100 * r.overhead).toFixed(1)} %\n`);
    });

  bench
    .command('startup')
    .description('whole-process time of --version, estimate on a small CSV, doctor and train --help, beside node -e 0')
    .option('--rounds <n>', 'alternating rounds (median reported)', int('--rounds'), 15)
    .option('--json', 'one JSON line per command')
    .action(async (o) => {
      const { benchStartup } = await import('../bench/startupBench.js');
      benchStartup(o.rounds, (l) => process.stdout.write(o.json ? JSON.stringify(l) + '\n' : `${l.command.padEnd(32)} ${l.ms.toFixed(0).padStart(5)} ms (min ${l.ms_min.toFixed(0)}, ${l.ms_over_node.toFixed(0)} over node)\n`));
    });

  bench
    .command('sweep')
    .description('local pool throughput with 1 and 2 workers, and the BullMQ queue overhead per run (a private redis-server, or --queue)')
    .option('--runs <n>', 'runs per sweep', int('--runs'), SB.runs)
    .option('--steps <n>', 'steps per run', int('--steps'), SB.steps)
    .option('--hidden <n>', 'hidden units', int('--hidden'), SB.hidden)
    .option('--queue <url>', 'redis://host:port to measure (default: start a private redis-server)')
    .option('--json', 'one JSON line per case')
    .action(async (o) => {
      const { benchSweep } = await import('../bench/sweepBench.js');
      await benchSweep((l) => process.stdout.write(o.json ? JSON.stringify(l) + '\n' : `${JSON.stringify(l)}\n`), { runs: o.runs, steps: o.steps, hidden: o.hidden, queue: o.queue });
    });
  },
};
