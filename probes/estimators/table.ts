/**
 * Every estimator as one row: what it accepts, what it promises (a bound or not, its ceiling), its
 * parameters with their defaults (defaults.ts), and how to compute it. estimate() validates the
 * data once and dispatches here; the probe hooks read the same rows, so a probe record and
 * `infoscope estimate` state the same parameters for the same estimator.
 *
 * By convention a label side is y (estimate() swaps the sides; MI is symmetric).
 */
import { type BinStrategy, symbolMI, symbolsOf } from './binning.js';
import { gcmiContinuous, gcmiLabels } from './copula.js';
import { prepareDecoder, decoderSettings, prepareRegression } from './decoder.js';
import { estimatorDefaults as D } from './defaults.js';
import { gaussianMI } from './gaussian.js';
import { kdeInputMI, kdeLabelMI } from './kde.js';
import { ksgRaw } from './ksg.js';
import { mixedKsgRaw, rossRaw } from './mixed.js';
import type { EstimatorName } from './names.js';
import { type NeuralBound, neuralMI } from './neural.js';
import type { BoundKind } from './reliability.js';
import { type Labels, type Samples, type Variable, isLabels } from './types.js';
import type { PointEstimator } from './uncertainty.js';
import type { LowerBoundEvidence } from './judge.js';

/**
 * The options every row reads its parameters from (estimate()'s options; the hooks' options).
 * Each default is in defaults.ts, with its reason.
 */
export interface RowOptions {
  /** Neighbours of the k-NN estimators (ksg, ksg2, ross, mixed). */
  k?: number;
  /** Bins per dimension for 'binning'. */
  bins?: number;
  /** 'equal-width' over the observed range (default) or 'equal-frequency'. */
  binStrategy?: BinStrategy;
  /** 'plugin' (default) or 'miller-madow' bias correction for 'binning'. */
  correction?: 'plugin' | 'miller-madow';
  /** Noise variance s2 of T = h + eps for the KDE bounds. */
  noiseVar?: number;
  /** Scale k-NN inputs to unit variance per column, then add this much tie-breaking jitter. */
  standardize?: boolean;
  jitter?: number;
  /** Cross-validation folds of the decoder. */
  folds?: number;
  /** Seed of jitter, subsamples, permutations, folds and neural critics. */
  seed?: number;
  /** Neural estimators: training steps, batch, hidden units, learning rate. */
  steps?: number;
  batch?: number;
  hidden?: number;
  lr?: number;
  /** The decoder: a continuous x is a direction in radians on [0, 2 pi) (read on the circle). */
  circular?: boolean;
}

/** What an estimator with a shared label-free part hands the protocol (the decoder). */
interface Prepared {
  value: number;
  /** The ladder's rungs [parts, repeats], when the estimator's parts are costly (reliability.ts). */
  rungs?: ReadonlyArray<readonly [number, number]>;
  /** The estimate on a subset of the rows, reusing the label-free part: the ladder's parts. */
  onRows(rows: Int32Array): number;
  /** For a lower bound's verdict (verdicts.ts). */
  evidence: LowerBoundEvidence;
  /** What the preparation found: components kept, decoders chosen. */
  found: Params;
}

/** Inputs a preparation may use: fast pairwise distances, and the entropy of a continuous x when the design fixes it. */
interface PrepareContext {
  sqDist?: (s: Samples) => Float64Array;
  xEntropy?: number;
}

export type Params = Record<string, number | string | boolean>;

/** What a row may be given: both sides continuous, exactly one side labels, at least one continuous, or anything. */
export type Takes = 'continuous' | 'one-label' | 'not-two-labels' | 'any' | 'decodable';

export interface EstimatorRow {
  readonly name: EstimatorName;
  readonly takes: Takes;
  /** k-nearest-neighbour estimators: inputs scaled to unit variance and jittered first; biased low in many dimensions. */
  readonly knn?: boolean;
  /** Trains a critic with tfjs: the reliability protocol runs only when an interval is asked for. */
  readonly neural?: boolean;
  /** Refuses inputs it would have to rescale (its answer depends on the scale). */
  readonly scaleBound?: boolean;
  /** Every parameter that shapes the value, defaults filled; `labels`: one side is labels. */
  params(o: RowOptions, n: number, labels: boolean): Params;
  /** 'lower' or 'upper' where the value is a bound on I(X; Y). */
  bound(x: Variable, y: Variable): BoundKind;
  /** Largest value it can return on these data (before the labels' own ln #classes). */
  ceiling(x: Variable, y: Variable, n: number, p: Params): number;
  /** The estimator on (x, y) with these parameters; `call` numbers repeated calls (critics get fresh seeds). */
  make(p: Params, seed: number): PointEstimator;
  /** Estimators whose label-free part is computed once for the value and every ladder part. */
  prepare?(x: Variable, y: Variable, p: Params, seed: number, ctx: PrepareContext): Prepared;
}

