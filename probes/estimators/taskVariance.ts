/**
 * Task variance and the quantities built on it (Yang et al. 2019, Fig. 2-4; docs/clusters.md). Pure
 * numeric code on typed arrays.
 *
 * - The task variance of unit i for a task: run the task's test grid without noise; from the end of
 *   the first fixation epoch to the end of the trial, the variance across trials at each step
 *   (population variance), averaged over steps. It is the diagonal of C = mean_t cov_t, the
 *   across-trial covariance averaged over those steps; a rotation R of the activity has task
 *   variances diag(R^T C R), the paper's control.
 * - Active units: summed task variance over tasks above 1e-3; each active unit's row normalised by
 *   its maximum over tasks is what the clustering sees.
 * - Fractional task variance of a pair (A, B): (TV_A - TV_B) / (TV_A + TV_B) for units with
 *   TV_A + TV_B above 1e-3, as a 20-bin histogram on [-1, 1].
 */

/** Threshold of summed task variance for an active unit, and of a pair's sum for FTV (the paper's). */
export const ACTIVE_VARIANCE = 1e-3;
/** Bins of the FTV histogram on [-1, 1]. */
const FTV_BINS = 20;

/**
 * The across-trial covariance averaged over steps [from, T) of hidden [T, B, N], given a product
 * that forms X^T X of a [rows, N] float32 matrix (the engine passes a fast one).
 */
export function meanCovariance(hidden: Float32Array, T: number, B: number, N: number, from: number, crossProduct: (x: Float32Array, rows: number, cols: number) => Float64Array): Float64Array {
  const steps = T - from;
  if (steps < 1) throw new RangeError(`no steps from ${from} to ${T}`);
  const x = new Float32Array(steps * B * N);
  const mean = new Float64Array(N);
  for (let t = from; t < T; t++) {
    mean.fill(0);
    for (let b = 0; b < B; b++) for (let j = 0; j < N; j++) mean[j] += hidden[(t * B + b) * N + j];
    for (let j = 0; j < N; j++) mean[j] /= B;
    for (let b = 0; b < B; b++) for (let j = 0; j < N; j++) x[((t - from) * B + b) * N + j] = hidden[(t * B + b) * N + j] - mean[j];
  }
  const c = crossProduct(x, steps * B, N);
  for (let i = 0; i < c.length; i++) c[i] /= steps * B;
  return c;
}

/** X^T X in float64 by the plain loop (the fallback of meanCovariance). */
export function crossProductLoop(x: Float32Array, rows: number, cols: number): Float64Array {
  const c = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let i = 0; i < cols; i++) {
      const v = x[o + i];
      if (v === 0) continue;
      for (let j = i; j < cols; j++) c[i * cols + j] += v * x[o + j];
    }
  }
  for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) c[i * cols + j] = c[j * cols + i];
  return c;
}

/** diag(R^T C R): the variances of the rotated units. */
export function rotatedDiagonal(c: Float64Array, r: Float64Array, N: number): Float64Array {
  const out = new Float64Array(N);
  const cr = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    cr.fill(0);
    for (let a = 0; a < N; a++) for (let b = 0; b < N; b++) cr[a] += c[a * N + b] * r[b * N + j];
    let s = 0;
    for (let a = 0; a < N; a++) s += r[a * N + j] * cr[a];
    out[j] = s;
  }
  return out;
}

/** Active units of a [N, tasks] task-variance matrix and their rows normalised by the row maximum. */
export function normalisedActive(tv: Float64Array, N: number, tasks: number): { units: Int32Array; rows: Float64Array } {
  const units: number[] = [];
  for (let i = 0; i < N; i++) {
    let s = 0;
    for (let k = 0; k < tasks; k++) s += tv[i * tasks + k];
    if (s > ACTIVE_VARIANCE) units.push(i);
  }
  const rows = new Float64Array(units.length * tasks);
  units.forEach((i, r) => {
    let m = 0;
    for (let k = 0; k < tasks; k++) m = Math.max(m, tv[i * tasks + k]);
    for (let k = 0; k < tasks; k++) rows[r * tasks + k] = tv[i * tasks + k] / m;
  });
  return { units: Int32Array.from(units), rows };
}

/** FTV histogram of a pair of task-variance columns: counts in FTV_BINS bins on [-1, 1] (1 falls in the last). */
export function ftvHistogram(tvA: ArrayLike<number>, tvB: ArrayLike<number>): Float64Array {
  const h = new Float64Array(FTV_BINS);
  for (let i = 0; i < tvA.length; i++) {
    const s = tvA[i] + tvB[i];
    if (!(s > ACTIVE_VARIANCE)) continue;
    const f = (tvA[i] - tvB[i]) / s;
    h[Math.min(FTV_BINS - 1, Math.floor(((f + 1) / 2) * FTV_BINS))]++;
  }
  return h;
}

/**
 * Clusters renumbered by the task each prefers (the largest mean normalised variance over its
 * members), ties by that variance: the paper's order. rows [n, tasks], labels 0..k-1.
 */
export function orderByPreferredTask(rows: Float64Array, tasks: number, labels: Int32Array, k: number): { labels: Int32Array; preferred: Int32Array } {
  const sums = new Float64Array(k * tasks);
  const counts = new Int32Array(k);
  labels.forEach((c, r) => {
    counts[c]++;
    for (let t = 0; t < tasks; t++) sums[c * tasks + t] += rows[r * tasks + t];
  });
  const pref = Array.from({ length: k }, (_, c) => {
    let bt = 0;
    for (let t = 1; t < tasks; t++) if (sums[c * tasks + t] > sums[c * tasks + bt]) bt = t;
    return { c, task: bt, v: sums[c * tasks + bt] / Math.max(1, counts[c]) };
  });
  pref.sort((a, b) => a.task - b.task || b.v - a.v);
  const newId = new Int32Array(k);
  pref.forEach((p, i) => (newId[p.c] = i));
  return { labels: Int32Array.from(labels, (c) => newId[c]), preferred: Int32Array.from(pref, (p) => p.task) };
}
