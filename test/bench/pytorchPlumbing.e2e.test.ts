/** bench train --pytorch with a stand-in Python (a child process): how the two sides are timed and compared. */
import { describe, expect, it } from 'vitest';
import { trainBenchDefaults } from '../../src/bench/defaults.js';

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
