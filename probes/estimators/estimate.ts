/**
 * estimate(x, y, options): one entry point for every estimator, in the scikit-learn spirit:
 * inputs validated once here, parameters documented with their defaults, a plain typed result.
 */
import { estimatorDefaults as D } from './defaults.js';
import { type EstimatorName, estimatorNames, isEstimatorName } from './names.js';
import { constantColumns, rescaleExtremeColumns, standardizeAndJitter } from './preprocess.js';
import { estRng } from './random.js';
import { isSaturated, reliabilityProtocol } from './reliability.js';
import { type EstimatorRow, type Params, type RowOptions, type Takes, defaultEstimator, estimatorRow } from './table.js';
import { type Estimate, EstimatorInputError, type Samples, type Variable, isLabels, sizeOf, takeVariable, toSamples } from './types.js';
import { permutationNull } from './uncertainty.js';
import { judgeLowerBound } from './judge.js';

export { type EstimatorName, estimatorNames };

/** estimate()'s options: the estimators' parameters (table.ts, defaults in defaults.ts) and what to report. */
export interface EstimateOptions extends RowOptions {
  /**
   * Which estimator. Default: 'ksg' for two continuous variables; for labels against a continuous
   * variable, 'ross' when it is a scalar and 'decoder' (cross-validated decoder bound) when it has
   * several dimensions, where k-NN estimators lose most of the information.
   */
  estimator?: EstimatorName;
  /**
   * Run the reliability protocol (sample-size ladder, bias-corrected value, interval, verdict).
   * Default true, except for the neural estimators, where `ci` turns it on.
   */
  protocol?: boolean;
  /** Ask for the interval: turns the protocol on for every estimator. */
  ci?: boolean;
  /** Permutations for the null distribution (none by default). */
  permutations?: number;
  /** For callers with fast products (the probe hooks): pairwise squared distances of the rows of a matrix. */
  sqDist?: (s: Samples) => Float64Array;
  /** The entropy of a continuous x when the design fixes it (ln 2 pi for a uniformly drawn direction); else estimated. */
  xEntropy?: number;
}

type Input = Variable | ArrayLike<number> | ArrayLike<ArrayLike<number>>;

function toVariable(v: Input, name: string): Variable {
  if (v instanceof Int32Array) return v;
  if (typeof v === 'object' && v !== null && 'data' in v && 'n' in v && 'd' in v) return v as Samples;
  try {
    return toSamples(v as ArrayLike<number>);
  } catch (e) {
    throw new EstimatorInputError(`${name}: ${(e as Error).message}`);
  }
}

function checkFinite(v: Variable, name: string): void {
  if (isLabels(v)) return;
  for (let i = 0; i < v.data.length; i++) {
    if (!Number.isFinite(v.data[i])) throw new EstimatorInputError(`${name} row ${Math.floor(i / v.d) + 1} holds a non-finite value`);
  }
}

/**
 * From this many dimensions (both sides together) k-NN estimates fall short of strong dependence
 * at any practical n (calibrate: 5 + 5-dimensional Gaussians lose 25-50 % of their MI at n = 1,000):
 * their interval is read one-sided, as for a lower bound.
 */
const KNN_HIGH_DIM = 6;

export type MiUnit = 'nats' | 'bits';

/**
 * Sample sizes known to bias an estimator whatever the ladder says: k-NN estimators in many
 * dimensions, and too few samples per class for a label-conditional one.
 */
function sampleSizeReasons(row: EstimatorRow, x: Variable, y: Variable, n: number): string[] {
  const name = row.name;
  const out: string[] = [];
  const dim = (v: Variable) => (isLabels(v) ? 0 : v.d);
  const d = dim(x) + dim(y);
  if (row.knn && d >= KNN_HIGH_DIM) out.push(`k-NN estimation in ${d} dimensions is biased toward 0 (curse of dimensionality): read the interval as one-sided, a lower estimate`);
  if ((name === 'gaussian' || name === 'gcmi') && n < 10 * d) out.push(`${n} samples for ${d} dimensions: covariances are poorly estimated below about 10 samples per dimension`);
  for (const v of [x, y]) {
    if (!isLabels(v)) continue;
    const counts = new Map<number, number>();
    for (const l of v) counts.set(l, (counts.get(l) ?? 0) + 1);
    const fewest = Math.min(...counts.values());
    if (fewest < 10) out.push(`too few samples per class: the smallest class has ${fewest}`);
  }
  return out;
}

/** The same estimate in bits (value, interval and null mean); params and warnings unchanged. */
export function inUnit(e: Estimate, unit: MiUnit): Estimate {
  if (unit === e.unit) return e;
  const f = unit === 'bits' ? 1 / Math.LN2 : Math.LN2;
  return {
    ...e,
    value: e.value * f,
    unit,
    ...(e.ci95 ? { ci95: [e.ci95[0] * f, e.ci95[1] * f] as [number, number] } : {}),
    ...(e.null ? { null: { ...e.null, mean: e.null.mean * f } } : {}),
  };
}

