/** The reliability protocol: extrapolation, intervals that cover, verdicts that say why. */
import { describe, expect, it } from 'vitest';
import { copulaNormalize, gcmiContinuous, gcmiLabels, normalQuantile } from '../../../probes/estimators/copula.js';
import { estimate } from '../../../probes/estimators/estimate.js';
import { benjaminiHochberg, maxStatisticThreshold } from '../../../probes/estimators/multipleComparisons.js';
import { estRng } from '../../../probes/estimators/random.js';
import { reliabilityProtocol } from '../../../probes/estimators/reliability.js';
import type { Samples } from '../../../probes/estimators/types.js';

function gaussPair(n: number, rho: number, seed: number): { x: Samples; y: Samples } {
  const r = estRng(`rel/${seed}`);
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = r.normal();
    y[i] = rho * x[i] + Math.sqrt(1 - rho * rho) * r.normal();
  }
  return { x: { n, d: 1, data: x }, y: { n, d: 1, data: y } };
}

describe('reliability protocol', () => {
  it('removes a 1/n bias it can see on the ladder, and says the raw value was biased', () => {
    const truth = 0.7;
    const noise = estRng('bias');
    const f = (rows: Int32Array) => truth + 40 / rows.length + 0.002 * noise.normal();
    const n = 400;
    const r = reliabilityProtocol(f, n, { value: truth + 40 / n, bound: null, ceiling: null, rng: estRng('p'), strata: null, minPart: 10 });
    expect(r.corrected).toBeCloseTo(truth, 1);
    expect(r.ci95?.[0]).toBeLessThanOrEqual(truth);
    expect(r.ci95?.[1]).toBeGreaterThanOrEqual(truth);
    expect(r.reliability).toBe('biased');
    expect(r.reasons.join(' ')).toMatch(/finite-sample bias/);
    expect(r.ladder.map((p) => p.n)).toEqual([400, 200, 100]);
  });

  it('covers the truth of a bivariate Gaussian in at least 17 of 20 independent samples (KSG, n = 400)', () => {
    const truth = -0.5 * Math.log(1 - 0.75 ** 2);
    let covered = 0;
    for (let s = 0; s < 20; s++) {
      const { x, y } = gaussPair(400, 0.75, s);
      const e = estimate(x, y, { seed: s });
      if (e.ci95 && e.ci95[0] <= truth && truth <= e.ci95[1]) covered++;
    }
    // 95 % nominal: 17 or more of 20 happens with probability 0.98 if the coverage is really 95 %
    expect(covered).toBeGreaterThanOrEqual(17);
  });

  it('calls a value at its ceiling saturated, and a sample too small for a ladder unstable', () => {
    const lab = Int32Array.from({ length: 200 }, (_, i) => i % 4);
    const c: Samples = { n: 200, d: 1, data: Float64Array.from(lab, (l) => l * 10) };
    const sat = estimate(c, lab, { estimator: 'binning', bins: 4 });
    expect(sat.reliability).toBe('saturated');
    expect(sat.ceiling).toBeCloseTo(Math.log(4), 12);
    const { x, y } = gaussPair(15, 0.5, 1);
    const small = estimate(x, y);
    expect(small.reliability).toBe('unstable');
    expect(small.reasons?.join(' ')).toMatch(/too few samples .* for a sample-size ladder/);
  });

  it('reads k-NN in many dimensions as one-sided, and gives every estimate a verdict', () => {
    const r = estRng('hd');
    const n = 300;
    const x = Float64Array.from({ length: n * 4 }, () => r.normal());
    const y = Float64Array.from({ length: n * 4 }, (_, i) => x[i] + r.normal());
    const e = estimate({ n, d: 4, data: x }, { n, d: 4, data: y });
    expect(e.bound).toBe('lower');
    expect(e.ci95?.[1]).toBe(Infinity);
    expect(e.reasons?.join(' ')).toMatch(/8 dimensions is biased toward 0/);
  });
});

describe('Gaussian-copula MI', () => {
  it('normal quantiles to 1e-9', () => {
    for (const [p, z] of [[0.5, 0], [0.975, 1.959963984540054], [0.001, -3.090232306167813], [0.8413447460685429, 1]]) expect(normalQuantile(p)).toBeCloseTo(z, 9);
  });

  it('recovers a Gaussian MI, unchanged by monotone transforms of a margin', () => {
    const { x, y } = gaussPair(2000, 0.75, 9);
    const truth = -0.5 * Math.log(1 - 0.75 ** 2);
    const v = gcmiContinuous(x, y);
    expect(Math.abs(v - truth)).toBeLessThan(0.04);
    const cubed: Samples = { ...x, data: x.data.map((t) => t ** 3 + Math.exp(t)) };
    expect(gcmiContinuous(cubed, y)).toBe(v);
    expect(copulaNormalize(cubed).data).toEqual(copulaNormalize(x).data);
  });

  it('labels against a continuous variable: near I(S; S + noise) for 4 classes', () => {
    const r = estRng('gcl');
    const n = 4000;
    const lab = Int32Array.from({ length: n }, (_, i) => i % 4);
    const c: Samples = { n, d: 1, data: Float64Array.from(lab, (l) => l + 0.3 * r.normal()) };
    // well separated classes: the copula-normal part is most of ln 4
    const v = gcmiLabels(c, lab);
    expect(v).toBeGreaterThan(0.8);
    expect(v).toBeLessThan(Math.log(4));
  });
});

describe('multiple comparisons across neurons', () => {
  it('Benjamini-Hochberg keeps the step-up set', () => {
    const p = [0.001, 0.008, 0.039, 0.041, 0.042, 0.06, 0.074, 0.205, 0.212, 0.216];
    expect(Array.from(benjaminiHochberg(p, 0.05))).toEqual([1, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(benjaminiHochberg(p, 0.5)).reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('the max statistic is the (1 - alpha) quantile of the per-permutation maxima', () => {
    const R = 20;
    const N = 3;
    const nul = new Float32Array(R * N);
    for (let r = 0; r < R; r++) nul[r * N + (r % N)] = r; // maxima 0..19
    expect(maxStatisticThreshold(nul, R, N, 0.05)).toBe(18);
  });
});
