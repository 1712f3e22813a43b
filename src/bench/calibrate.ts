/**
 * `infoscope calibrate`: estimators on distributions of known MI (the BMI families of Czyz et al.
 * 2023; layer-like cases: an 8-class label against a 256-D layer with a Monte Carlo truth; and a
 * layer family for every kind of code — covariance, antipodal, XOR, sparse, heavy-tailed, many
 * classes, a continuous direction — and a null of each shape, probes/estimators/families.ts), with
 * the reliability protocol on every row: raw value, extrapolated value, interval, verdict, and
 * whether the interval covers the truth.
 */
import { calibrationCases } from '../../probes/estimators/calibration.js';
import { estimate } from '../../probes/estimators/estimate.js';
import { type EstimatorName, estimatorNames, isEstimatorName } from '../../probes/estimators/names.js';
import { layerCases } from '../../probes/estimators/layerCases.js';
import { layerFamilies } from '../../probes/estimators/layerFamilies.js';
import { EstimatorInputError } from '../../probes/estimators/types.js';

interface CalibrationRow {
  case: string;
  estimator: string;
  n: number;
  truth: number;
  /** The estimator's plain value at full n. */
  estimate: number | null;
  /** Extrapolated by the sample-size ladder. */
  corrected: number | null;
  ci95: [number, number] | null;
  bound: 'lower' | 'upper' | null;
  reliability: string | null;
  /** Whether ci95 contains the truth (one-sided for bounds). */
  covers: boolean | null;
  error: number | null;
  /** Why an estimator does not apply to a case (labels to a continuous-only estimator). */
  skipped?: string;
}

/** Layer-like cases always run at the sizes of a probe batch and of a large one. */
const LAYER_SIZES = [200, 2000];

/** Checked before any work: known estimators, sample sizes of at least 20. */
export function checkCalibrationArgs(estimators: readonly string[], sizes: readonly number[]): asserts estimators is CalibratedEstimator[] {
  for (const e of estimators) if (e !== 'default' && !isEstimatorName(e)) throw new EstimatorInputError(`unknown estimator "${e}"; known: default, ${estimatorNames.join(', ')}`);
  for (const n of sizes) if (!Number.isInteger(n) || n < 20) throw new EstimatorInputError(`sample sizes must be integers >= 20, got ${n}`);
}

interface CalibrateOptions {
  /** Include the 256-D layer cases (slow for k-NN estimators). Default true. */
  layers?: boolean;
}

/** An estimator by name, or 'default': what estimate() picks for the pair of variables. */
type CalibratedEstimator = EstimatorName | 'default';

export function calibrate(estimators: CalibratedEstimator[], sizes: number[], seed: number, emit: (row: CalibrationRow) => void, o: CalibrateOptions = {}): void {
  checkCalibrationArgs(estimators, sizes);
  const layered = o.layers === false ? [] : [...layerCases().map((c) => ({ c, sizes: LAYER_SIZES, circular: false })), ...layerFamilies().map((c) => ({ c, sizes: LAYER_SIZES, circular: c.continuous }))];
  const plan = [...calibrationCases().map((c) => ({ c, sizes, circular: false })), ...layered];
  for (const { c, sizes: ns, circular } of plan) {
    for (const n of ns) {
      const { x, y } = c.sample(n, seed);
      for (const est of estimators) {
        try {
          const e = estimate(x, y, { estimator: est === 'default' ? undefined : est, ci: true, seed, circular, bins: est === 'binning' ? Math.max(2, Math.round(Math.sqrt(n / 10))) : undefined, binStrategy: 'equal-frequency', steps: 300 });
          const covers = e.ci95 ? e.ci95[0] <= c.truth && c.truth <= e.ci95[1] : null;
          emit({ case: c.name, estimator: est === 'default' ? `default: ${e.estimator}` : est, n, truth: c.truth, estimate: e.value, corrected: e.corrected ?? null, ci95: e.ci95 ?? null, bound: e.bound ?? null, reliability: e.reliability ?? null, covers, error: e.value - c.truth });
        } catch (err) {
          if (!(err instanceof EstimatorInputError)) throw err;
          emit({ case: c.name, estimator: est, n, truth: c.truth, estimate: null, corrected: null, ci95: null, bound: null, reliability: null, covers: null, error: null, skipped: err.message });
        }
      }
    }
  }
}
