/** `infoscope calibrate`: every estimator on every distribution of known MI, as a table. */
import { calibrationCases } from '../../probes/estimators/calibration.js';
import { type EstimatorName, estimate } from '../../probes/estimators/estimate.js';
import { EstimatorInputError } from '../../probes/estimators/types.js';

export interface CalibrationRow {
  case: string;
  estimator: string;
  n: number;
  truth: number;
  estimate: number | null;
  ci95: [number, number] | null;
  error: number | null;
  /** Why an estimator does not apply to a case (labels to a continuous-only estimator). */
  skipped?: string;
}

export function calibrate(estimators: EstimatorName[], sizes: number[], ci: boolean, seed: number, emit: (row: CalibrationRow) => void): void {
  for (const c of calibrationCases()) {
    for (const n of sizes) {
      const { x, y } = c.sample(n, seed);
      for (const est of estimators) {
        try {
          const e = estimate(x, y, { estimator: est, ci, subsamples: 30, seed, bins: est === 'binning' ? Math.max(2, Math.round(Math.sqrt(n / 10))) : undefined, binStrategy: 'equal-frequency', steps: 300 });
          emit({ case: c.name, estimator: est, n, truth: c.truth, estimate: e.value, ci95: e.ci95 ?? null, error: e.value - c.truth });
        } catch (err) {
          if (!(err instanceof EstimatorInputError)) throw err;
          emit({ case: c.name, estimator: est, n, truth: c.truth, estimate: null, ci95: null, error: null, skipped: err.message });
        }
      }
    }
  }
}
