/**
 * Kolchinsky-Tracey pairwise-distance bounds on the entropy of a Gaussian mixture (docs/estimators.md,
 * section 1), as used in information-plane analyses: the layer is made stochastic, T = h + eps,
 * eps ~ N(0, s2 I), and p(t) is the equal-weight mixture of N Gaussians centred on the samples.
 *
 *   H_up(T)  = d/2 + (d/2) ln(2 pi s2) - (1/N) sum_i [ logsumexp_j(-D_ij / (2 s2)) - ln N ]    (KL)
 *   H_low(T) = H_up(T; 4 s2) + (d/2) ln(1/4)                                                   (Bhattacharyya)
 *   H(T|X)   = (d/2) (ln(2 pi s2) + 1)
 *   I(X;T)   = H(T) - H(T|X)                   (deterministic map X -> h)
 *   I(T;Y)   = H(T) - sum_y p(y) H(T | Y = y)  (discrete labels; a difference of bounds: an estimate)
 */
import { groupByLabel } from './mixed.js';
import { logSumExp } from './special.js';
import type { Labels, Samples } from './types.js';

export type KdeBound = 'upper' | 'lower';

/** Squared Euclidean distances, computed directly (no |a|^2 + |b|^2 - 2ab cancellation). */
function sqDistRow(s: Samples, i: number, rows: ArrayLike<number>, out: Float64Array): void {
  const { d, data } = s;
  const oi = i * d;
  for (let m = 0; m < rows.length; m++) {
    const oj = rows[m] * d;
    let acc = 0;
    for (let q = 0; q < d; q++) {
      const v = data[oi + q] - data[oj + q];
      acc += v * v;
    }
    out[m] = acc;
  }
}

/** Entropy bound of the mixture over the rows `rows` of s (all rows by default). */
export function kdeEntropy(s: Samples, noiseVar: number, bound: KdeBound, rows?: ArrayLike<number>): number {
  const idx = rows ?? Int32Array.from({ length: s.n }, (_, i) => i);
  const n = idx.length;
  const d = s.d;
  const v = bound === 'upper' ? noiseVar : 4 * noiseVar;
  const dist = new Float64Array(n);
  let acc = 0;
  for (let a = 0; a < n; a++) {
    sqDistRow(s, idx[a], idx, dist);
    for (let m = 0; m < n; m++) dist[m] = -dist[m] / (2 * v);
    acc += logSumExp(dist) - Math.log(n);
  }
  const hUp = d / 2 + (d / 2) * Math.log(2 * Math.PI * v) - acc / n;
  return bound === 'upper' ? hUp : hUp + (d / 2) * Math.log(0.25);
}

export function kdeNoiseEntropy(d: number, noiseVar: number): number {
  return (d / 2) * (Math.log(2 * Math.PI * noiseVar) + 1);
}

/** I(X; T) for T = h(X) + noise, X -> h deterministic: H(T) - H(T|X). */
export function kdeInputMI(h: Samples, noiseVar: number, bound: KdeBound): number {
  return kdeEntropy(h, noiseVar, bound) - kdeNoiseEntropy(h.d, noiseVar);
}

/** I(T; Y) for discrete labels Y: H(T) - sum_y p(y) H(T | Y = y). */
export function kdeLabelMI(h: Samples, labels: Labels, noiseVar: number, bound: KdeBound): number {
  const hT = kdeEntropy(h, noiseVar, bound);
  let cond = 0;
  for (const idx of groupByLabel(labels).values()) cond += (idx.length / h.n) * kdeEntropy(h, noiseVar, bound, idx);
  return hT - cond;
}

/**
 * Pairwise squared Euclidean distances of the rows of s, computed once so that every KT bound on the
 * same activity (upper, lower, per-label conditionals) reuses them. Symmetric [n x n].
 */
export function pairwiseSqDist(s: Samples): Float64Array {
  const { n, d, data } = s;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let acc = 0;
      for (let q = 0; q < d; q++) {
        const v = data[oi + q] - data[oj + q];
        acc += v * v;
      }
      out[i * n + j] = acc;
      out[j * n + i] = acc;
    }
  }
  return out;
}

/** kdeEntropy from a precomputed distance matrix (n x n) of d-dimensional points, over `rows` (all by default). */
export function kdeEntropyFromDistances(dist: Float64Array, n: number, d: number, noiseVar: number, bound: KdeBound, rows?: ArrayLike<number>): number {
  const idx = rows ?? Int32Array.from({ length: n }, (_, i) => i);
  const m = idx.length;
  const v = bound === 'upper' ? noiseVar : 4 * noiseVar;
  const scaled = new Float64Array(m);
  let acc = 0;
  for (let a = 0; a < m; a++) {
    const r = idx[a] * n;
    for (let b = 0; b < m; b++) scaled[b] = -dist[r + idx[b]] / (2 * v);
    acc += logSumExp(scaled) - Math.log(m);
  }
  const hUp = d / 2 + (d / 2) * Math.log(2 * Math.PI * v) - acc / m;
  return bound === 'upper' ? hUp : hUp + (d / 2) * Math.log(0.25);
}

/** I(T; Y) from a precomputed distance matrix and label groups. */
export function kdeLabelMIFromDistances(dist: Float64Array, n: number, d: number, groups: readonly number[][], noiseVar: number, bound: KdeBound): number {
  let cond = 0;
  for (const g of groups) cond += (g.length / n) * kdeEntropyFromDistances(dist, n, d, noiseVar, bound, g);
  return kdeEntropyFromDistances(dist, n, d, noiseVar, bound) - cond;
}
