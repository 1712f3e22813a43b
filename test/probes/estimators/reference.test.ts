/**
 * Exact agreement with independent implementations: the reference values of docs/estimators.md
 * (section 7, computed by a brute-force numpy/scipy implementation) and a
 * brute-force O(n^2) KSG written here. Same formulas, same data, no jitter or scaling: agreement to
 * round-off (1e-12 for the sheet's values printed to 16 digits; 1e-9 against our brute force).
 */
import { describe, expect, it } from 'vitest';
import { kdeEntropy, kdeInputMI, kdeNoiseEntropy } from '../../../probes/estimators/kde.js';
import { ksgRaw } from '../../../probes/estimators/ksg.js';
import { rossRaw } from '../../../probes/estimators/mixed.js';
import { estRng } from '../../../probes/estimators/random.js';
import { digamma, digammaTable } from '../../../probes/estimators/special.js';
import type { Samples } from '../../../probes/estimators/types.js';

const col = (v: number[]): Samples => ({ n: v.length, d: 1, data: Float64Array.from(v) });
const i50 = Array.from({ length: 50 }, (_, i) => i + 1);
const xs = i50.map((i) => Math.sin(i));
const ys = i50.map((i, k) => xs[k] + 0.5 * Math.cos(3 * i));
const s = Int32Array.from(i50.map((i) => i % 4));
const c = i50.map((i) => (i % 4) + Math.sin(1.7 * i));

describe('reference values of docs/estimators.md', () => {
  it('digamma', () => {
    for (const [x, v] of [[0.5, -1.9635100260214235], [1, -0.5772156649015329], [2, 0.42278433509846713], [3, 0.9227843350984671], [10, 2.251752589066721], [100, 4.600161852738088], [1000, 6.907255195648812]]) {
      expect(Math.abs(digamma(x) - v)).toBeLessThan(1e-13);
    }
    const t = digammaTable(1000);
    expect(Math.abs(t[1000] - 6.907255195648812)).toBeLessThan(1e-12);
  });

  it('KSG-1 and KSG-2', () => {
    expect(Math.abs(ksgRaw(col(xs), col(ys), 3, 1) - 0.8190772997013864)).toBeLessThan(1e-12);
    expect(Math.abs(ksgRaw(col(xs), col(ys), 3, 2) - 0.9135625921866795)).toBeLessThan(1e-12);
  });

  it('Ross (discrete label vs continuous)', () => {
    expect(Math.abs(rossRaw(s, col(c), 3) - 0.6408424234665104)).toBeLessThan(1e-12);
  });

  it('Kolchinsky-Tracey bounds', () => {
    const T: Samples = { n: 50, d: 2, data: Float64Array.from(i50.flatMap((_, k) => [xs[k], ys[k]])) };
    expect(Math.abs(kdeEntropy(T, 0.1, 'upper') - 2.449929059492609)).toBeLessThan(1e-12);
    expect(Math.abs(kdeEntropy(T, 0.1, 'lower') - 1.6450321673710901)).toBeLessThan(1e-12);
    expect(Math.abs(kdeNoiseEntropy(2, 0.1) - 0.5352919734152998)).toBeLessThan(1e-12);
    expect(Math.abs(kdeInputMI(T, 0.1, 'upper') - 1.9146370860773092)).toBeLessThan(1e-12);
    expect(Math.abs(kdeInputMI(T, 0.1, 'lower') - 1.1097401939557905)).toBeLessThan(1e-12);
  });
});

/** KSG by brute force: every distance computed, O(n^2 d). */
function ksgBrute(x: Samples, y: Samples, k: number, alg: 1 | 2): number {
  const n = x.n;
  const dist = (s: Samples, i: number, j: number) => {
    let m = 0;
    for (let q = 0; q < s.d; q++) m = Math.max(m, Math.abs(s.data[i * s.d + q] - s.data[j * s.d + q]));
    return m;
  };
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const joint: Array<[number, number]> = [];
    for (let j = 0; j < n; j++) if (j !== i) joint.push([Math.max(dist(x, i, j), dist(y, i, j)), j]);
    joint.sort((a, b) => a[0] - b[0]);
    if (alg === 1) {
      const eps = joint[k - 1][0];
      let nx = 0;
      let ny = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        if (dist(x, i, j) < eps) nx++;
        if (dist(y, i, j) < eps) ny++;
      }
      acc += digamma(nx + 1) + digamma(ny + 1);
    } else {
      let ex = 0;
      let ey = 0;
      for (let m = 0; m < k; m++) {
        ex = Math.max(ex, dist(x, i, joint[m][1]));
        ey = Math.max(ey, dist(y, i, joint[m][1]));
      }
      let nx = 0;
      let ny = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        if (dist(x, i, j) <= ex) nx++;
        if (dist(y, i, j) <= ey) ny++;
      }
      acc += digamma(nx) + digamma(ny);
    }
  }
  return (alg === 1 ? digamma(k) + digamma(n) : digamma(k) - 1 / k + digamma(n)) - acc / n;
}

function randomSamples(n: number, d: number, seed: number, mix?: Samples): Samples {
  const r = estRng(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) data[i] = r.normal() + (mix ? 0.7 * mix.data[Math.floor(i / d) * mix.d] : 0);
  return { n, d, data };
}

describe('KSG with trees equals brute force', () => {
  for (const [dx, dy] of [[1, 1], [3, 1], [2, 4]]) {
    for (const alg of [1, 2] as const) {
      for (const k of [1, 3, 7]) {
        it(`d = ${dx}+${dy}, KSG-${alg}, k = ${k}`, () => {
          const x = randomSamples(400, dx, 10 * dx + dy);
          const y = randomSamples(400, dy, 100 + dy, x);
          expect(Math.abs(ksgRaw(x, y, k, alg) - ksgBrute(x, y, k, alg))).toBeLessThan(1e-9);
        });
      }
    }
  }
});

describe('KT bounds from a shared distance matrix equal the direct ones', () => {
  it('upper, lower and label-conditional', async () => {
    const { pairwiseSqDist, kdeEntropyFromDistances, kdeLabelMIFromDistances, kdeLabelMI } = await import('../../../probes/estimators/kde.js');
    const { groupByLabel } = await import('../../../probes/estimators/mixed.js');
    const T: Samples = { n: 50, d: 2, data: Float64Array.from(i50.flatMap((_, k) => [xs[k], ys[k]])) };
    const D = pairwiseSqDist(T);
    for (const b of ['upper', 'lower'] as const) {
      expect(Math.abs(kdeEntropyFromDistances(D, 50, 2, 0.1, b) - kdeEntropy(T, 0.1, b))).toBeLessThan(1e-12);
      const groups = [...groupByLabel(s).values()];
      expect(Math.abs(kdeLabelMIFromDistances(D, 50, 2, groups, 0.1, b) - kdeLabelMI(T, s, 0.1, b))).toBeLessThan(1e-12);
    }
  });
});
