/**
 * Corrections for testing many neurons at once. A neuron x time map asks N questions (one per
 * neuron, each already corrected over time by the max-over-time null); at p < 0.05 each, about
 * 5 % of N neurons pass by chance alone. Two corrections across neurons:
 *  - family-wise (Westfall-Young max statistic): the null of the largest permuted value over all
 *    neurons and time steps; a neuron whose peak beats its (1 - alpha) quantile is significant with
 *    the chance of even one false positive below alpha;
 *  - false discovery rate (Benjamini-Hochberg 1995) on the per-neuron permutation p-values.
 */

/** Which of the p-values are discoveries at FDR q (Benjamini-Hochberg step-up). */
export function benjaminiHochberg(p: ArrayLike<number>, q: number): Uint8Array {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let cut = -1;
  for (let r = 0; r < n; r++) if (p[order[r]] <= ((r + 1) / n) * q) cut = r;
  const out = new Uint8Array(n);
  for (let r = 0; r <= cut; r++) out[order[r]] = 1;
  return out;
}

/**
 * The family-wise threshold from a permutation null laid out [R, N] (each entry already a maximum
 * over time): the (1 - alpha) quantile of the per-permutation maximum over neurons.
 */
export function maxStatisticThreshold(nullValues: Float32Array, R: number, N: number, alpha: number): number {
  const maxima = new Float64Array(R);
  for (let r = 0; r < R; r++) {
    let m = -Infinity;
    for (let i = 0; i < N; i++) m = Math.max(m, nullValues[r * N + i]);
    maxima[r] = m;
  }
  maxima.sort();
  // the smallest threshold exceeded by at most alpha of the permuted maxima
  const k = Math.min(R - 1, Math.ceil((1 - alpha) * R) - 1);
  return maxima[Math.max(0, k)];
}

/** Benjamini-Hochberg adjusted p-values (q-values): the smallest FDR at which each would be a discovery. */
export function bhAdjusted(p: ArrayLike<number>): Float64Array {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  const q = new Float64Array(n);
  let running = 1;
  for (let r = n - 1; r >= 0; r--) {
    running = Math.min(running, (p[order[r]] * n) / (r + 1));
    q[order[r]] = running;
  }
  return q;
}
