/** `estimate` and `calibrate`: the estimators on a user's data and on distributions of known MI. */
import { type Command, Option } from 'commander';
import { type CalibrationRow, calibrate, checkCalibrationArgs } from '../bench/calibrate.js';
import { UserError } from '../core/errors.js';
import { initBackend } from '../engine/backend.js';
import { readCsvLabels, readCsvMatrix } from '../engine/csv.js';
import { estimatorDefaults as D } from '../../probes/estimators/defaults.js';
import { type MiUnit, estimate, estimatorNames, inUnit, neuralEstimators } from '../../probes/estimators/estimate.js';
import { EstimatorInputError } from '../../probes/estimators/types.js';
import { backendOption, int, list, num } from './common.js';

/** Estimator input problems are the user's: one sentence, exit 2. */
function userInput<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof EstimatorInputError) throw new UserError(e.message);
    throw e;
  }
}

export function addEstimateCommands(program: Command): void {
  program
    .command('estimate')
    .description('estimate I(X; Y) from two CSV files (one sample per row); prints one JSON object')
    .requiredOption('--x <file>', 'CSV of X')
    .requiredOption('--y <file>', 'CSV of Y')
    .addOption(new Option('--estimator <name>', 'estimator (default: ksg, or ross when one side is labels)').choices(estimatorNames))
    .option('--x-discrete', 'read X (one integer column) as labels')
    .option('--y-discrete', 'read Y (one integer column) as labels')
    .option('--k <n>', 'neighbours (k-NN estimators)', int('--k'), D.k)
    .option('--bins <n>', 'bins per dimension (binning)', int('--bins'), D.bins)
    .addOption(new Option('--bin-strategy <s>', 'binning edges').choices(['equal-width', 'equal-frequency']).default('equal-width'))
    .addOption(new Option('--correction <c>', 'binning bias correction').choices(['plugin', 'miller-madow']).default('plugin'))
    .option('--noise-var <v>', 'noise variance of the KDE bounds', num('--noise-var'), D.noiseVar)
    .option('--ci', `add a 95 % interval (${D.subsamples} subsamples without replacement)`)
    .option('--permutations <n>', 'permutations for a null distribution', int('--permutations'), D.permutations)
    .option('--seed <n>', 'seed', int('--seed'), D.seed)
    .option('--steps <n>', 'training steps of the neural critics', int('--steps'), D.neuralSteps)
    .addOption(new Option('--unit <u>', 'unit of value, ci95 and null mean').choices(['nats', 'bits']).default('nats'))
    .addOption(backendOption().default('auto'))
    .action(async (o) => {
      const x = o.xDiscrete ? readCsvLabels(o.x, 'X') : readCsvMatrix(o.x, 'X');
      const y = o.yDiscrete ? readCsvLabels(o.y, 'Y') : readCsvMatrix(o.y, 'Y');
      if (neuralEstimators.includes(o.estimator)) await initBackend(o.backend);
      const e = userInput(() =>
        estimate(x, y, {
          estimator: o.estimator,
          k: o.k,
          bins: o.bins,
          binStrategy: o.binStrategy,
          correction: o.correction,
          noiseVar: o.noiseVar,
          ci: Boolean(o.ci),
          permutations: o.permutations,
          seed: o.seed,
          steps: o.steps,
        }),
      );
      process.stdout.write(JSON.stringify(inUnit(e, o.unit as MiUnit)) + '\n');
    });

  program
    .command('calibrate')
    .description('run estimators on distributions of known MI and print estimate, interval, truth and error')
    .option('--estimators <list>', 'comma-separated estimators', 'ksg,ksg2,mixed,gaussian,binning')
    .option('--n <list>', 'comma-separated sample sizes', '200,1000')
    .option('--ci', 'add 95 % intervals (30 subsamples)')
    .option('--seed <n>', 'seed', int('--seed'), D.seed)
    .option('--json', 'one JSON line per row')
    .addOption(backendOption().default('auto'))
    .action(async (o) => {
      const ests = list(o.estimators) ?? [];
      const sizes = (list(o.n) ?? []).map(Number);
      userInput(() => checkCalibrationArgs(ests, sizes));
      if (ests.some((e) => (neuralEstimators as readonly string[]).includes(e))) await initBackend(o.backend);
      const fmt = (v: number | null, w = 8) => (v === null ? 'n/a' : v.toFixed(3)).padStart(w);
      if (!o.json) process.stdout.write(`${'case'.padEnd(46)} ${'estimator'.padEnd(9)} ${'n'.padStart(6)} ${'truth'.padStart(8)} ${'estimate'.padStart(8)} ${'ci95'.padStart(17)} ${'error'.padStart(8)}\n`);
      calibrate(ests as typeof estimatorNames[number][], sizes, Boolean(o.ci), o.seed, (r: CalibrationRow) => {
        if (o.json) process.stdout.write(JSON.stringify(r) + '\n');
        else {
          const ci = r.ci95 ? `[${r.ci95[0].toFixed(2)}, ${r.ci95[1].toFixed(2)}]` : '';
          process.stdout.write(`${r.case.padEnd(46)} ${r.estimator.padEnd(9)} ${String(r.n).padStart(6)} ${fmt(r.truth)} ${fmt(r.estimate)} ${ci.padStart(17)} ${fmt(r.error)}${r.skipped ? '  (does not apply)' : ''}\n`);
        }
      });
    });
}
