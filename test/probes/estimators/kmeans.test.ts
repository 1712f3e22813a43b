/** k-means and the silhouette against answers known by construction or by hand. */
import { describe, expect, it } from 'vitest';
import { chooseK, kMeans, silhouette } from '../../../probes/estimators/kmeans.js';
import { estRng } from '../../../probes/estimators/random.js';

/** `perBlob` points around each of `centres` (rows of d numbers) with sd `sd`, blob by blob. */
function blobs(centres: number[][], perBlob: number, sd: number, seed: number): { x: Float64Array; n: number; d: number; truth: Int32Array } {
  const r = estRng(seed);
  const d = centres[0].length;
  const n = centres.length * perBlob;
  const x = new Float64Array(n * d);
  const truth = new Int32Array(n);
  centres.forEach((c, j) => {
    for (let i = 0; i < perBlob; i++) {
      const row = j * perBlob + i;
      truth[row] = j;
      for (let q = 0; q < d; q++) x[row * d + q] = c[q] + sd * r.normal();
    }
  });
  return { x, n, d, truth };
}

/** Two labellings equal up to renaming the clusters. */
function sameClustering(a: Int32Array, b: Int32Array): boolean {
  const map = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if (map.has(a[i]) && map.get(a[i]) !== b[i]) return false;
    map.set(a[i], b[i]);
  }
  return new Set(map.values()).size === map.size;
}

describe('silhouette', () => {
  it('equals the hand computation on 1-D points {0, 1 | 10, 11}', () => {
    const x = new Float64Array([0, 1, 10, 11]);
    // point 0: a = 1, b = (10 + 11) / 2 = 10.5; point 1: a = 1, b = (9 + 10) / 2 = 9.5; the others mirror them
    const want = ((10.5 - 1) / 10.5 + (9.5 - 1) / 9.5) / 2;
    expect(silhouette(x, 4, 1, new Int32Array([0, 0, 1, 1]), 2)).toBeCloseTo(want, 12);
    // a bad split scores lower: {0 | 1, 10, 11}, the lone point counting 0
    expect(silhouette(x, 4, 1, new Int32Array([0, 1, 1, 1]), 2)).toBeLessThan(want);
  });
});

describe('k-means', () => {
  it('finds four separated blobs exactly, and chooses k = 4 by silhouette among 2..10', () => {
    const { x, n, d, truth } = blobs([[0, 0, 0], [8, 0, 0], [0, 8, 0], [0, 0, 8]], 30, 0.5, 1);
    const r = kMeans(x, n, d, 4, { restarts: 5, seed: 2 });
    expect(sameClustering(r.labels, truth)).toBe(true);
    const c = chooseK(x, n, d, { kMin: 2, kMax: 10, restarts: 5, seed: 3 });
    expect(c.best.k).toBe(4);
    expect(c.scores.map((s) => s.k)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(sameClustering(c.best.labels, truth)).toBe(true);
  });

  it('keeps the restart with the least inertia, and is reproducible from its seed', () => {
    const { x, n, d } = blobs([[0, 0], [3, 0], [0, 3], [3, 3], [1.5, 6]], 20, 0.8, 4);
    const one = kMeans(x, n, d, 5, { restarts: 1, seed: 9 });
    const many = kMeans(x, n, d, 5, { restarts: 20, seed: 9 });
    expect(many.inertia).toBeLessThanOrEqual(one.inertia + 1e-9);
    expect(kMeans(x, n, d, 5, { restarts: 20, seed: 9 }).labels).toEqual(many.labels);
    // Lloyd's fixed point: every row is nearest its own centre
    for (let i = 0; i < n; i++) {
      const dist = (j: number) => (x[i * d] - many.centres[j * d]) ** 2 + (x[i * d + 1] - many.centres[j * d + 1]) ** 2;
      for (let j = 0; j < 5; j++) expect(dist(many.labels[i])).toBeLessThanOrEqual(dist(j) + 1e-12);
    }
  });

  it('caps k below the number of rows and refuses a k it cannot fit', () => {
    const { x, n, d } = blobs([[0], [5]], 3, 0.1, 5);
    expect(chooseK(x, n, d, { kMin: 2, kMax: 29, restarts: 2, seed: 1 }).scores.map((s) => s.k)).toEqual([2, 3, 4, 5]);
    expect(() => kMeans(x, n, d, 7)).toThrow(/k must be an integer from 1 to the 6 rows/);
  });
});
