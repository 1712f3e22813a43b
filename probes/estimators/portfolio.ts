/**
 * The decoder bound's portfolio (docs/estimators.md section 8): for a discrete S and a whole layer,
 *
 *   I(S; H) >= H(S) - E[-ln q(S | H)]        for any q fitted without the label it scores.
 *
 * Several decoders see different codes: shrinkage LDA on the layer's leading components (codes in
 * the class means), regularised QDA on its first components (codes in variances and correlations:
 * gain, antipodal and XOR codes), and shrinkage LDA on the units with the largest between-class
 * F statistic (sparse codes, a few selective units among many noisy ones). All work on rank-normal
 * units (heavy tails, saturation; features.ts). Within each outer training fold the member is
 * chosen by its calibrated cross-entropy on an inner split of that fold, then refitted on the whole
 * fold and scored on the held-out fold: the choice never sees the labels it is scored on, so the
 * held-out cross-entropy stays a valid bound. One temperature is then fitted on all held-out scores.
 */
import { Xoshiro128 } from '../../src/core/rng.js';
import { type Classifier, fitLda, fitRda, takeColumns, topColumns } from './classifiers.js';
import { fitMda } from './mixture.js';
import type { PreparedLayer } from './features.js';
import { denseLabels, stratifiedFolds } from './folds.js';
import { calibrate, crossEntropyAt } from './temperature.js';
import { EstimatorInputError, type Labels } from './types.js';

/** The portfolio's settings; defaults in defaults.ts. */
export interface PortfolioOptions {
  folds: number;
  seed: number;
  /** Components the QDA member uses (the first of the prepared ones). */
  qdaDims: number;
  /** Weight of the pooled covariance in each class's QDA covariance. */
  qdaPooling: number;
  /** Units the selective member keeps. */
  selectUnits: number;
}

export interface PortfolioResult {
  /** H(S) - held-out cross-entropy after calibration, nats. */
  value: number;
  hS: number;
  crossEntropy: number;
  temperature: number;
  /** The same bound with the linear member (LDA) in every fold: what a linear readout finds. */
  linear: number;
  /** How often each member was chosen across the outer folds. */
  chosen: Record<string, number>;
  /** Held-out loss of every scored sample (after calibration), for the spread of the bound. */
  losses: Float64Array;
  dims: number;
  /** The member chosen in most folds (the one a ladder part repeats). */
  majority: string;
  /** Parameters of the linear member ((classes - 1) x (components + 1)) and the samples of a training fold. */
  parameters: number;
  trainSize: number;
}

type Fit = (rows: Int32Array, codes: Int32Array, m: number) => Classifier;

/** EM iterations of the mixture member from its split start (it settles within a few on two clouds). */
const MIXTURE_ITERATIONS = 5;

interface Member {
  name: string;
  fit: Fit;
  /** Fewest samples per class in a training set the member can be fitted on. */
  minPerClass: number;
}

function membersOf(p: PreparedLayer, o: PortfolioOptions): Member[] {
  const { pcs } = p;
  const qq = Math.min(o.qdaDims, pcs.q);
  const first = qq === pcs.q ? pcs.z : takeColumns(pcs.z, p.n, pcs.q, Int32Array.from({ length: qq }, (_, c) => c));
  return [
    { name: 'lda', minPerClass: 1, fit: (rows, codes, m) => fitLda(pcs.z, pcs.q, rows, codes, m) },
    { name: 'qda', minPerClass: 3, fit: (rows, codes, m) => fitRda(first, qq, rows, codes, m, o.qdaPooling) },
    { name: 'mixture', minPerClass: 4, fit: (rows, codes, m) => fitMda(first, qq, rows, codes, m, MIXTURE_ITERATIONS) },
    {
      name: 'selective',
      minPerClass: 1,
      fit: (rows, codes, m) => {
        const cols = topColumns(p.ranked, p.d, rows, codes, m, o.selectUnits);
        const x = takeColumns(p.ranked, p.n, p.d, cols);
        return fitLda(x, cols.length, rows, codes, m);
      },
    },
  ];
}

/** Scores of the rows `test` into scores[i * m ..] (every member's features have one row per sample). */
function scoreRows(c: Classifier, test: ArrayLike<number>, scores: Float64Array, m: number): void {
  for (let r = 0; r < test.length; r++) c.score(test[r], scores, test[r] * m);
}

/**
 * The bound on the rows `rows` of a prepared layer (all rows when omitted). The reliability ladder
 * calls it on disjoint subsamples with the same label-free preparation and `only` the member the
 * whole sample chose in most folds: a part repeats that decoder rather than choosing again (the
 * parts measure how the bound moves with n, not which decoder to use).
 */
