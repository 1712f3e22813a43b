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
import { type PointEstimator, permutationNull } from './uncertainty.js';
import { reliabilityProtocol } from './reliability.js';
import { decoderBound } from './decoder.js';
import { gcmiContinuous, gcmiLabels } from './copula.js';
import { type Estimate, EstimatorInputError, type Labels, type Samples, type Variable, isLabels, sizeOf, takeVariable, toSamples } from './types.js';
import { neuralMI, type NeuralBound } from './neural.js';

import { type EstimatorName, estimatorNames, isEstimatorName, neuralEstimators } from './names.js';

export { type EstimatorName, estimatorNames };

export interface EstimateOptions {
  /**
   * Which estimator. Default: 'ksg' for two continuous variables; for labels against a continuous
   * variable, 'ross' when it is a scalar and 'decoder' (cross-validated decoder bound) when it has
   * several dimensions, where k-NN estimators lose most of the information.
   */
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
  /**
   * Run the reliability protocol (sample-size ladder, bias-corrected value, interval, verdict).
   * Default true, except for the neural estimators, where `ci` turns it on.
   */
  protocol?: boolean;
  /** Ask for the interval: turns the protocol on for every estimator. */
  ci?: boolean;
  /** Cross-validation folds of the decoder (5). */
  folds?: number;
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
/**
 * From this many dimensions (both sides together) k-NN estimates fall short of strong dependence
 * at any practical n (calibrate: 5 + 5-dimensional Gaussians lose 25-50 % of their MI at n = 1,000):
 * their interval is read one-sided, as for a lower bound.
 */
const KNN_HIGH_DIM = 6;
const NEURAL = neuralEstimators;

export type MiUnit = 'nats' | 'bits';

/**
 * Sample sizes known to bias an estimator whatever the ladder says: k-NN estimators in many
 * dimensions, and too few samples per class for a label-conditional one.
 */
function sampleSizeReasons(name: EstimatorName, x: Variable, y: Variable, n: number): string[] {
  const out: string[] = [];
  const dim = (v: Variable) => (isLabels(v) ? 0 : v.d);
  const d = dim(x) + dim(y);
  if (KNN.includes(name) && d >= KNN_HIGH_DIM) out.push(`k-NN estimation in ${d} dimensions is biased toward 0 (curse of dimensionality): read the interval as one-sided, a lower estimate`);
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
  const contD = labelsX && !labelsY ? (y as Samples).d : !labelsX && labelsY ? (x as Samples).d : 0;
  const name: EstimatorName = options.estimator ?? (labelsX !== labelsY ? (contD > 1 ? 'decoder' : 'ross') : 'ksg');
  if (!isEstimatorName(name)) throw new EstimatorInputError(`unknown estimator "${name}"; known: ${estimatorNames.join(', ')}`);
  const k = options.k ?? D.k;
  const bins = options.bins ?? D.bins;
  const noiseVar = options.noiseVar ?? D.noiseVar;
  const seed = options.seed ?? D.seed;
  const standardize = options.standardize ?? D.standardize;
  const jitter = options.jitter ?? D.jitter;
  const permutations = options.permutations ?? D.permutations;
  if (!Number.isInteger(k) || k < 1) throw new EstimatorInputError(`k must be a positive integer, got ${k}`);
  if (!Number.isInteger(bins) || bins < 2) throw new EstimatorInputError(`bins must be an integer >= 2, got ${bins}`);
  if (!(noiseVar > 0)) throw new EstimatorInputError(`noise variance must be positive, got ${noiseVar}`);
  if (!Number.isInteger(permutations) || permutations < 0) throw new EstimatorInputError(`permutations must be a non-negative integer, got ${permutations}`);
  if (KNN.includes(name) && n <= k) throw new EstimatorInputError(`${name} needs more samples than neighbours: n = ${n}, k = ${k}`);
  if ((name === 'ksg' || name === 'ksg2' || name === 'gaussian' || NEURAL.includes(name)) && (labelsX || labelsY)) {
    throw new EstimatorInputError(`${name} needs continuous x and y; use ross, mixed or binning for labels`);
  }
  if ((name === 'ross' || name === 'decoder') && labelsX === labelsY) throw new EstimatorInputError(`${name} needs exactly one of x and y to be labels`);
  if (name === 'gcmi' && labelsX && labelsY) throw new EstimatorInputError('gcmi needs a continuous variable on at least one side');
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
  let bound: 'lower' | 'upper' | null = null;
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
      const kb = name === 'kde-upper' ? 'upper' : 'lower';
      Object.assign(params, { noiseVar, bound: kb, quantity: labelsY || labelsX ? 'I(T;Y), T = x + noise' : 'I(X;T), T = y + noise, y = h(x) deterministic' });
      if (labelsX || labelsY) {
        // a difference of two bounds: an estimate, not a bound
        f = (a, b) => kdeLabelMI(a as Samples, b as Labels, noiseVar, kb);
      } else {
        // y is the layer T = h(X): x only names the inputs; MI bound from T alone
        f = (_a, b) => kdeInputMI(b as Samples, noiseVar, kb);
        bound = kb;
      }
      ceiling = Math.log(n);
      break;
    }
    case 'gaussian':
      f = (a, b) => gaussianMI(a as Samples, b as Samples);
      break;
    case 'decoder': {
      const folds = options.folds ?? D.folds;
      Object.assign(params, { folds, model: 'PCA (label-free, Marchenko-Pastur edge) + shrinkage LDA, temperature-calibrated' });
      f = (a, b) => decoderBound(a as Samples, b as Labels, { folds, seed }).value;
      bound = 'lower';
      break;
    }
    case 'gcmi':
      Object.assign(params, { transform: 'rank to standard normal per dimension', biasCorrection: 'analytic (Wishart)' });
      f = (a, b) => (isLabels(b) ? gcmiLabels(a as Samples, b) : gcmiContinuous(a as Samples, b as Samples));
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
      bound = 'lower';
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
  // a label side caps the information at the entropy of the labels, ln #classes at most
  for (const v of [xs, ys]) if (isLabels(v)) ceiling = Math.min(ceiling, Math.log(new Set(v).size));
  if (Number.isFinite(ceiling) && value >= 0.9 * ceiling) {
    warnings.push(`saturated: the estimate ${value.toFixed(3)} nats is within 10 % of its ceiling ${ceiling.toFixed(3)} nats`);
  }
  if (permutations > 0) est.null = permutationNull(f, xs, ys, value, rng, permutations);
  if (options.protocol ?? (options.ci || !NEURAL.includes(name))) {
    const labels = isLabels(ys) ? ys : isLabels(xs) ? xs : null;
    const dims = (isLabels(xs) ? 0 : xs.d) + (isLabels(ys) ? 0 : ys.d);
    if (KNN.includes(name) && dims >= KNN_HIGH_DIM) bound = 'lower';
    const r = reliabilityProtocol((rows) => f(takeVariable(xs, rows), takeVariable(ys, rows)), n, {
      value,
      bound,
      ceiling: Number.isFinite(ceiling) ? ceiling : null,
      rng,
      strata: labels,
      minPart: Math.max(10, KNN.includes(name) ? 2 * (k + 1) : 0, labels ? 2 * new Set(labels).size : 0),
      preReasons: sampleSizeReasons(name, xs, ys, n),
      nullP: est.null?.p,
    });
    Object.assign(est, { corrected: r.corrected, ...(r.ci95 ? { ci95: r.ci95 } : {}), ceiling: r.ceiling, saturated: r.saturated, bound: r.bound, reliability: r.reliability, reasons: r.reasons, ladder: r.ladder });
  } else {
    Object.assign(est, { ceiling: Number.isFinite(ceiling) ? ceiling : null, saturated: Number.isFinite(ceiling) && value >= 0.9 * ceiling, bound });
  }
  return est;
}
