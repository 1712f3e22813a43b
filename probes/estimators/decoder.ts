/**
 * The cross-validated decoder bound on I(S; H) for a discrete S and a whole layer H
 * (docs/estimators.md section 8):
 *
 *   I(S; H) >= H(S) - E[-ln q(S | H)]          (Barber & Agakov)
 *
 * for any decoder q fitted without the labels it is scored on. The label-free part (rank-normal
 * units without each trial's gain, their leading components: features.ts) is computed once; the
 * portfolio of decoders (portfolio.ts) is fitted and chosen inside each training fold. A decoder
 * that is not Bayes-optimal only loosens the bound; it never overstates the information.
 */
import { estimatorDefaults as D } from './defaults.js';
import { type PreparedLayer, prepareLayer } from './features.js';
import { type PortfolioOptions, type PortfolioResult, portfolioBound } from './portfolio.js';
import { type RegressionOptions, type RegressionResult, type RegressionSetup, regressionBound } from './regression.js';
import type { Labels, Samples } from './types.js';

/** The decoder's settings with the defaults of defaults.ts. */
export function decoderSettings(o: { folds?: number; seed?: number }): PortfolioOptions {
  return { folds: o.folds ?? D.folds, seed: o.seed ?? D.seed, qdaDims: D.qdaDims, qdaPooling: D.qdaPooling, selectUnits: D.selectUnits };
}

/** A labelled layer, prepared once: its bound on all rows, and on any subset with the majority member. */
interface PreparedDecoder {
  layer: PreparedLayer;
  full: PortfolioResult;
  onRows(rows: ArrayLike<number>): PortfolioResult;
}

/**
 * The label-free preparation of a layer, kept for as long as the layer's sample object lives: the
 * decoders of I(S; H) and I(theta; H) on one probe time step share it.
 */
const preparations = new WeakMap<Samples, Map<number, PreparedLayer>>();

function preparedLayer(h: Samples, seed: number, sqDist?: (s: Samples) => Float64Array): PreparedLayer {
  let bySeed = preparations.get(h);
  if (!bySeed) preparations.set(h, (bySeed = new Map()));
  let p = bySeed.get(seed);
  if (!p) bySeed.set(seed, (p = prepareLayer(h, D.decoderDims, seed, sqDist)));
  return p;
}

export function prepareDecoder(h: Samples, labels: Labels, o: PortfolioOptions, sqDist?: (s: Samples) => Float64Array): PreparedDecoder {
  const layer = preparedLayer(h, o.seed, sqDist);
  const full = portfolioBound(layer, labels, o);
  return { layer, full, onRows: (rows) => portfolioBound(layer, labels, o, rows, full.majority) };
}

/** The bound on all samples, with the default settings: I(S; H) >= value (nats). */
export function decoderBound(h: Samples, labels: Labels, o: { folds?: number; seed?: number } = {}): PortfolioResult {
  return prepareDecoder(h, labels, decoderSettings(o)).full;
}

/** A layer and a continuous stimulus, prepared once: the bound on all rows, and on any subset with the majority member. */
interface PreparedRegression {
  layer: PreparedLayer;
  full: RegressionResult;
  onRows(rows: ArrayLike<number>): RegressionResult;
}

export function prepareRegression(h: Samples, setup: RegressionSetup, o: { folds?: number; seed?: number; circular: boolean }, sqDist?: (s: Samples) => Float64Array): PreparedRegression {
  const settings: RegressionOptions = { folds: o.folds ?? D.folds, seed: o.seed ?? D.seed, circular: o.circular, selectUnits: D.selectUnits, quadraticDims: D.qdaDims };
  const layer = preparedLayer(h, settings.seed, sqDist);
  const full = regressionBound(layer, setup, settings);
  return { layer, full, onRows: (rows) => regressionBound(layer, setup, settings, rows, full.majority) };
}
