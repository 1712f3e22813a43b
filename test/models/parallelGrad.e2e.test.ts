/** The wasm path's two-thread step (a worker thread computes half the batch): the whole batch's gradient. */
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/engine/backend.js';
import { stream } from '../../src/core/rng.js';
import { relErr } from './rnnReference.js';

describe('a batch split across two threads', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('gives the gradient of the whole batch (summation order aside)', async () => {
    const { LeakyRnn, rnnSetup } = await import('../../models/rnn/leakyRnn.js');
    const { getTask } = await import('../../tasks/registry.js');
    const { defaultLayout } = await import('../../tasks/layout.js');
    const { streamKey } = await import('../../src/core/rng.js');
    const opts = rnnSetup({ hidden: 24, l1Rate: 1e-3, l2Weight: 1e-3 });
    const one = new LeakyRnn(85, 33, { ...opts, threads: 1 }, stream(6, 'weights'));
    const two = new LeakyRnn(85, 33, { ...opts, threads: 2 }, stream(6, 'weights'));
    const batch = getTask('go').sample(9, stream(6, 'trials'), 'train', defaultLayout);
    const noise = { key: (b: number) => streamKey(6, 'noise', 0, b) };
    const before = one.params.wRec.slice();
    const a = one.trainStep(batch, noise);
    const b = two.trainStep(batch, noise);
    two.dispose();
    expect(Math.abs(a.loss - b.loss) / a.loss).toBeLessThan(1e-6);
    expect(Math.abs(a.gradNorm - b.gradNorm) / a.gradNorm).toBeLessThan(1e-5);
    // identical first Adam moments <=> identical clipped gradients (up to float32 round-off)
    expect(relErr(two.adam.m.wRec, one.adam.m.wRec)).toBeLessThan(1e-5);
    expect(relErr(two.adam.m.wIn, one.adam.m.wIn)).toBeLessThan(1e-5);
    expect(one.params.wRec).not.toEqual(before);
  });
});
