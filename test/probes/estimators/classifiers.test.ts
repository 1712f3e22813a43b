/** The decoder's pieces on data whose answer is known by construction. */
import { describe, expect, it } from 'vitest';
import { fitLda, fitRda, topColumns } from '../../../probes/estimators/classifiers.js';
import { entropy1d, logI0 } from '../../../probes/estimators/density.js';
import { rankGauss } from '../../../probes/estimators/features.js';
import { fitMda } from '../../../probes/estimators/mixture.js';
import { bhAdjusted } from '../../../probes/estimators/multipleComparisons.js';
import { stream } from '../../../src/core/rng.js';

/** Accuracy of a classifier on rows [from, to) of 2-D points. */
function accuracy(score: (i: number, out: Float64Array, o: number) => void, labels: Int32Array, from: number, to: number, m: number): number {
  const out = new Float64Array(m);
  let hit = 0;
  for (let i = from; i < to; i++) {
    score(i, out, 0);
    let best = 0;
    for (let s = 1; s < m; s++) if (out[s] > out[best]) best = s;
    if (best === labels[i]) hit++;
  }
  return hit / (to - from);
}

describe('classifiers of the decoder portfolio', () => {
  const r = stream(3, 'probes');
  const n = 800;
  const all = Int32Array.from({ length: n / 2 }, (_, i) => i);

  it('the two-cloud mixture reads an XOR code that a linear decoder cannot', () => {
    // class 0 at (+2,+2) or (-2,-2), class 1 at (+2,-2) or (-2,+2): both class means are 0
    const x = new Float64Array(2 * n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      const a = r.next() < 0.5 ? 1 : -1;
      const b = y[i] === 0 ? a : -a;
      x[2 * i] = 2 * a + r.normal() * 0.7;
      x[2 * i + 1] = 2 * b + r.normal() * 0.7;
    }
    const lda = fitLda(x, 2, all, y, 2);
    const mda = fitMda(x, 2, all, y, 2, 5);
    expect(accuracy((i, o, k) => lda.score(i, o, k), y, n / 2, n, 2)).toBeLessThan(0.6);
    expect(accuracy((i, o, k) => mda.score(i, o, k), y, n / 2, n, 2)).toBeGreaterThan(0.95);
  });

  it('regularised QDA reads classes that differ only in variance', () => {
    const x = new Float64Array(2 * n);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      y[i] = i % 2;
      const sd = y[i] === 0 ? 0.3 : 3;
      x[2 * i] = sd * r.normal();
      x[2 * i + 1] = sd * r.normal();
    }
    const rda = fitRda(x, 2, all, y, 2, 0.1);
    const lda = fitLda(x, 2, all, y, 2);
    expect(accuracy((i, o, k) => rda.score(i, o, k), y, n / 2, n, 2)).toBeGreaterThan(0.9);
    expect(accuracy((i, o, k) => lda.score(i, o, k), y, n / 2, n, 2)).toBeLessThan(0.65);
  });

  it('selects the units whose class means differ, among many noisy ones', () => {
    const d = 50;
    const x = new Float64Array(n * d);
    const y = Int32Array.from({ length: n }, (_, i) => i % 4);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) x[i * d + j] = 3 * r.normal() + (j === 7 || j === 31 ? y[i] : 0);
    expect(Array.from(topColumns(x, d, all, y, 4, 2)).sort((a, b) => a - b)).toEqual([7, 31]);
  });
});

describe('label-free transforms, densities, corrections', () => {
  it('rank-normal scores: monotone, mean 0, ties share one score, a constant column is 0', () => {
    const data = Float64Array.from([5, 1, 1, 3, 1e9, 7, 7, 7, 7, 7, 2, 0, 0, 0, 0]);
    const z = rankGauss({ n: 5, d: 3, data });
    const col = (j: number) => [0, 1, 2, 3, 4].map((i) => z[i * 3 + j]);
    const c0 = col(0); // 5, 3, 7, 7, 0 -> ranks 2, 1, 3.5, 3.5, 0
    expect(c0[4]).toBeLessThan(c0[1]);
    expect(c0[1]).toBeLessThan(c0[0]);
    expect(c0[2]).toBe(c0[3]);
    expect(c0.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 12);
    expect(col(1).every((v, i, a) => i === 0 || v === a[0]) ? 'constant' : 'varies').toBe('varies');
    // column 2 holds 1, 1e9, 7, 2, 0 -> an outlier gets only the largest normal score, not its size
    expect(Math.max(...col(2))).toBeLessThan(2);
  });

  it('ln I0 to 1e-6 of its series, near 0 and far out', () => {
    const series = (k: number) => {
      let t = 1;
      let s = 1;
      for (let j = 1; j < 200; j++) {
        t *= (k * k) / 4 / (j * j);
        s += t;
      }
      return Math.log(s);
    };
    for (const k of [0, 0.3, 2, 3.74, 3.76, 10, 40]) expect(Math.abs(logI0(k) - series(k)), `kappa ${k}`).toBeLessThan(1e-6 * Math.max(1, series(k)));
  });

  it('Kozachenko-Leonenko entropy: uniform on the circle ln 2 pi, a standard normal 1/2 ln(2 pi e)', () => {
    const r = stream(5, 'probes');
    const circle = Float64Array.from({ length: 4000 }, () => 2 * Math.PI * r.next());
    const line = Float64Array.from({ length: 4000 }, () => r.normal());
    // sampling spread ~0.02 at n = 4,000
    expect(entropy1d(circle, true)).toBeCloseTo(Math.log(2 * Math.PI), 1);
    expect(Math.abs(entropy1d(line, false) - 0.5 * Math.log(2 * Math.PI * Math.E))).toBeLessThan(0.06);
  });

  it('Benjamini-Hochberg q-values: monotone in p, and p n / rank at the largest', () => {
    const q = bhAdjusted([0.01, 0.04, 0.03, 0.2]);
    expect(Array.from(q).map((v) => +v.toFixed(4))).toEqual([0.04, 0.0533, 0.0533, 0.2]);
  });
});