const knnParams = (o: RowOptions): Params => ({ k: o.k ?? D.k, standardize: o.standardize ?? D.standardize, jitter: o.jitter ?? D.jitter });
const none = () => null;
const unbounded = () => Infinity;

function ksgRow(name: 'ksg' | 'ksg2'): EstimatorRow {
  const algorithm = name === 'ksg' ? 1 : 2;
  return {
    name,
    takes: 'continuous',
    knn: true,
    params: (o) => ({ k: o.k ?? D.k, algorithm, standardize: o.standardize ?? D.standardize, jitter: o.jitter ?? D.jitter }),
    bound: none,
    ceiling: unbounded,
    make: (p) => (a, b) => ksgRaw(a as Samples, b as Samples, p.k as number, algorithm),
  };
}

function kdeRow(name: 'kde-upper' | 'kde-lower'): EstimatorRow {
  const kb = name === 'kde-upper' ? 'upper' : 'lower';
  return {
    name,
    takes: 'not-two-labels',
    scaleBound: true,
    params: (o, _n, labels) => ({ noiseVar: o.noiseVar ?? D.noiseVar, bound: kb, quantity: labels ? 'I(T;Y), T = x + noise' : 'I(X;T), T = y + noise, y = h(x) deterministic' }),
    // against labels, a difference of two bounds: an estimate, not a bound
    bound: (x, y) => (isLabels(x) || isLabels(y) ? null : kb),
    ceiling: (_x, _y, n) => Math.log(n),
    // y is the layer T = h(X) for I(X;T): x only names the inputs, the bound comes from T alone
    make: (p) => (a, b) => (isLabels(b) ? kdeLabelMI(a as Samples, b, p.noiseVar as number, kb) : kdeInputMI(b as Samples, p.noiseVar as number, kb)),
  };
}

function neuralRow(name: NeuralBound): EstimatorRow {
  return {
    name,
    takes: 'continuous',
    neural: true,
    params: (o, n) => ({ steps: o.steps ?? D.neuralSteps, batch: Math.min(o.batch ?? D.neuralBatch, n), hidden: o.hidden ?? D.neuralHidden, lr: o.lr ?? D.neuralLr, critic: 'concat MLP', split: 'half train / half held-out' }),
    bound: () => 'lower',
    ceiling: (_x, _y, _n, p) => (name === 'infonce' ? Math.log(p.batch as number) : Infinity),
    make: (p, seed) => {
      let call = 0;
      return (a, b) => neuralMI(a as Samples, b as Samples, { bound: name, steps: p.steps as number, batch: p.batch as number, hidden: p.hidden as number, lr: p.lr as number, seed: seed * 1000 + call++ });
    },
  };
}

const rows: EstimatorRow[] = [
  ksgRow('ksg'),
  ksgRow('ksg2'),
  {
    name: 'ross',
    takes: 'one-label',
    knn: true,
    params: knnParams,
    bound: none,
    ceiling: unbounded,
    make: (p) => (a, b) => rossRaw(b as Labels, a as Samples, p.k as number),
  },
  {
    name: 'mixed',
    takes: 'any',
    knn: true,
    params: knnParams,
    bound: none,
    ceiling: unbounded,
    // two label variables: plain counting of ties
    make: (p) => (a, b) => (isLabels(a) ? mixedKsgRaw({ n: a.length, d: 1, data: Float64Array.from(a) }, b, p.k as number) : mixedKsgRaw(a as Samples, b, p.k as number)),
  },
  {
    name: 'decoder',
    takes: 'decodable',
    params: (o, _n, labels) => ({ folds: o.folds ?? D.folds, model: labels ? DECODER_LABELS : DECODER_CONTINUOUS, ...(labels ? {} : { circular: o.circular ?? false }) }),
    bound: () => 'lower',
    ceiling: unbounded,
    make: (p, seed) => (a, b) => prepareDecoding(a, b, p, seed, {}).value,
    prepare: (x, y, p, seed, ctx) => prepareDecoding(x, y, p, seed, ctx),
  },
  {
    name: 'gcmi',
    takes: 'not-two-labels',
    params: () => ({ transform: 'rank to standard normal per dimension', biasCorrection: 'analytic (Wishart)' }),
    bound: none,
    ceiling: unbounded,
    make: () => (a, b) => (isLabels(b) ? gcmiLabels(a as Samples, b) : gcmiContinuous(a as Samples, b as Samples)),
  },
  {
    name: 'binning',
    takes: 'any',
    params: (o) => ({ bins: o.bins ?? D.bins, strategy: o.binStrategy ?? 'equal-width', correction: o.correction ?? 'plugin' }),
    bound: none,
    ceiling: (x, y, n, p) => {
      const states = (v: Variable) => (isLabels(v) ? new Set(v).size : (p.bins as number) ** v.d);
      return Math.min(Math.log(n), Math.log(states(x)), Math.log(states(y)));
    },
    make: (p) => (a, b) => {
      const bins = p.bins as number;
      const strategy = p.strategy as BinStrategy;
      const sa = symbolsOf(a, bins, strategy);
      const sb = symbolsOf(b, bins, strategy);
      const r = symbolMI(sa.ids, sa.states, sb.ids, sb.states);
      return p.correction === 'plugin' ? r.plugin : r.millerMadow;
    },
  },
  kdeRow('kde-upper'),
  kdeRow('kde-lower'),
  {
    name: 'gaussian',
    takes: 'continuous',
    params: () => ({}),
    bound: none,
    ceiling: unbounded,
    make: () => (a, b) => gaussianMI(a as Samples, b as Samples),
  },
  neuralRow('mine'),
  neuralRow('infonce'),
  neuralRow('nwj'),
];

