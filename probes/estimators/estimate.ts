/**
 * estimate(x, y, options): one entry point for every estimator, in the scikit-learn spirit:
 * inputs validated once here, parameters documented with their defaults, a plain typed result.
 */
import { type BinStrategy, symbolMI, symbolsOf } from './binning.js';
import { estimatorDefaults as D } from './defaults.js';
import { gaussianMI } from './gaussian.js';
import { kdeInputMI, kdeLabelMI } from './kde.js';
import { ksgRaw } from './ksg.js';
import { mixedKsgRaw, rossRaw } from './mixed.js';
import { constantColumns, rescaleExtremeColumns, standardizeAndJitter } from './preprocess.js';
import { estRng } from './random.js';
import { type PointEstimator, permutationNull, subsampleInterval } from './uncertainty.js';
import { type Estimate, EstimatorInputError, type Labels, type Samples, type Variable, isLabels, sizeOf, toSamples } from './types.js';
import { neuralMI, type NeuralBound } from './neural.js';

export const estimatorNames = ['ksg', 'ksg2', 'ross', 'mixed', 'binning', 'kde-upper', 'kde-lower', 'gaussian', 'mine', 'infonce', 'nwj'] as const;
export type EstimatorName = (typeof estimatorNames)[number];

export interface EstimateOptions {
  /** Which estimator (default 'ksg'; 'ross' when exactly one side is labels). */
  estimator?: EstimatorName;
  /** Neighbours for the k-NN estimators (ksg, ksg2, ross, mixed). Default 3 (defaults.ts holds every default). */
  k?: number;
  /** Bins per dimension for 'binning'. Default 2 (found good for hidden activity in the GO-task analysis). */
  bins?: number;
  /** 'equal-width' over the observed range (default) or 'equal-frequency'. */
  binStrategy?: BinStrategy;
  /** 'plugin' (default) or 'miller-madow' bias correction for 'binning'. */
  correction?: 'plugin' | 'miller-madow';
  /** Noise variance s2 of T = h + eps for the KDE bounds. Default 0.1. */
  noiseVar?: number;
  /** Scale k-NN inputs to unit variance per column (default true) and add this much tie-breaking jitter (default 1e-10). */
  standardize?: boolean;
  jitter?: number;
  /** Compute a 95 % interval by subsampling (default false) with this many subsamples (default 100). */
  ci?: boolean;
  subsamples?: number;
  /** Permutations for the null distribution (default 0: none). */
  permutations?: number;
  /** Seed of jitter, subsamples, permutations and neural critics. Default 0. */
  seed?: number;
  /** Neural estimators: training steps (default 500), batch (128), hidden units (64), learning rate (1e-3). */
  steps?: number;
  batch?: number;
  hidden?: number;
  lr?: number;
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

const KNN: readonly EstimatorName[] = ['ksg', 'ksg2', 'ross', 'mixed'];
/** Estimators that train a critic with tfjs (the caller initialises a backend first). */
export const neuralEstimators: readonly EstimatorName[] = ['mine', 'infonce', 'nwj'];
const NEURAL = neuralEstimators;

export function isEstimatorName(s: string): s is EstimatorName {
  return (estimatorNames as readonly string[]).includes(s);
}

export type MiUnit = 'nats' | 'bits';

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

/** Estimate I(X; Y) in nats. */
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
  const name: EstimatorName = options.estimator ?? (labelsX !== labelsY ? 'ross' : 'ksg');
  if (!isEstimatorName(name)) throw new EstimatorInputError(`unknown estimator "${name}"; known: ${estimatorNames.join(', ')}`);
  const k = options.k ?? D.k;
  const bins = options.bins ?? D.bins;
  const noiseVar = options.noiseVar ?? D.noiseVar;
  const seed = options.seed ?? D.seed;
  const standardize = options.standardize ?? D.standardize;
  const jitter = options.jitter ?? D.jitter;
  const permutations = options.permutations ?? D.permutations;
  const subsamples = options.subsamples ?? D.subsamples;
  if (!Number.isInteger(k) || k < 1) throw new EstimatorInputError(`k must be a positive integer, got ${k}`);
  if (!Number.isInteger(bins) || bins < 2) throw new EstimatorInputError(`bins must be an integer >= 2, got ${bins}`);
  if (!(noiseVar > 0)) throw new EstimatorInputError(`noise variance must be positive, got ${noiseVar}`);
  if (!Number.isInteger(permutations) || permutations < 0) throw new EstimatorInputError(`permutations must be a non-negative integer, got ${permutations}`);
  if (KNN.includes(name) && n <= k) throw new EstimatorInputError(`${name} needs more samples than neighbours: n = ${n}, k = ${k}`);
  if ((name === 'ksg' || name === 'ksg2' || name === 'gaussian' || NEURAL.includes(name)) && (labelsX || labelsY)) {
    throw new EstimatorInputError(`${name} needs continuous x and y; use ross, mixed or binning for labels`);
  }
  if (name === 'ross' && labelsX === labelsY) throw new EstimatorInputError('ross needs exactly one of x and y to be labels');
  if ((name === 'kde-upper' || name === 'kde-lower') && labelsX && labelsY) throw new EstimatorInputError(`${name} needs a continuous layer on one side`);
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
    if (name === 'kde-upper' || name === 'kde-lower') {
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

  const params: Record<string, number | string | boolean> = { seed };
  let f: PointEstimator;
  let ceiling = Infinity;
  const rng = estRng(seed);
  const prep = (v: Variable): Variable => (isLabels(v) ? v : standardizeAndJitter(v, standardize, jitter, rng));
  switch (name) {
    case 'ksg':
    case 'ksg2': {
      const alg = name === 'ksg' ? 1 : 2;
      Object.assign(params, { k, algorithm: alg, standardize, jitter });
      f = (a, b) => ksgRaw(a as Samples, b as Samples, k, alg);
      break;
    }
    case 'ross':
      Object.assign(params, { k, standardize, jitter });
      f = (a, b) => rossRaw(b as Labels, a as Samples, k);
      break;
    case 'mixed':
      Object.assign(params, { k, standardize, jitter });
      // a label x with continuous y was swapped above; two label variables: plain counting
      f = (a, b) => (isLabels(a) ? mixedKsgRaw({ n: a.length, d: 1, data: Float64Array.from(a) }, b, k) : mixedKsgRaw(a as Samples, b, k));
      break;
    case 'binning': {
      const strategy = options.binStrategy ?? 'equal-width';
      const correction = options.correction ?? 'plugin';
      Object.assign(params, { bins, strategy, correction });
      f = (a, b) => {
        const sa = symbolsOf(a, bins, strategy);
        const sb = symbolsOf(b, bins, strategy);
        const r = symbolMI(sa.ids, sa.states, sb.ids, sb.states);
        return correction === 'plugin' ? r.plugin : r.millerMadow;
      };
      const states = (v: Variable) => (isLabels(v) ? new Set(v).size : bins ** v.d);
      ceiling = Math.min(Math.log(n), Math.log(states(x)), Math.log(states(y)));
      break;
    }
    case 'kde-upper':
    case 'kde-lower': {
      const bound = name === 'kde-upper' ? 'upper' : 'lower';
      Object.assign(params, { noiseVar, bound, quantity: labelsY || labelsX ? 'I(T;Y), T = x + noise' : 'I(X;T), T = y + noise, y = h(x) deterministic' });
      if (labelsX || labelsY) {
        f = (a, b) => kdeLabelMI(a as Samples, b as Labels, noiseVar, bound);
      } else {
        // y is the layer T = h(X): x only names the inputs; MI bound from T alone
        f = (_a, b) => kdeInputMI(b as Samples, noiseVar, bound);
      }
      ceiling = Math.log(n);
      break;
    }
    case 'gaussian':
      f = (a, b) => gaussianMI(a as Samples, b as Samples);
      break;
    case 'mine':
    case 'infonce':
    case 'nwj': {
      const steps = options.steps ?? D.neuralSteps;
      const batch = Math.min(options.batch ?? D.neuralBatch, n);
      const hidden = options.hidden ?? D.neuralHidden;
      const lr = options.lr ?? D.neuralLr;
      Object.assign(params, { steps, batch, hidden, lr, critic: 'concat MLP', split: 'half train / half held-out' });
      let call = 0;
      f = (a, b) => neuralMI(a as Samples, b as Samples, { bound: name as NeuralBound, steps, batch, hidden, lr, seed: seed * 1000 + call++ });
      if (name === 'infonce') ceiling = Math.log(batch);
      break;
    }
  }

  const xs = KNN.includes(name) ? prep(x) : x;
  const ys = KNN.includes(name) ? prep(y) : y;
  const value = f(xs, ys);
  if (!Number.isFinite(value)) {
    // never hand back NaN or Infinity (JSON writes them as null): say why there is no number
    const why = name === 'gaussian' ? 'a covariance matrix is singular (fewer samples than dimensions, a constant column, or one column an exact function of another)' : 'the data leave the estimator undefined';
    throw new EstimatorInputError(`${name} has no finite estimate on these ${n} samples: ${why}`);
  }
  const est: Estimate = { estimator: name, value, unit: 'nats', n, params, warnings };
  if (Number.isFinite(ceiling) && value >= 0.9 * ceiling) {
    warnings.push(`saturated: the estimate ${value.toFixed(3)} nats is within 10 % of its ceiling ${ceiling.toFixed(3)} nats`);
  }
  if (options.ci) {
    est.ci95 = subsampleInterval(f, xs, ys, value, rng, subsamples);
    params.subsamples = subsamples;
  }
  if (permutations > 0) est.null = permutationNull(f, xs, ys, value, rng, permutations);
  return est;
}
