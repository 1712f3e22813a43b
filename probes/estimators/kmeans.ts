/**
 * k-means and the silhouette score, on rows of a matrix (Euclidean). The clustering of Yang et al.
 * 2019 (docs/clusters.md): k-means for every k in a range, several restarts each (k-means++ seeding,
 * Lloyd iterations), the k with the highest mean silhouette chosen. Pure numeric code: typed arrays
 * in and out, a seed for the restarts.
 */
import { estRng, type EstRng } from './random.js';

interface KMeansResult {
  k: number;
  /** Cluster of each row, 0..k-1. */
  labels: Int32Array;
  /** Centres [k, d]. */
  centres: Float64Array;
  /** Sum of squared distances of the rows to their centres. */
  inertia: number;
}

function sqDist(x: Float64Array, i: number, c: Float64Array, j: number, d: number): number {
  let s = 0;
  for (let q = 0; q < d; q++) {
    const v = x[i * d + q] - c[j * d + q];
    s += v * v;
  }
  return s;
}

/** k-means++ seeding: the first centre uniformly, each next one with probability proportional to D^2. */
function seedCentres(x: Float64Array, n: number, d: number, k: number, rng: EstRng): Float64Array {
  const c = new Float64Array(k * d);
  const first = rng.int(n);
  c.set(x.subarray(first * d, first * d + d), 0);
  const best = new Float64Array(n).fill(Infinity);
  for (let j = 1; j < k; j++) {
    let total = 0;
    for (let i = 0; i < n; i++) {
      best[i] = Math.min(best[i], sqDist(x, i, c, j - 1, d));
      total += best[i];
    }
    let pick = n - 1;
    if (total > 0) {
      let u = rng.uniform() * total;
      for (let i = 0; i < n; i++) {
        u -= best[i];
        if (u < 0) {
          pick = i;
          break;
        }
      }
    } else pick = rng.int(n);
    c.set(x.subarray(pick * d, pick * d + d), j * d);
  }
  return c;
}

/** One run of Lloyd's algorithm from k-means++ seeds; an emptied cluster takes the row farthest from its centre. */
function lloyd(x: Float64Array, n: number, d: number, k: number, rng: EstRng, maxIter: number): KMeansResult {
  const centres = seedCentres(x, n, d, k, rng);
  const labels = new Int32Array(n).fill(-1);
  const dist = new Float64Array(n);
  for (let it = 0; it < maxIter; it++) {
    let changed = false;
    for (let i = 0; i < n; i++) {
      let bj = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const v = sqDist(x, i, centres, j, d);
        if (v < bd) [bd, bj] = [v, j];
      }
      dist[i] = bd;
      if (labels[i] !== bj) [labels[i], changed] = [bj, true];
    }
    if (!changed) break;
    const counts = new Int32Array(k);
    centres.fill(0);
    for (let i = 0; i < n; i++) {
      counts[labels[i]]++;
      for (let q = 0; q < d; q++) centres[labels[i] * d + q] += x[i * d + q];
    }
    for (let j = 0; j < k; j++) {
      if (counts[j] === 0) {
        let far = 0;
        for (let i = 1; i < n; i++) if (dist[i] > dist[far]) far = i;
        centres.set(x.subarray(far * d, far * d + d), j * d);
        dist[far] = 0;
        labels[far] = j;
        continue;
      }
      for (let q = 0; q < d; q++) centres[j * d + q] /= counts[j];
    }
  }
  let inertia = 0;
  for (let i = 0; i < n; i++) inertia += sqDist(x, i, centres, labels[i], d);
  return { k, labels, centres, inertia };
}

/** k-means on rows [n, d]: the best of `restarts` runs by inertia (scikit-learn's n_init), seeded. */
export function kMeans(x: Float64Array, n: number, d: number, k: number, o: { restarts?: number; seed?: number; maxIter?: number } = {}): KMeansResult {
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be an integer from 1 to the ${n} rows, got ${k}`);
  const rng = estRng(`kmeans/${o.seed ?? 0}/${k}`);
  let best: KMeansResult | null = null;
  for (let r = 0; r < (o.restarts ?? 10); r++) {
    const run = lloyd(x, n, d, k, rng, o.maxIter ?? 300);
    if (!best || run.inertia < best.inertia) best = run;
  }
  return best as KMeansResult;
}

/**
 * Mean silhouette over rows (Rousseeuw 1987): s_i = (b_i - a_i) / max(a_i, b_i), a_i the mean
 * distance to the rest of its cluster, b_i the smallest mean distance to another cluster; 0 for a row
 * alone in its cluster (scikit-learn's convention). Needs 2 <= k <= n - 1.
 */
export function silhouette(x: Float64Array, n: number, d: number, labels: Int32Array, k: number): number {
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) {
        const v = x[i * d + q] - x[j * d + q];
        s += v * v;
      }
      dist[i * n + j] = dist[j * n + i] = Math.sqrt(s);
    }
  }
  return silhouetteFromDistances(dist, n, labels, k);
}

function silhouetteFromDistances(dist: Float64Array, n: number, labels: Int32Array, k: number): number {
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) counts[labels[i]]++;
  const sums = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[labels[j]] += dist[i * n + j];
    const own = labels[i];
    if (counts[own] <= 1) continue;
    const a = sums[own] / (counts[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c] > 0) b = Math.min(b, sums[c] / counts[c]);
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / n;
}

/** k-means for each k in [kMin, kMax] (capped at n - 1) and the silhouette of each; the best k by silhouette. */
export function chooseK(x: Float64Array, n: number, d: number, o: { kMin: number; kMax: number; restarts: number; seed: number }): { best: KMeansResult; scores: Array<{ k: number; silhouette: number }> } {
  const kMax = Math.min(o.kMax, n - 1);
  if (kMax < o.kMin) throw new RangeError(`clustering needs at least ${o.kMin + 1} rows, got ${n}`);
  const dist = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let q = 0; q < d; q++) s += (x[i * d + q] - x[j * d + q]) ** 2;
      dist[i * n + j] = dist[j * n + i] = Math.sqrt(s);
    }
  }
  const scores: Array<{ k: number; silhouette: number }> = [];
  let best: KMeansResult | null = null;
  let bestScore = -Infinity;
  for (let k = o.kMin; k <= kMax; k++) {
    const r = kMeans(x, n, d, k, { restarts: o.restarts, seed: o.seed });
    const s = silhouetteFromDistances(dist, n, r.labels, k);
    scores.push({ k, silhouette: s });
    if (s > bestScore) [bestScore, best] = [s, r];
  }
  return { best: best as KMeansResult, scores };
}
