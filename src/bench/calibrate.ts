/** `infoscope calibrate`: every estimator on every distribution of known MI, as a table. */
import { calibrationCases } from '../../probes/estimators/calibration.js';
import { type EstimatorName, estimate, estimatorNames, isEstimatorName } from '../../probes/estimators/estimate.js';
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

/** Checked before any work: known estimators, sample sizes of at least 20. */
export function checkCalibrationArgs(estimators: readonly string[], sizes: readonly number[]): asserts estimators is EstimatorName[] {
  for (const e of estimators) if (!isEstimatorName(e)) throw new EstimatorInputError(`unknown estimator "${e}"; known: ${estimatorNames.join(', ')}`);
  for (const n of sizes) if (!Number.isInteger(n) || n < 20) throw new EstimatorInputError(`sample sizes must be integers >= 20, got ${n}`);
}

export function calibrate(estimators: EstimatorName[], sizes: number[], ci: boolean, seed: number, emit: (row: CalibrationRow) => void): void {
  checkCalibrationArgs(estimators, sizes);
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
