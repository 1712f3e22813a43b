#!/usr/bin/env node
/** The infoscope command line: a thin layer over the library. */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { startWatch } from './watch/server.js';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { benchReservoir, benchTrain } from './bench/trainBench.js';
import { benchEstimators } from './bench/estimatorBench.js';
import { benchProbes } from './bench/probeBench.js';
import { calibrate, type CalibrationRow } from './bench/calibrate.js';
import { readCsvLabels, readCsvMatrix } from './engine/csv.js';
import { type EstimatorName, estimate, estimatorNames } from '../probes/estimators/estimate.js';
import { EstimatorInputError } from '../probes/estimators/types.js';
import { backendChoices, initBackend } from './engine/backend.js';
import { UserError } from './engine/errors.js';
import { stderrProgress } from './engine/progress.js';
import { resume, train, type TrainResult } from './engine/train.js';
import { probeRun } from './engine/posthoc.js';
import { demo, demoDefaults } from './engine/demo.js';
import { writeReport } from './charts/report.js';
import { CompareError, compareRuns } from './charts/compare.js';
import { isRunFolder } from './runfolder/runFolder.js';
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
  .showHelpAfterError('(run with --help for usage)')
  // usage errors (unknown option, bad argument) exit with 2 like every other bad input; help and version with 0
  .exitOverride();

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
  .option('--probe-every <n>', 'steps between probe passes (0: no probes)', int('--probe-every'))
  .option('--watch', 'serve the live dashboard of the output folder while training (stays up until Ctrl-C)')
  .option('--port <n>', 'dashboard port with --watch', int('--port'), 7070)
  .addOption(new Option('--activation <f>', 'RNN activation').choices(activations as string[]))
  .option('--hidden <n>', 'units (RNN or reservoir)', int('--hidden'))
  .option('--trials <n>', 'training trials in all (sets --steps to trials / batch)', int('--trials'))
  .option('--ridge <x>', 'reservoir: ridge penalty', num('--ridge'))
  .option('--spectral-radius <x>', 'reservoir: spectral radius', num('--spectral-radius'))
  .option('--leak <x>', 'reservoir: leak rate', num('--leak'))
  .option('--input-scale <x>', 'reservoir: input scaling', num('--input-scale'))
  .option('--search', 'reservoir: seeded search over ridge, spectral radius, leak and input scale first (table in search.json)')
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
    set('probeEvery', o.probeEvery);
    const section = (name: string) => {
      const s = (typeof cfg[name] === 'object' && cfg[name] !== null ? cfg[name] : {}) as Record<string, unknown>;
      cfg[name] = s;
      return s;
    };
    const isReservoir = (o.model ?? cfg.model) === 'reservoir';
    if (o.activation !== undefined) section('rnn').activation = o.activation;
    if (o.hidden !== undefined) section(isReservoir ? 'reservoir' : 'rnn').hidden = o.hidden;
    if (o.search) section('reservoir').search = true;
    for (const [flag, key] of [['ridge', 'ridge'], ['spectralRadius', 'spectralRadius'], ['leak', 'leak'], ['inputScale', 'inputScale']] as const) {
      if (o[flag] !== undefined) section('reservoir')[key] = o[flag];
    }
    if (o.trials !== undefined) {
      if (o.trials < 1) throw new UserError('--trials must be a positive integer');
      cfg.steps = Math.ceil(o.trials / Number(o.batch ?? cfg.batch ?? 64));
    }
    let w: Awaited<ReturnType<typeof startWatch>> | null = null;
    if (o.watch) {
      const root = String(cfg.out ?? 'runs');
      mkdirSync(root, { recursive: true });
      w = await startWatch({ root, port: o.port });
      process.stderr.write(`dashboard: ${w.url}\n`);
    }
    report(await train(cfg, { onProgress: stderrProgress(), shouldStop: stopFlag() }));
    if (w) process.stderr.write(`training ended; the dashboard stays at ${w.url} until Ctrl-C\n`);
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
  .command('watch')
  .description('live dashboard of the runs in a folder (127.0.0.1 unless --host says otherwise)')
  .argument('[runsFolder]', 'folder of run folders', 'runs')
  .option('--port <n>', 'port (0: any free port)', int('--port'), 7070)
  .option('--host <addr>', 'address to bind', '127.0.0.1')
  .action(async (root: string, o) => {
    if (!existsSync(root)) throw new UserError(`${root} does not exist`);
    const w = await startWatch({ root, host: o.host, port: o.port });
    process.stderr.write(`infoscope watch: serving ${root} (Ctrl-C to stop)\n`);
    process.stdout.write(`${w.url}\n`);
  });

