/**
 * Uncertainty for any estimator (docs/estimators.md, section 6).
 *
 * Interval: m-out-of-n subsampling WITHOUT replacement (a with-replacement bootstrap duplicates
 * points, puts them at distance zero and inflates every k-NN estimate). With m = n/2 the spread of
 * the subsample estimates around their mean, scaled by sqrt(m / (n - m)) (= 1 at m = n/2; the
 * finite-population factor for var ~ 1/n), estimates the sampling spread at n; the interval is the
 * point estimate plus the 2.5 and 97.5 % quantiles of those centred, scaled deviations. Centring on
 * the subsample mean keeps the interval from inheriting the extra small-sample bias of size m.
 *
 * Null: the pairing of x and y is permuted `permutations` times; p = (1 + #{I_perm >= I}) / (1 + R).
 */
import { type EstRng, permutation } from './random.js';
import { quantile } from './special.js';
import { type NullDistribution, type Variable, sizeOf, takeVariable } from './types.js';

export type PointEstimator = (x: Variable, y: Variable) => number;

export function subsampleInterval(f: PointEstimator, x: Variable, y: Variable, value: number, rng: EstRng, reps: number, fraction = 0.5): [number, number] {
  const n = sizeOf(x);
  const m = Math.max(2, Math.floor(fraction * n));
  const est: number[] = [];
  for (let r = 0; r < reps; r++) {
    const idx = permutation(n, rng).subarray(0, m);
    const v = f(takeVariable(x, idx), takeVariable(y, idx));
    if (Number.isFinite(v)) est.push(v);
  }
  if (est.length < 2) return [NaN, NaN];
  const mean = est.reduce((a, b) => a + b, 0) / est.length;
  const scale = Math.sqrt(m / (n - m));
  const dev = est.map((v) => (v - mean) * scale).sort((a, b) => a - b);
  return [value + quantile(dev, 0.025), value + quantile(dev, 0.975)];
}

export function permutationNull(f: PointEstimator, x: Variable, y: Variable, value: number, rng: EstRng, permutations: number): NullDistribution {
  const n = sizeOf(x);
  let sum = 0;
  let above = 0;
  for (let r = 0; r < permutations; r++) {
    const v = f(x, takeVariable(y, permutation(n, rng)));
    sum += v;
    if (v >= value) above++;
  }
  return { mean: sum / permutations, p: (1 + above) / (1 + permutations), permutations };
}