export function portfolioBound(p: PreparedLayer, labels: Labels, o: PortfolioOptions, rows?: ArrayLike<number>, only?: string): PortfolioResult {
  const idx = rows ? Int32Array.from(rows) : Int32Array.from({ length: p.n }, (_, i) => i);
  const n = idx.length;
  const { codes: local, m, counts } = denseLabels(Int32Array.from(idx, (i) => labels[i]));
  if (m < 2) throw new EstimatorInputError('the labels hold a single class: there is no information to decode');
  const fewest = Math.min(...counts);
  if (fewest < o.folds) throw new EstimatorInputError(`a class has ${fewest} samples, fewer than the ${o.folds} cross-validation folds the decoder needs`);
  // codes indexed by the layer's row number, so the classifiers read rows of the whole prepared layer
  const codes = new Int32Array(p.n).fill(-1);
  idx.forEach((i, r) => (codes[i] = local[r]));
  const fold = stratifiedFolds(local, m, o.folds, Xoshiro128.fromKey(`decoder-folds/${o.seed}`));
  const members = membersOf(p, o);
  const scores = new Float64Array(p.n * m);
  const linearScores = new Float64Array(p.n * m);
  // the inner splits' scores: rows of the training fold, which are other folds' test rows
  const inner = new Float64Array(p.n * m);
  const chosen: Record<string, number> = Object.fromEntries(members.map((mb) => [mb.name, 0]));
  const innerRng = Xoshiro128.fromKey(`decoder-inner/${o.seed}`);
  for (let f = 0; f < o.folds; f++) {
    const train = Int32Array.from(idx.filter((_, r) => fold[r] !== f));
    const test = Int32Array.from(idx.filter((_, r) => fold[r] === f));
    // the linear member alone, for the comparison that tells whether the code is linear (the whole
    // sample's run only: a ladder part repeats one member)
    const linear = !only || only === members[0].name ? members[0].fit(train, codes, m) : null;
    if (linear && !only) scoreRows(linear, test, linearScores, m);
    // choose a member on an inner split of this training fold (3 : 1, stratified)
    const perClass = new Array<number>(m).fill(0);
    for (const i of train) perClass[codes[i]]++;
    const innerFold = stratifiedFolds(Int32Array.from(train, (i) => codes[i]), m, 4, innerRng);
    const fitRows = Int32Array.from(train.filter((_, r) => innerFold[r] !== 0));
    const valRows = Int32Array.from(train.filter((_, r) => innerFold[r] === 0));
    let best = members[0];
    let bestCe = Infinity;
    let bestTemp = 1;
    for (const mb of only ? [] : members) {
      if (Math.min(...perClass) * 0.75 < mb.minPerClass + 1) continue;
      let c: Classifier;
      try {
        c = mb.fit(fitRows, codes, m);
      } catch {
        continue;
      }
      scoreRows(c, valRows, inner, m);
      // a coarser search suffices to compare members
      const cal = calibrate(inner, m, codes, valRows, 12);
      if (cal.crossEntropy < bestCe - 1e-12) {
        best = mb;
        bestCe = cal.crossEntropy;
        bestTemp = cal.temperature;
      }
    }
    if (only) best = members.find((mb) => mb.name === only) ?? members[0];
    chosen[best.name]++;
    let c: Classifier;
    try {
      c = best === members[0] && linear ? linear : best.fit(train, codes, m);
    } catch {
      // a part too small for the repeated member falls back to the linear one
      best = members[0];
      c = linear ?? members[0].fit(train, codes, m);
    }
    scoreRows(c, test, scores, m);
    // the chosen member's temperature, from the inner split: members differ in their confidence
    for (const i of test) for (let s = 0; s < m; s++) scores[i * m + s] /= bestTemp;
  }
  const hS = counts.reduce((a, c) => a - (c / n) * Math.log(c / n), 0);
  const cal = calibrate(scores, m, codes, idx);
  const losses = new Float64Array(n);
  crossEntropyAt(scores, m, codes, idx, cal.temperature, losses);
  const linearCe = only ? cal.crossEntropy : calibrate(linearScores, m, codes, idx).crossEntropy;
  const majority = Object.entries(chosen).sort((a, b) => b[1] - a[1])[0][0];
  const parameters = (m - 1) * (p.pcs.q + 1);
  return { value: hS - cal.crossEntropy, hS, crossEntropy: cal.crossEntropy, temperature: cal.temperature, linear: hS - linearCe, chosen, losses, dims: p.pcs.q, majority, parameters, trainSize: Math.round((n * (o.folds - 1)) / o.folds) };
}