program
  .command('report')
  .description("(re)write a run's charts (Vega-Lite, SVG, PNG) and report.html")
  .argument('<runFolder>')
  .option('--no-png', 'skip the PNG files')
  .action(async (dir: string, o) => {
    if (!isRunFolder(dir)) throw new UserError(`${dir} is not a run folder (no config.json and meta.json there)`);
    const r = await writeReport(dir, o.png !== false);
    process.stderr.write(`charts: ${r.charts.join(', ')}\n`);
    process.stdout.write(`${r.report}\n`);
  });

program
  .command('demo')
  .description('train an RNN and a reservoir on Go with probes, write both reports and their comparison')
  .option('--out <dir>', 'folder for the demo runs', demoDefaults.out)
  .option('--seed <n>', 'seed', int('--seed'), demoDefaults.seed)
  .option('--rnn-steps <n>', 'RNN training steps', int('--rnn-steps'), demoDefaults.rnnSteps)
  .option('--reservoir-steps <n>', 'reservoir training steps (64 trials each)', int('--reservoir-steps'), demoDefaults.reservoirSteps)
  .action(async (o) => {
    const t0 = performance.now();
    const log = (l: string) => process.stderr.write(l + '\n');
    const r = await demo({ out: o.out, seed: o.seed, rnnSteps: o.rnnSteps, reservoirSteps: o.reservoirSteps, onProgress: stderrProgress(), log });
    const s = ((performance.now() - t0) / 1000).toFixed(0);
    process.stdout.write(
      [
        `infoscope demo finished in ${s} s`,
        `  RNN        perf ${r.rnn.perf.toFixed(3)}  ${r.rnn.dir}/report.html`,
        `  reservoir  perf ${r.reservoir.perf.toFixed(3)}  ${r.reservoir.dir}/report.html`,
        `  comparison ${r.comparison}`,
        'Open the report.html files in a browser (they are self-contained). Charts as Vega-Lite, SVG and PNG are in each charts/ folder.',
        `Live dashboard of these runs: npx infoscope watch ${o.out}  (then open http://127.0.0.1:7070/)`,
        '',
      ].join('\n'),
    );
  });

program
  .command('compare')
  .description('one report with overlaid charts of several runs (same task and probe grid)')
  .argument('<runFolders...>')
  .requiredOption('--out <folder>', 'folder for the comparison report')
  .action(async (dirs: string[], o) => {
    try {
      const r = await compareRuns(dirs, o.out);
      process.stderr.write(`charts: ${r.charts.join(', ')}\n`);
      process.stdout.write(`${r.report}\n`);
    } catch (e) {
      if (e instanceof CompareError) throw new UserError(e.message);
      throw e;
    }
  });

