/**
 * Label-free views of a layer [n, d], computed once on all samples and shared by every fold, member
 * and ladder part of a decoder (no label is used, so the held-out scores stay honest):
 *
 * - each unit replaced by the normal quantile of its mid-rank: scale-free, bounded tails (heavy-
 *   tailed or saturating units), tied values (a ReLU's zeros) share one value; every unit then has
 *   unit variance, so a reduction by variance no longer prefers the noisiest units;
 * - the leading principal components of that, above the Marchenko-Pastur noise edge (pca.ts).
 */
import { argsortFloat64, argsortScratch } from './argsort.js';
import { normalQuantile } from './copula.js';
import { type ReducedLayer, reduceFromDistances, reduceLayer } from './pca.js';
import type { Samples } from './types.js';

/** Columns to normal scores of their mid-ranks, (rank + 1/2) / n; a constant column becomes 0. */
export function rankGauss(s: Samples): Float64Array {
  const { n, d, data } = s;
  const out = new Float64Array(n * d);
  const col = new Float64Array(n);
  const scratch = argsortScratch(n);
  const q = Float64Array.from({ length: n }, (_, r) => normalQuantile((r + 0.5) / n));
  const cum = new Float64Array(n + 1);
  for (let r = 0; r < n; r++) cum[r + 1] = cum[r] + q[r];
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = data[i * d + j];
    const idx = argsortFloat64(col, scratch);
    // runs of equal values share the mean normal score of their ranks
    for (let r = 0; r < n; ) {
      const v = col[idx[r]];
      let e = r + 1;
      while (e < n && col[idx[e]] === v) e++;
      const score = e - r === n ? 0 : (cum[e] - cum[r]) / (e - r);
      for (let k = r; k < e; k++) out[idx[k] * d + j] = score;
      r = e;
    }
  }
  return out;
}

/** A layer ready for decoding: its rank-normal units and their leading components. */
export interface PreparedLayer {
  n: number;
  d: number;
  /** Rank-normal units [n, d]. */
  ranked: Float64Array;
  /** Principal components of the gain-free rank-normal units above the noise edge, then the log gain: [n, q]. */
  pcs: ReducedLayer;
  /** Each sample's overall gain: the root mean square of its z-scored units. */
  gain: Float64Array;
}

/**
 * The preparation: units z-scored, each sample divided by its overall gain (the root mean square of
 * its z-scored units: a heavy tail shared by every unit of a trial scales the whole trial), units to
 * rank-normal scores, then the leading components; the log gain itself is kept as one more feature
 * after the components, so that a code in the overall rate is not lost. `sqDist` (pairwise squared
 * distances of the rows of a sample matrix) lets a caller with fast products compute the components
 * from the Gram matrix; without it they come from the data.
 */
export function prepareLayer(h: Samples, maxDims: number, seed: number, sqDist?: (s: Samples) => Float64Array): PreparedLayer {
  const { n, d } = h;
  const z = zScored(h);
  const gain = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += z[i * d + j] ** 2;
    gain[i] = Math.sqrt(s / d);
    const f = gain[i] > 0 ? 1 / gain[i] : 0;
    for (let j = 0; j < d; j++) z[i * d + j] *= f;
  }
  const ranked = rankGauss({ n, d, data: z });
  const rs: Samples = { n, d, data: ranked };
  const red = sqDist ? reduceFromDistances(sqDist(rs), n, d, maxDims, seed) : reduceLayer(rs, maxDims, seed);
  // the components and the standardised log gain, [n, q + 1]
  const q = red.q + 1;
  const feat = new Float64Array(n * q);
  const lg = Float64Array.from(gain, (g) => Math.log(Math.max(g, 1e-12)));
  let mu = 0;
  for (const v of lg) mu += v / n;
  let sd = 0;
  for (const v of lg) sd += (v - mu) ** 2 / n;
  sd = Math.sqrt(sd) || 1;
  // scaled like a component: to the spread of the last component kept
  let last = 0;
  for (let i = 0; i < n; i++) last += red.z[i * red.q + red.q - 1] ** 2 / n;
  const scale = Math.sqrt(last) || 1;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < red.q; c++) feat[i * q + c] = red.z[i * red.q + c];
    feat[i * q + red.q] = ((lg[i] - mu) / sd) * scale;
  }
  return { n, d, ranked, pcs: { z: feat, n, q }, gain };
}

/** The layer with each unit z-scored (a constant unit becomes 0). */
function zScored(h: Samples): Float64Array {
  const { n, d, data } = h;
  const mean = new Float64Array(d);
  const inv = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) inv[j] += (data[i * d + j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) inv[j] = inv[j] > 0 ? 1 / Math.sqrt(inv[j]) : 0;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = (data[i * d + j] - mean[j]) * inv[j];
  return out;
}
