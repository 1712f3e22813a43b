/** Task variance, FTV, cluster order and tracking on constructed numbers. */
import { describe, expect, it } from 'vitest';
import { crossProductLoop, ftvHistogram, meanCovariance, normalisedActive, orderByPreferredTask, rotatedDiagonal } from '../../../probes/estimators/taskVariance.js';
import { trackClusters } from '../../../src/stats/clusterTracking.js';
import { randomRotation } from '../../../probes/hooks/clusters.js';

describe('task variance', () => {
  it('is the across-trial variance (ddof 0) averaged over the steps from the end of fixation', () => {
    // T = 4, B = 4, N = 3, from = 1: unit 0 is +-1 by trial at t >= 1 (variance 1), +-5 at t = 0 (not counted);
    // unit 1 is 0, 0, 2, 2 at t = 3 only (variance 1 at one of three steps: 1/3); unit 2 constant 7
    const T = 4;
    const B = 4;
    const N = 3;
    const h = new Float32Array(T * B * N);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const o = (t * B + b) * N;
        h[o] = (b % 2 ? 1 : -1) * (t === 0 ? 5 : 1);
        h[o + 1] = t === 3 && b >= 2 ? 2 : 0;
        h[o + 2] = 7;
      }
    }
    const c = meanCovariance(h, T, B, N, 1, crossProductLoop);
    expect([c[0], c[4], c[8]].map((v) => +v.toFixed(12))).toEqual([1, 1 / 3, 0].map((v) => +v.toFixed(12)));
    // unit 0 and unit 1 are uncorrelated at t = 3 (+-1 against 0, 0, 2, 2 by halves): the covariance is 0
    expect(c[1]).toBeCloseTo(0, 12);
    // a rotation's task variances are those of the rotated activity; the identity changes nothing, and their sum is kept
    const id = new Float64Array(9);
    [0, 4, 8].forEach((i) => (id[i] = 1));
    expect(Array.from(rotatedDiagonal(c, id, 3))).toEqual([c[0], c[4], c[8]]);
    const r = randomRotation(3, 'test');
    const rd = rotatedDiagonal(c, r, 3);
    expect(rd[0] + rd[1] + rd[2]).toBeCloseTo(c[0] + c[4] + c[8], 12);
    // R is orthogonal
    for (let a = 0; a < 3; a++) for (let b = 0; b < 3; b++) expect(r[a] * r[b] + r[3 + a] * r[3 + b] + r[6 + a] * r[6 + b]).toBeCloseTo(a === b ? 1 : 0, 12);
  });

  it('keeps units whose summed variance exceeds 1e-3 and scales each row by its maximum', () => {
    const tv = new Float64Array([0.4, 0.1, /* inactive */ 0.0004, 0.0005, 0, 0.02]);
    const { units, rows } = normalisedActive(tv, 3, 2);
    expect(Array.from(units)).toEqual([0, 2]);
    expect(Array.from(rows)).toEqual([1, 0.25, 0, 1]);
  });
});

describe('fractional task variance', () => {
  it('bins (A - B) / (A + B) of the units above threshold into 20 bins on [-1, 1]', () => {
    // FTV: 1 (A only), -1 (B only), 0 (equal), 0.5 (A = 3 B), and a unit below threshold
    const a = [1, 0, 0.5, 0.3, 0.0001];
    const b = [0, 2, 0.5, 0.1, 0.0001];
    const h = ftvHistogram(a, b);
    const want = new Array(20).fill(0);
    want[19] = 1; // +1 falls in the last bin
    want[0] = 1;
    want[10] = 1; // 0 opens bin 10 ([0, 0.1))
    want[15] = 1; // 0.5 opens bin 15
    expect(Array.from(h)).toEqual(want);
  });
});

describe('cluster order and identity', () => {
  it('numbers clusters by the task each prefers', () => {
    // three rows: two prefer task 2, one prefers task 0; k-means called them 0 (task 2) and 1 (task 0)
    const rows = new Float64Array([0.1, 0.2, 1, 0.2, 0.1, 1, 1, 0.3, 0.1]);
    const r = orderByPreferredTask(rows, 3, new Int32Array([0, 0, 1]), 2);
    expect(Array.from(r.labels)).toEqual([1, 1, 0]);
    expect(Array.from(r.preferred)).toEqual([0, 2]);
  });

  it('carries identities by overlap: a cluster that splits keeps its id in the larger part, the new part gets a new id', () => {
    // before: units 0-5 in cluster 0 (id 7), 6-9 in cluster 1 (id 3), 10 inactive
    const prev = new Int32Array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, -1]);
    // after: 0-3 together, 4-5 split off, 6-10 together (unit 10 joined)
    const next = new Int32Array([2, 2, 2, 2, 0, 0, 1, 1, 1, 1, 1]);
    const r = trackClusters(prev, new Int32Array([7, 3]), next, 3, 8);
    expect(Array.from(r.ids)).toEqual([8, 3, 7]);
    expect(r.nextFree).toBe(9);
  });
});