program
  .command('probe')
  .description("run probe hooks on a run's saved checkpoints (records tagged origin: posthoc)")
  .argument('<runFolder>')
  .option('--hooks <list>', 'comma-separated hooks (default: those of the run)')
  .option('--estimators <list>', 'comma-separated estimators to keep')
  .addOption(new Option('--checkpoints <which>', 'which checkpoints').choices(['all', 'last']).default('all'))
  .action(async (dir: string, o) => {
    const split = (s?: string) => (s ? s.split(',').map((x) => x.trim()) : undefined);
    const r = await probeRun(dir, { hooks: split(o.hooks), estimators: split(o.estimators), checkpoints: o.checkpoints });
    process.stderr.write(`probed checkpoints ${r.checkpoints.join(', ')}: ${r.records} records in ${r.seconds.toFixed(1)} s\n`);
    process.stdout.write(`${dir}\n`);
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
  .command('estimators')
  .description('time KSG at n = 500, 2000, 10000 and d = 1, 3, 8, and the layer estimators on a 200 x 256 layer')
  .option('--json', 'one JSON line per case')
  .option('--repeats <n>', 'timed repeats (median reported)', int('--repeats'), 9)
  .action((o) => {
    benchEstimators((l) => process.stdout.write(o.json ? JSON.stringify(l) + '\n' : `${l.estimator.padEnd(10)} n=${String(l.n).padStart(5)} d=${String(l.d).padStart(3)} ${l.ms.toFixed(2).padStart(9)} ms (min ${l.ms_min.toFixed(2)})\n`), o.repeats);
  });

bench
  .command('probes')
  .description('time one full probe pass per hook at defaults (200 trials, 256 units, 100 steps)')
  .option('--hooks <list>', 'comma-separated hooks')
  .option('--json', 'one JSON line per hook and estimator set')
  .addOption(backendOption().default('auto'))
  .action(async (o) => {
    const hooks = o.hooks ? String(o.hooks).split(',') : undefined;
    await benchProbes(o.backend, (l) => process.stdout.write(o.json ? JSON.stringify(l) + '\n' : `${l.hook.padEnd(10)} ${l.estimators.join('+').padEnd(36)} ${l.ms.toFixed(0).padStart(7)} ms\n`), hooks);
  });

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
  .option('--model <kind>', 'rnn, or reservoir: its training time on --trials Go trials', 'rnn')
  .option('--trials <n>', 'reservoir: training trials (default: the 4800 the RNN needs to reach 0.95 on Go)', int('--trials'), 4800)
  .option('--json', 'print one JSON line')
  .action(async (o) => {
    if (o.model === 'reservoir') {
      const r = await benchReservoir(o.trials, o.backend);
      process.stdout.write(o.json ? JSON.stringify(r) + '\n' : `reservoir: ${r.trials} Go trials in ${r.ms_total} ms (${r.ms_per_trial} ms/trial), perf ${r.perf.toFixed(3)} on ${r.backend}\n`);
      return;
    }
    if (o.model !== 'rnn') throw new UserError(`bench train knows models rnn and reservoir, not "${o.model}"`);
    const r = await benchTrain({ ...o, timeSteps: o.timeSteps });
    if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
    else process.stdout.write(`${r.ms_per_step} ms/step (min ${r.ms_min}), ${r.gflop_per_step} GFLOP/step, ${r.gflops} GFLOP/s on ${r.backend}\n`);
  });

program
  .command('estimate')
  .description('estimate I(X; Y) from two CSV files (one sample per row); prints one JSON object')
  .requiredOption('--x <file>', 'CSV of X')
  .requiredOption('--y <file>', 'CSV of Y')
  .addOption(new Option('--estimator <name>', 'estimator').choices(estimatorNames as unknown as string[]))
  .option('--x-discrete', 'read X (one integer column) as labels')
  .option('--y-discrete', 'read Y (one integer column) as labels')
  .option('--k <n>', 'neighbours (k-NN estimators)', int('--k'), 3)
  .option('--bins <n>', 'bins per dimension (binning)', int('--bins'), 2)
  .addOption(new Option('--bin-strategy <s>', 'binning edges').choices(['equal-width', 'equal-frequency']).default('equal-width'))
  .addOption(new Option('--correction <c>', 'binning bias correction').choices(['plugin', 'miller-madow']).default('plugin'))
  .option('--noise-var <v>', 'noise variance of the KDE bounds', num('--noise-var'), 0.1)
  .option('--ci', 'add a 95 % interval (subsampling without replacement)')
  .option('--permutations <n>', 'permutations for a null distribution', int('--permutations'), 0)
  .option('--seed <n>', 'seed', int('--seed'), 0)
  .option('--steps <n>', 'training steps of the neural critics', int('--steps'), 500)
  .addOption(new Option('--unit <u>', 'unit of value, ci95 and null mean').choices(['nats', 'bits']).default('nats'))
  .addOption(backendOption().default('auto'))
  .action(async (o) => {
    const x = o.xDiscrete ? readCsvLabels(o.x, 'X') : readCsvMatrix(o.x, 'X');
    const y = o.yDiscrete ? readCsvLabels(o.y, 'Y') : readCsvMatrix(o.y, 'Y');
    if (o.estimator === 'mine' || o.estimator === 'infonce' || o.estimator === 'nwj') await initBackend(o.backend);
    let e;
    try {
      e = estimate(x, y, {
        estimator: o.estimator as EstimatorName | undefined,
        k: o.k,
        bins: o.bins,
        binStrategy: o.binStrategy,
        correction: o.correction,
        noiseVar: o.noiseVar,
        ci: Boolean(o.ci),
        permutations: o.permutations,
        seed: o.seed,
        steps: o.steps,
      });
    } catch (err) {
      if (err instanceof EstimatorInputError) throw new UserError(err.message);
      throw err;
    }
    const f = o.unit === 'bits' ? 1 / Math.LN2 : 1;
    const out = {
      ...e,
      value: e.value * f,
      unit: o.unit,
      ...(e.ci95 ? { ci95: [e.ci95[0] * f, e.ci95[1] * f] } : {}),
      ...(e.null ? { null: { ...e.null, mean: e.null.mean * f } } : {}),
    };
    process.stdout.write(JSON.stringify(out) + '\n');
  });

program
  .command('calibrate')
  .description('run estimators on distributions of known MI and print estimate, interval, truth and error')
  .option('--estimators <list>', 'comma-separated estimators', 'ksg,ksg2,mixed,gaussian,binning')
  .option('--n <list>', 'comma-separated sample sizes', '200,1000')
  .option('--ci', 'add 95 % intervals (30 subsamples)')
  .option('--seed <n>', 'seed', int('--seed'), 0)
  .option('--json', 'one JSON line per row')
  .addOption(backendOption().default('auto'))
  .action(async (o) => {
    const ests = String(o.estimators).split(',').map((s) => s.trim()) as EstimatorName[];
    for (const e of ests) if (!(estimatorNames as readonly string[]).includes(e)) throw new UserError(`unknown estimator "${e}"; known: ${estimatorNames.join(', ')}`);
    const sizes = String(o.n).split(',').map((s) => Number(s.trim()));
    for (const n of sizes) if (!Number.isInteger(n) || n < 20) throw new UserError(`sample sizes must be integers >= 20, got "${o.n}"`);
    if (ests.some((e) => e === 'mine' || e === 'infonce' || e === 'nwj')) await initBackend(o.backend);
    const fmt = (v: number | null, w = 8) => (v === null ? 'n/a' : v.toFixed(3)).padStart(w);
    if (!o.json) process.stdout.write(`${'case'.padEnd(46)} ${'estimator'.padEnd(9)} ${'n'.padStart(6)} ${'truth'.padStart(8)} ${'estimate'.padStart(8)} ${'ci95'.padStart(17)} ${'error'.padStart(8)}\n`);
    calibrate(ests, sizes, Boolean(o.ci), o.seed, (r: CalibrationRow) => {
      if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
      else {
        const ci = r.ci95 ? `[${r.ci95[0].toFixed(2)}, ${r.ci95[1].toFixed(2)}]` : '';
        process.stdout.write(`${r.case.padEnd(46)} ${r.estimator.padEnd(9)} ${String(r.n).padStart(6)} ${fmt(r.truth)} ${fmt(r.estimate)} ${ci.padStart(17)} ${fmt(r.error)}${r.skipped ? '  (does not apply)' : ''}\n`);
      }
    });
  });

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
