/**
 * The permutation null of any estimator (docs/estimators.md, section 6): the pairing of x and y is
 * permuted `permutations` times; p = (1 + #{I_perm >= I}) / (1 + R).
 */
import { type EstRng, permutation } from './random.js';
import { type NullDistribution, type Variable, sizeOf, takeVariable } from './types.js';

export type PointEstimator = (x: Variable, y: Variable) => number;

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
