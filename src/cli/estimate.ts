/** `estimate` and `calibrate`: the estimators on a user's data and on distributions of known MI. */
import { type Command, Option } from 'commander';
import { UserError } from '../core/errors.js';
import { estimatorDefaults as D } from '../../probes/estimators/defaults.js';
import { estimatorNames, neuralEstimators } from '../../probes/estimators/names.js';
import type { CommandFile } from './types.js';
import { backendOption, int, list, num } from './common.js';

/** Estimator input problems are the user's: one sentence, exit 2. */
async function userInput<T>(f: () => T): Promise<T> {
  const { EstimatorInputError } = await import('../../probes/estimators/types.js');
  try {
    return f();
  } catch (e) {
    if (e instanceof EstimatorInputError) throw new UserError(e.message);
    throw e;
  }
}

export const commands: CommandFile = {
  estimate(cmd: Command) {
    cmd
    .requiredOption('--x <file>', 'CSV of X')
    .requiredOption('--y <file>', 'CSV of Y')
    .addOption(new Option('--estimator <name>', 'estimator (default: ksg; for labels against a scalar ross, against several dimensions the decoder bound; for a scalar against five or more dimensions the decoder bound too)').choices(estimatorNames))
    .option('--x-discrete', 'read X (one integer column) as labels')
    .option('--y-discrete', 'read Y (one integer column) as labels')
    .option('--x-circular', 'read X (one column) as a direction in radians on [0, 2 pi): the decoder bound reads it on the circle')
    .option('--k <n>', 'neighbours (k-NN estimators)', int('--k'), D.k)
    .option('--bins <n>', 'bins per dimension (binning)', int('--bins'), D.bins)
    .addOption(new Option('--bin-strategy <s>', 'binning edges').choices(['equal-width', 'equal-frequency']).default('equal-width'))
    .addOption(new Option('--correction <c>', 'binning bias correction').choices(['plugin', 'miller-madow']).default('plugin'))
    .option('--noise-var <v>', 'noise variance of the KDE bounds', num('--noise-var'), D.noiseVar)
    .option('--ci', 'run the reliability protocol also for the neural estimators (it runs for all others anyway)')
    .option('--no-protocol', 'skip the reliability protocol (sample-size ladder, corrected value, interval, verdict)')
    .option('--folds <n>', 'cross-validation folds of the decoder bound', int('--folds'), D.folds)
    .option('--permutations <n>', 'permutations for a null distribution', int('--permutations'), D.permutations)
    .option('--seed <n>', 'seed', int('--seed'), D.seed)
    .option('--steps <n>', 'training steps of the neural critics', int('--steps'), D.neuralSteps)
    .addOption(new Option('--unit <u>', 'unit of value, ci95 and null mean').choices(['nats', 'bits']).default('nats'))
    .addOption(backendOption().default('auto'))
    .action(async (o) => {
      const [{ readCsvLabels, readCsvMatrix }, { estimate, inUnit }] = await Promise.all([import('../engine/csv.js'), import('../../probes/estimators/estimate.js')]);
      const x = o.xDiscrete ? readCsvLabels(o.x, 'X') : readCsvMatrix(o.x, 'X');
      const y = o.yDiscrete ? readCsvLabels(o.y, 'Y') : readCsvMatrix(o.y, 'Y');
      if (neuralEstimators.includes(o.estimator)) await (await import('../engine/backend.js')).initBackend(o.backend);
      const e = await userInput(() =>
        estimate(x, y, {
          estimator: o.estimator,
          k: o.k,
          bins: o.bins,
          binStrategy: o.binStrategy,
          correction: o.correction,
          noiseVar: o.noiseVar,
          ci: Boolean(o.ci),
          protocol: o.protocol === false ? false : undefined,
          folds: o.folds,
          permutations: o.permutations,
          seed: o.seed,
          steps: o.steps,
          circular: Boolean(o.xCircular),
        }),
      );
      // an interval open toward +infinity (a lower bound with no ceiling) is written as the string "Infinity"
      process.stdout.write(JSON.stringify(inUnit(e, o.unit), (_k, v) => (v === Infinity ? 'Infinity' : v)) + '\n');
    });
  },

  calibrate(cmd: Command) {
    cmd
    .option('--estimators <list>', 'comma-separated estimators', 'default,ksg,ksg2,mixed,decoder,gcmi,gaussian,binning')
    .option('--n <list>', 'comma-separated sample sizes of the standard cases (layer cases: 200 and 2000)', '200,1000')
    .option('--no-layers', 'leave out the 256-D layer cases')
    .option('--seed <n>', 'seed', int('--seed'), D.seed)
    .option('--json', 'one JSON line per row')
    .addOption(backendOption().default('auto'))
    .action(async (o) => {
      const { calibrate, checkCalibrationArgs } = await import('../bench/calibrate.js');
      type CalibratedEstimator = Parameters<typeof calibrate>[0][number];
      type CalibrationRow = Parameters<Parameters<typeof calibrate>[3]>[0];
      const ests = list(o.estimators) ?? [];
      const sizes = (list(o.n) ?? []).map(Number);
      await userInput(() => checkCalibrationArgs(ests, sizes));
      if (ests.some((e) => (neuralEstimators as readonly string[]).includes(e))) await (await import('../engine/backend.js')).initBackend(o.backend);
      const fmt = (v: number | null, w = 8) => (v === null ? 'n/a' : v.toFixed(3)).padStart(w);
      if (!o.json) process.stdout.write(`${'case'.padEnd(46)} ${'estimator'.padEnd(9)} ${'n'.padStart(6)} ${'truth'.padStart(8)} ${'raw'.padStart(8)} ${'corrected'.padStart(9)} ${'ci95'.padStart(17)} ${'verdict'.padEnd(10)} covers\n`);
      const tally = new Map<string, { rows: number; covers: number; okMisses: number }>();
      calibrate(ests as CalibratedEstimator[], sizes, o.seed, (r: CalibrationRow) => {
        if (!r.skipped) {
          const key = r.estimator.startsWith('default') ? 'default' : r.estimator;
          const t = tally.get(key) ?? { rows: 0, covers: 0, okMisses: 0 };
          t.rows++;
          if (r.covers) t.covers++;
          else if (r.reliability === 'ok') t.okMisses++;
          tally.set(key, t);
        }
        if (o.json) process.stdout.write(JSON.stringify(r, (_k, v) => (v === Infinity ? 'Infinity' : v)) + '\n');
        else {
          const ci = r.ci95 ? `[${r.ci95[0].toFixed(2)}, ${r.ci95[1] === Infinity ? 'inf' : r.ci95[1].toFixed(2)}]` : '';
          const tail = r.skipped ? '  (does not apply)' : `${(r.reliability ?? '').padEnd(10)} ${r.covers === null ? '' : r.covers ? 'yes' : 'NO'}`;
          process.stdout.write(`${r.case.padEnd(46)} ${r.estimator.padEnd(9)} ${String(r.n).padStart(6)} ${fmt(r.truth)} ${fmt(r.estimate)} ${fmt(r.corrected, 9)} ${ci.padStart(17)} ${tail}\n`);
        }
      }, { layers: o.layers !== false });
      for (const [est, t] of tally) {
        const line = { summary: est, rows: t.rows, covered: t.covers, coverage: +(t.covers / t.rows).toFixed(3), ok_but_excludes_truth: t.okMisses };
        process.stdout.write(o.json ? JSON.stringify(line) + '\n' : `${est}: interval covers the truth in ${t.covers} of ${t.rows} rows (${(100 * line.coverage).toFixed(0)} %); 'ok' but excluding the truth: ${t.okMisses}\n`);
      }
    });
  },
};
