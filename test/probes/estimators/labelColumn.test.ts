import { describe, expect, it } from 'vitest';
import { binnedLabelMI, labelInfo, mixedLabelMI } from '../../../probes/estimators/labelColumn.js';
import { estimate } from '../../../probes/estimators/estimate.js';
import { mixedKsgRaw } from '../../../probes/estimators/mixed.js';
import { estRng } from '../../../probes/estimators/random.js';

describe('fast per-column label estimators equal the general ones', () => {
  const r = estRng(4);
  const n = 200;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 8);
  const info = labelInfo(labels);
  const columns: Array<[string, Float64Array]> = [
    ['tuned and noisy', Float64Array.from(labels, (s) => Math.cos(s) + 0.7 * r.normal())],
    ['rectified (many exact zeros)', Float64Array.from(labels, (s) => Math.max(0, Math.cos(s) + 0.5 * r.normal() - 0.5))],
    ['coarsely quantised (ties everywhere)', Float64Array.from(labels, (s) => Math.round(2 * Math.sin(s) + r.normal()))],
    ['independent of the label', Float64Array.from(labels, () => r.normal())],
  ];
  for (const [name, col] of columns) {
    it(`mixed KSG, ${name}`, () => {
      for (const k of [1, 3, 5]) {
        expect(Math.abs(mixedLabelMI(col, info, k) - mixedKsgRaw({ n, d: 1, data: col }, labels, k))).toBeLessThan(1e-12);
      }
    });
    it(`binning, ${name}`, () => {
      for (const bins of [2, 3, 8]) {
        for (const mm of [false, true]) {
          const general = estimate({ n, d: 1, data: col }, labels, { estimator: 'binning', bins, correction: mm ? 'miller-madow' : 'plugin' }).value;
          expect(Math.abs(binnedLabelMI(col, info, bins, mm) - general)).toBeLessThan(1e-12);
        }
      }
    });
  }

  it('a copy of the label carries ln 8; a constant carries 0', () => {
    expect(mixedLabelMI(Float64Array.from(labels), info, 3)).toBeGreaterThan(Math.log(8) - 0.1);
    expect(binnedLabelMI(Float64Array.from(labels), info, 8)).toBeCloseTo(Math.log(8), 12);
    expect(binnedLabelMI(new Float64Array(n).fill(2), info, 2)).toBe(0);
    // all ties: Gao's estimator gives ln N - psi(N) ~ 1/(2N), its known offset (ln N where KSG has psi(N))
    expect(mixedLabelMI(new Float64Array(n).fill(2), info, 3)).toBeCloseTo(Math.log(n) - (Math.log(n) - 1 / (2 * n) - 1 / (12 * n * n)), 8);
  });
});