const TAKES_MESSAGE: Record<Takes, string> = {
  continuous: 'needs continuous x and y; use ross, mixed or binning for labels',
  'one-label': 'needs exactly one of x and y to be labels',
  'not-two-labels': 'needs a continuous variable on at least one side',
  any: '',
  decodable: 'needs labels or a one-column continuous variable on one side and several dimensions on the other',
};

function accepts(takes: Takes, labelsX: boolean, labelsY: boolean, dimsX: number, dimsY: number): boolean {
  if (takes === 'continuous') return !labelsX && !labelsY;
  if (takes === 'one-label') return labelsX !== labelsY;
  if (takes === 'not-two-labels') return !(labelsX && labelsY);
  if (takes === 'decodable') return labelsX !== labelsY || (!labelsX && !labelsY && (dimsX === 1) !== (dimsY === 1));
  return true;
}

/**
 * A continuous scalar the decoder reads as a density: distinct values (its entropy is estimated from
 * spacings), and on [0, 2 pi) when read as a direction.
 */
function checkDecodedScalar(v: Samples, circular: boolean, side: string): void {
  if (circular) {
    for (let i = 0; i < v.n; i++) {
      const a = v.data[i];
      if (a < 0 || a >= 2 * Math.PI) throw new EstimatorInputError(`${side} is read as a direction in radians on [0, 2 pi), but row ${i + 1} holds ${a}; wrap it (mod 2 pi) first`);
    }
  }
  const sorted = Float64Array.from(v.data).sort();
  if (sorted[0] === sorted[v.n - 1]) throw new EstimatorInputError(`${side} is constant: a constant carries no information`);
  let ties = 0;
  for (let i = 1; i < v.n; i++) if (sorted[i] === sorted[i - 1]) ties++;
  if (ties > 0) throw new EstimatorInputError(`${side} has ${ties} tied values: the decoder reads a continuous variable, whose entropy needs distinct values; for a few values, pass them as labels (--${side}-discrete)`);
}

