/** What the training benchmark counts (its timings are measured by `infoscope bench train`, never in tests). */
import { describe, expect, it } from 'vitest';
import { trainBenchDefaults } from '../../src/bench/defaults.js';
import { stepFlops } from '../../src/bench/trainBench.js';

describe('bench train: FLOP count', () => {
  it('counts 2mkn per product: forward input, recurrence and readout; backward readout, recurrence and three weight gradients', () => {
    // T = 2, B = 1, N = 1, nIn = 1, nOut = 1: 8 products of one multiply-add each, recurrence once per direction
    expect(stepFlops(2, 1, 1, 1, 1)).toBe(2 * (2 + 1 + 2) + 2 * (2 + 1 + 2 + 2 + 2));
  });

  it('puts the standard shape at the 2.02 GFLOP the README quotes', () => {
    const { timeSteps, batch, hidden, inputs, outputs } = trainBenchDefaults;
    expect(stepFlops(timeSteps, batch, hidden, inputs, outputs) / 1e9).toBeCloseTo(2.02, 2);
  });
});
