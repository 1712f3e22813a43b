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

describe('bench train --pytorch: the comparison plumbing', () => {
  it('alternates rounds, passes the shape and threads on, and divides round by round', async () => {
    const { mkdtempSync, writeFileSync, chmodSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { benchTrainVsPytorch } = await import('../../src/bench/trainBench.js');
    // a stand-in for a Python with torch: answers the import check, logs its arguments and the
    // thread variables, and reports a 400 ms step (no real timing is asserted)
    const dir = mkdtempSync(join(tmpdir(), 'fake-python-'));
    const log = join(dir, 'calls.log');
    const fake = join(dir, 'python');
    writeFileSync(fake, `#!/bin/sh\nif [ "$1" = "-c" ]; then echo 9.9-fake; exit 0; fi\necho "$* OMP=$OMP_NUM_THREADS" >> ${log}\necho '{"ms_per_step": 400, "ms_min": 300, "threads": 1, "torch": "9.9-fake", "blas": "none", "repeats": 2}'\n`);
    chmodSync(fake, 0o755);
    const o = { ...trainBenchDefaults, hidden: 16, batch: 4, timeSteps: 5, repeats: 2, warmup: 0, threads: 1, backend: 'auto' as const };
    const r = await benchTrainVsPytorch(o, fake, 2, 1);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls).toHaveLength(2);
    expect(calls[0]).toMatch(/leaky_rnn_step\.py .*--batch 4 --time-steps 5 --hidden 16 .*--threads 1 .*OMP=1$/);
    expect(r.pytorch).toMatchObject({ ms_per_step: 400, ms_min: 300, torch: '9.9-fake', rounds: [400, 400] });
    expect(r.infoscope.rounds).toHaveLength(2);
    const ratios = r.infoscope.rounds.map((ms) => ms / 400).sort((a, b) => a - b);
    expect(r.ratio_median).toBeCloseTo((ratios[0] + ratios[1]) / 2, 3);
    expect(r.ratio_best).toBeCloseTo(r.infoscope.ms_min / 300, 3);
  });
});