/** Estimate I(X; Y) in nats: validate once, then the estimator's row (table.ts) computes it. */
export function estimate(xIn: Input, yIn: Input, options: EstimateOptions = {}): Estimate {
  let x = toVariable(xIn, 'x');
  let y = toVariable(yIn, 'y');
  const n = sizeOf(x);
  if (n === 0) throw new EstimatorInputError('x has no samples');
  if (sizeOf(y) !== n) throw new EstimatorInputError(`x has ${n} samples but y has ${sizeOf(y)}`);
  if (!isLabels(x) && x.d === 0) throw new EstimatorInputError('x has no columns');
  if (!isLabels(y) && y.d === 0) throw new EstimatorInputError('y has no columns');
  checkFinite(x, 'x');
  checkFinite(y, 'y');
  for (const [v, nm] of [[x, 'x'], [y, 'y']] as const) {
    if (isLabels(v) && new Set(v).size < 2) throw new EstimatorInputError(`${nm} holds a single class: a constant carries no information, and there is nothing to estimate`);
  }
  const labelsX = isLabels(x);
  const labelsY = isLabels(y);
  const name: EstimatorName = options.estimator ?? defaultEstimator(x, y);
  if (!isEstimatorName(name)) throw new EstimatorInputError(`unknown estimator "${name}"; known: ${estimatorNames.join(', ')}`);
  const row = estimatorRow(name);
  const k = options.k ?? D.k;
  const bins = options.bins ?? D.bins;
  const noiseVar = options.noiseVar ?? D.noiseVar;
  const seed = options.seed ?? D.seed;
  const permutations = options.permutations ?? D.permutations;
  if (!Number.isInteger(k) || k < 1) throw new EstimatorInputError(`k must be a positive integer, got ${k}`);
  if (!Number.isInteger(bins) || bins < 2) throw new EstimatorInputError(`bins must be an integer >= 2, got ${bins}`);
  if (!(noiseVar > 0)) throw new EstimatorInputError(`noise variance must be positive, got ${noiseVar}`);
  if (!Number.isInteger(permutations) || permutations < 0) throw new EstimatorInputError(`permutations must be a non-negative integer, got ${permutations}`);
  if (row.knn && n <= k) throw new EstimatorInputError(`${name} needs more samples than neighbours: n = ${n}, k = ${k}`);
  const dimsX = isLabels(x) ? 0 : x.d;
  const dimsY = isLabels(y) ? 0 : y.d;
  if (!accepts(row.takes, labelsX, labelsY, dimsX, dimsY)) throw new EstimatorInputError(`${name} ${TAKES_MESSAGE[row.takes]}`);
  if (options.circular && !(labelsX || labelsY) && (dimsX === 1) === (dimsY === 1)) throw new EstimatorInputError('a circular variable is read by the decoder: one side one column (the direction), the other several dimensions');
  if (name === 'decoder' && !labelsX && !labelsY) checkDecodedScalar((dimsX === 1 ? x : y) as Samples, options.circular === true, dimsX === 1 ? 'x' : 'y');
  // Put labels on the y side where an estimator expects them there (MI is symmetric).
  if (labelsX && !labelsY) [x, y] = [y, x];

  const warnings: string[] = [];
  // values near the limits of float64 are brought to a safe scale first (exact powers of two; MI is
  // unchanged), except for the KDE bounds, whose answer depends on the scale relative to noiseVar
  for (const side of ['x', 'y'] as const) {
    const v = side === 'x' ? x : y;
    if (isLabels(v)) continue;
    const r = rescaleExtremeColumns(v);
    if (r.rescaled === 0) continue;
    if (row.scaleBound) {
      throw new EstimatorInputError(`${side} holds values too large or too small for float64 distances (beyond 1e100 or below 1e-100); the KDE bounds compare distances with the noise variance, so rescale ${side} and --noise-var together`);
    }
    if (side === 'x') x = r.samples;
    else y = r.samples;
    warnings.push(`${side}: ${r.rescaled} column${r.rescaled > 1 ? 's' : ''} rescaled by a power of two (values beyond 1e100 or below 1e-100 would overflow); MI is unchanged by rescaling`);
  }
  if (n < 100) warnings.push(`small sample: n = ${n}; estimates and intervals are unreliable below about 100 samples`);
  for (const [v, nm] of [[x, 'x'], [y, 'y']] as const) {
    if (!isLabels(v)) {
      const c = constantColumns(v);
      if (c > 0) warnings.push(`${nm} has ${c} constant column${c > 1 ? 's' : ''}: they carry no information`);
    }
  }

  const params: Params = { seed, ...row.params(options, n, labelsX || labelsY) };
  const f = row.make(params, seed);
  let bound = row.bound(x, y);
  let ceiling = row.ceiling(x, y, n, params);
  const rng = estRng(seed);
  const prep = (v: Variable): Variable => (isLabels(v) ? v : standardizeAndJitter(v, params.standardize as boolean, params.jitter as number, rng));
  const xs = row.knn ? prep(x) : x;
  const ys = row.knn ? prep(y) : y;
  // an estimator with a label-free part computes it once for the value and every ladder part
  const prepared = row.prepare?.(xs, ys, params, seed, { sqDist: options.sqDist, xEntropy: options.xEntropy }) ?? null;
  const value = prepared ? prepared.value : f(xs, ys);
  if (!Number.isFinite(value)) {
    // never hand back NaN or Infinity (JSON writes them as null): say why there is no number
    const why = name === 'gaussian' ? 'a covariance matrix is singular (fewer samples than dimensions, a constant column, or one column an exact function of another)' : 'the data leave the estimator undefined';
    throw new EstimatorInputError(`${name} has no finite estimate on these ${n} samples: ${why}`);
  }
  const est: Estimate = { estimator: name, value, unit: 'nats', n, params: prepared ? { ...params, ...prepared.found } : params, warnings };
  // a label side caps the information at the entropy of the labels, ln #classes at most
  for (const v of [xs, ys]) if (isLabels(v)) ceiling = Math.min(ceiling, Math.log(new Set(v).size));
  if (isSaturated(value, ceiling)) {
    warnings.push(`saturated: the estimate ${value.toFixed(3)} nats is within 10 % of its ceiling ${ceiling.toFixed(3)} nats`);
  }
  if (permutations > 0) est.null = permutationNull(f, xs, ys, value, rng, permutations);
  if (options.protocol ?? (options.ci || !row.neural)) {
    const labels = isLabels(ys) ? ys : isLabels(xs) ? xs : null;
    const dims = (isLabels(xs) ? 0 : xs.d) + (isLabels(ys) ? 0 : ys.d);
    if (row.knn && dims >= KNN_HIGH_DIM) bound = 'lower';
    const estimateRows = prepared ? (rows: Int32Array) => prepared.onRows(rows) : (rows: Int32Array) => f(takeVariable(xs, rows), takeVariable(ys, rows));
    const report = reliabilityProtocol(estimateRows, n, {
      value,
      bound,
      ceiling: Number.isFinite(ceiling) ? ceiling : null,
      rng,
      strata: labels,
      minPart: Math.max(10, row.knn ? 2 * (k + 1) : 0, labels ? 2 * new Set(labels).size : 0),
      preReasons: sampleSizeReasons(row, xs, ys, n),
      nullP: est.null?.p,
      ...(prepared?.rungs ? { rungs: prepared.rungs } : {}),
    });
    const r = prepared ? judgeLowerBound(report, prepared.evidence) : report;
    Object.assign(est, { corrected: r.corrected, ...(r.ci95 ? { ci95: r.ci95 } : {}), ceiling: r.ceiling, saturated: r.saturated, bound: r.bound, reliability: r.reliability, reasons: r.reasons, ladder: r.ladder, ...('detectable' in r && r.detectable !== undefined ? { detectable: r.detectable } : {}) });
  } else {
    Object.assign(est, { ceiling: Number.isFinite(ceiling) ? ceiling : null, saturated: isSaturated(value, ceiling), bound });
  }
  return est;
}
