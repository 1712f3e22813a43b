/**
 * The scalar KSG fast path (rank grid, guided marginal counts, float32-key argsort) against
 * brute force on the data that break shortcuts: ties, heavy tails, near-deterministic relations,
 * clusters, tiny samples, k large against n. Agreement to 1e-9 (a different summation order moves
 * the last bits; a single miscounted neighbour moves the estimate by ~1/(n * count) >= 1e-6).
 */
import { describe, expect, it } from 'vitest';
import { argsortExact, argsortFloat64 } from '../../../probes/estimators/argsort.js';
import { ksgScalar } from '../../../probes/estimators/ksgScalar.js';
import { countAround, sortedAxis } from '../../../probes/estimators/sortedAxis.js';
import { estRng } from '../../../probes/estimators/random.js';
import { digamma } from '../../../probes/estimators/special.js';

function ksgBrute(x: Float64Array, y: Float64Array, k: number, alg: 1 | 2): number {
  const n = x.length;
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const joint: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) if (j !== i) joint.push([Math.max(Math.abs(x[j] - x[i]), Math.abs(y[j] - y[i])), j]);
    joint.sort((a, b) => a[0] - b[0]);
    let ex = joint[k - 1][0];
    let ey = ex;
    if (alg === 2) {
      ex = 0;
      ey = 0;
      for (let m = 0; m < k; m++) {
        ex = Math.max(ex, Math.abs(x[joint[m][1]] - x[i]));
        ey = Math.max(ey, Math.abs(y[joint[m][1]] - y[i]));
      }
    }
    let nx = 0;
    let ny = 0;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const dx = Math.abs(x[j] - x[i]);
      const dy = Math.abs(y[j] - y[i]);
      if (alg === 1 ? dx < ex : dx <= ex) nx++;
      if (alg === 1 ? dy < ey : dy <= ey) ny++;
    }
    acc += alg === 1 ? digamma(nx + 1) + digamma(ny + 1) : digamma(nx) + digamma(ny);
  }
  return (alg === 1 ? digamma(k) + digamma(n) : digamma(k) - 1 / k + digamma(n)) - acc / n;
}

const r = estRng('ksg-scalar-test');
const normals = (n: number) => Float64Array.from({ length: n }, () => r.normal());
// With tied distances KSG-2 is ambiguous: which of the tied points are "the k nearest" sets eps_x
// and eps_y (the estimators jitter their input for that reason). KSG-1 only needs the k-th
// distance, which ties do not change, so it must still agree exactly.
const tied = new Set(['ties: integers 0..4 against a noisy copy rounded to 0.5', 'exact zeros and negative zeros (ReLU-like)']);
const cases: Array<[string, () => [Float64Array, Float64Array]]> = [
  ['independent Gaussians', () => [normals(600), normals(600)]],
  ['rho = 0.999', () => {
    const x = normals(600);
    return [x, x.map((v) => v + 0.045 * r.normal())];
  }],
  ['y = x exactly (every neighbour on the diagonal)', () => {
    const x = normals(300);
    return [x, x.slice()];
  }],
  ['Cauchy margins (outliers 1e4 wide)', () => {
    const x = normals(500).map((v) => Math.tan(Math.PI * (0.5 * Math.tanh(v))));
    return [x, x.map((v) => v + Math.tan(Math.PI * (r.uniform() - 0.5)))];
  }],
  ['ties: integers 0..4 against a noisy copy rounded to 0.5', () => {
    const x = Float64Array.from({ length: 400 }, () => Math.floor(5 * r.uniform()));
    return [x, x.map((v) => Math.round(2 * (v + r.normal())) / 2)];
  }],
  ['ties: constant x', () => [new Float64Array(200).fill(3), normals(200)]],
  ['two far clusters, values near 1e6', () => {
    const x = Float64Array.from({ length: 400 }, (_, i) => (i % 2 ? 1e6 : 0) + r.normal());
    return [x, x.map((v) => v + r.normal())];
  }],
  ['exact zeros and negative zeros (ReLU-like)', () => {
    const x = normals(400).map((v) => (v < 0 ? (v < -1 ? -0 : 0) : v));
    return [x, x.map((v) => Math.max(0, v + 0.5 * r.normal()))];
  }],
  ['tiny sample, n = k + 1', () => [normals(4), normals(4)]],
];

describe('scalar KSG equals brute force', () => {
  for (const [name, make] of cases) {
    it(name, () => {
      const [x, y] = make();
      for (const alg of tied.has(name) ? ([1] as const) : ([1, 2] as const)) {
        for (const k of [1, 3, 5]) {
          if (x.length <= k) continue;
          expect(Math.abs(ksgScalar(x, y, k, alg) - ksgBrute(x, y, k, alg)), `KSG-${alg} k = ${k}`).toBeLessThan(1e-9);
        }
      }
    });
  }

  it('a workspace kept from a larger call does not leak into a smaller one', () => {
    const big = [normals(3000), normals(3000)];
    ksgScalar(big[0], big[1], 3, 1);
    const x = normals(200);
    const y = x.map((v) => v + r.normal());
    expect(Math.abs(ksgScalar(x, y, 3, 1) - ksgBrute(x, y, 3, 1))).toBeLessThan(1e-9);
  });
});

describe('marginal counts from a guess', () => {
  it('any guess, even a wild one, gives the brute-force count', () => {
    const a = sortedAxis(Float64Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? 1 : r.normal()))).sorted;
    for (let t = 0; t < 400; t++) {
      const p = Math.floor(r.uniform() * a.length);
      const e = [0, 1e-3, 0.05, 0.3, 5][t % 5];
      const strict = t % 2 === 0;
      let want = 0;
      for (let q = 0; q < a.length; q++) if (q !== p && (strict ? Math.abs(a[q] - a[p]) < e : Math.abs(a[q] - a[p]) <= e)) want++;
      for (const guess of [0, 3, 17, 1e9, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(countAround(a, a.length, p, e, strict, guess)).toBe(want);
      }
    }
  });
});

describe('argsort', () => {
  const check = (v: Float64Array) => {
    const idx = argsortFloat64(v);
    const exact = argsortExact(v);
    // both sort ascending and are stable, so they agree index for index
    expect(Array.from(idx)).toEqual(Array.from(exact));
    for (let m = 1; m < v.length; m++) expect(v[idx[m - 1]] <= v[idx[m]]).toBe(true);
  };
  it('continuous data, wide ranges, subnormals, signed zeros', () => {
    check(normals(5000));
    check(Float64Array.from({ length: 2000 }, () => Math.exp(40 * r.normal()) * (r.uniform() < 0.5 ? -1 : 1)));
    check(Float64Array.from([0, -0, 5e-324, -5e-324, 1e-310, -1e-310, 0, -0, Infinity, -Infinity, 1, -1]));
  });
  it('values that agree to many digits (the fallback to the exact sort)', () => {
    check(Float64Array.from({ length: 3000 }, () => 1 + 1e-12 * r.normal()));
    check(Float64Array.from({ length: 3000 }, (_, i) => i % 3));
  });
});
