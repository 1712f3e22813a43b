import { describe, expect, it } from 'vitest';
import { estimate } from '../../../probes/estimators/estimate.js';
import { EstimatorInputError } from '../../../probes/estimators/types.js';

describe('estimate() validates its input once, at the door', () => {
  const bad: Array<[unknown, unknown, object, RegExp]> = [
    [[[1, 2], [3]], [1, 2], {}, /row 2 has 1 values/],
    [[1, 2, 3], [1, 2], {}, /x has 3 samples but y has 2/],
    [[1, 2, 3, 4], [1, 2, 3, 4], { k: 4 }, /needs more samples than neighbours: n = 4, k = 4/],
    [[1, NaN, 3, 4, 5], [1, 2, 3, 4, 5], {}, /x row 2 holds a non-finite value/],
    [[], [], {}, /no samples/],
    [Int32Array.from([0, 1, 0, 1]), [1, 2, 3, 4], { estimator: 'ksg' }, /needs continuous x and y/],
    [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { estimator: 'nope' }, /unknown estimator "nope"/],
    [[1, 2, 3, 4, 5], [1, 2, 3, 4, 5], { estimator: 'binning', bins: 1 }, /bins must be an integer >= 2/],
  ];
  for (const [x, y, o, re] of bad) {
    it(`rejects ${JSON.stringify([x, y, o]).slice(0, 60)}`, () => {
      expect(() => estimate(x as never, y as never, o)).toThrow(EstimatorInputError);
      expect(() => estimate(x as never, y as never, o)).toThrow(re);
    });
  }

  it('returns a plain typed result with its parameters and warnings', () => {
    const x = Array.from({ length: 60 }, (_, i) => Math.sin(i));
    const y = x.map((v, i) => v + 0.3 * Math.cos(7 * i));
    const e = estimate(x, y, { k: 4, seed: 2 });
    expect(e).toMatchObject({ estimator: 'ksg', unit: 'nats', n: 60, params: { k: 4, algorithm: 1, seed: 2 } });
    expect(e.warnings.join(' ')).toMatch(/small sample: n = 60/);
    expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});
