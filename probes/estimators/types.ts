/**
 * Types of the estimator library. Estimators know nothing of networks: they take sample matrices
 * (rows = samples) and integer labels, and return an Estimate. All values are in nats.
 */
import type { Verdict } from './verdicts.js';


/** Row-major samples: n rows of d values. */
export interface Samples {
  readonly n: number;
  readonly d: number;
  readonly data: Float64Array;
}

/** Integer class labels, one per sample. */
export type Labels = Int32Array;

export type Variable = Samples | Labels;

export interface NullDistribution {
  /** Mean of the estimator over permutations of the pairing. */
  mean: number;
  /** (1 + #{permuted >= observed}) / (1 + permutations). */
  p: number;
  permutations: number;
}

export interface Estimate {
  estimator: string;
  /** Point estimate in nats (raw: may be slightly negative for unbiased estimators). */
  value: number;
  unit: 'nats' | 'bits';
  /**
   * 95 % interval for the true MI that the tool stands behind: from the reliability protocol's
   * sample-size ladder (bias-aware), one-sided for bounds (see `bound`).
   */
  ci95?: [number, number];
  /** The value extrapolated to infinite n (reliability protocol). */
  corrected?: number;
  /** Largest value the estimator can return here (ln #classes, ln n, ln batch), or null. */
  ceiling?: number | null;
  saturated?: boolean;
  /** 'lower' or 'upper' for estimators that are bounds: read the interval one-sided. */
  bound?: 'lower' | 'upper' | null;
  reliability?: Verdict;
  /** For a bound not told from zero: the smallest information it would detect at this n (nats). */
  detectable?: number;
  /** Why the verdict is not 'ok' (or what to know). */
  reasons?: string[];
  /** The sample-size ladder: mean and spread of the estimate at n, n/2, n/4. */
  ladder?: Array<{ n: number; mean: number; sd: number; draws: number }>;
  /** Permutation null, when asked for. */
  null?: NullDistribution;
  /** Samples used. */
  n: number;
  /** Every parameter that shaped the value (k, bins, noise variance, seed, ...). */
  params: Record<string, number | string | boolean>;
  warnings: string[];
}

export class EstimatorInputError extends Error {}

export function isLabels(v: Variable): v is Labels {
  return v instanceof Int32Array;
}

/** From rows (number[][]) or a flat column (number[]): the friendly door for library users. */
export function toSamples(rows: ArrayLike<number> | ArrayLike<ArrayLike<number>>): Samples {
  const n = rows.length;
  if (n === 0) return { n: 0, d: 0, data: new Float64Array(0) };
  const first = rows[0];
  if (typeof first === 'number') {
    return { n, d: 1, data: Float64Array.from(rows as ArrayLike<number>) };
  }
  const d = (first as ArrayLike<number>).length;
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const r = (rows as ArrayLike<ArrayLike<number>>)[i];
    if (r.length !== d) throw new EstimatorInputError(`row ${i + 1} has ${r.length} values, the first row has ${d}`);
    for (let j = 0; j < d; j++) data[i * d + j] = r[j];
  }
  return { n, d, data };
}

/** Rows idx of s, in that order. */
export function takeRows(s: Samples, idx: ArrayLike<number>): Samples {
  const out = new Float64Array(idx.length * s.d);
  for (let i = 0; i < idx.length; i++) out.set(s.data.subarray(idx[i] * s.d, idx[i] * s.d + s.d), i * s.d);
  return { n: idx.length, d: s.d, data: out };
}

export function takeVariable(v: Variable, idx: ArrayLike<number>): Variable {
  if (isLabels(v)) {
    const out = new Int32Array(idx.length);
    for (let i = 0; i < idx.length; i++) out[i] = v[idx[i]];
    return out;
  }
  return takeRows(v, idx);
}

export function sizeOf(v: Variable): number {
  return isLabels(v) ? v.length : v.n;
}