const byName = new Map(rows.map((r) => [r.name, r]));

export function estimatorRow(name: EstimatorName): EstimatorRow {
  return byName.get(name) as EstimatorRow;
}

/**
 * The default estimator for a pair: KSG for two continuous variables of few dimensions; for labels
 * against a continuous variable, Ross for a scalar and the decoder bound for several dimensions; for
 * a continuous scalar (a direction, a value) against many dimensions, the decoder bound too (k-NN
 * estimators lose most of the information there).
 */
export function defaultEstimator(x: Variable, y: Variable): EstimatorName {
  const lx = isLabels(x);
  const ly = isLabels(y);
  if (lx && ly) return 'ksg';
  if (lx !== ly) return (lx ? (y as Samples) : (x as Samples)).d > 1 ? 'decoder' : 'ross';
  // a continuous scalar against many dimensions: k-NN loses most of the information there
  const [dx, dy] = [(x as Samples).d, (y as Samples).d];
  return (dx === 1 && dy >= DECODE_FROM_DIMS) || (dy === 1 && dx >= DECODE_FROM_DIMS) ? 'decoder' : 'ksg';
}

/** From this many dimensions against a scalar, the decoder bound is the default (k-NN estimates fall short there; estimate.ts). */
const DECODE_FROM_DIMS = 5;

/** The decoder's ladder: one partition into halves and one into quarters (each part refits a decoder five times). */
const DECODER_RUNGS = [
  [2, 1],
  [4, 1],
] as const;

const DECODER_LABELS = 'portfolio: shrinkage LDA, regularised QDA, a two-cloud mixture per class, LDA on the most selective units; chosen within each training fold; rank-normal units without the trial gain';
const DECODER_CONTINUOUS = 'ridge readouts (components, their squares, the most correlated units) chosen within each training fold; von Mises (direction) or Gaussian density around the prediction';

/** The decoder on labels (classification) or on a scalar (a density around a regression), the layer on the other side. */
function prepareDecoding(x: Variable, y: Variable, p: Params, seed: number, ctx: PrepareContext): Prepared {
  const folds = p.folds as number;
  if (isLabels(y)) {
    const d = prepareDecoder(x as Samples, y, decoderSettings({ folds, seed }), ctx.sqDist);
    return { value: d.full.value, rungs: DECODER_RUNGS, onRows: (rows) => d.onRows(rows).value, evidence: d.full, found: { dims: d.full.dims, chosen: chosenText(d.full.chosen) } };
  }
  // the scalar on one side, the layer on the other
  const [scalar, layer] = (x as Samples).d === 1 ? [x as Samples, y as Samples] : [y as Samples, x as Samples];
  const r = prepareRegression(layer, { x: scalar.data, knownEntropy: ctx.xEntropy }, { folds, seed, circular: p.circular === true }, ctx.sqDist);
  return { value: r.full.value, rungs: DECODER_RUNGS, onRows: (rows) => r.onRows(rows).value, evidence: r.full, found: { dims: r.layer.pcs.q, chosen: chosenText(r.full.chosen), entropy: r.full.hX } };
}

const chosenText = (c: Record<string, number>) => Object.entries(c).filter(([, v]) => v > 0).map(([k, v]) => `${k} ${v}`).join(', ');
