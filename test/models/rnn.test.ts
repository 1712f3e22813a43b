import { beforeAll, describe, expect, it } from 'vitest';
import { LeakyRnn, rnnSetup } from '../../models/rnn/leakyRnn.js';
import { initBackend } from '../../src/engine/backend.js';
import { getTask } from '../../tasks/registry.js';
import { stream, streamKey } from '../../src/core/rng.js';
import { defaultLayout } from '../../tasks/layout.js';

describe('LeakyRnn', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('initialises W_rec to 0.5 I (diag) and 0.5 x orthogonal (randortho)', () => {
    const d = new LeakyRnn(85, 33, rnnSetup({ hidden: 16 }), stream(1, 'weights'));
    expect(d.params.wRec[0]).toBe(0.5);
    expect(d.params.wRec[1]).toBe(0);
    const o = new LeakyRnn(85, 33, rnnSetup({ hidden: 16, recInit: 'randortho' }), stream(1, 'weights'));
    // (W / 0.5)^T (W / 0.5) = I
    const n = 16;
    for (const [i, j] of [[0, 0], [3, 3], [0, 5], [7, 2]]) {
      let s = 0;
      for (let k = 0; k < n; k++) s += o.params.wRec[k * n + i] * o.params.wRec[k * n + j] * 4;
      expect(s).toBeCloseTo(i === j ? 1 : 0, 5);
    }
  });

  it('lowers the loss on a small Go problem', () => {
    const m = new LeakyRnn(85, 33, rnnSetup({ hidden: 32, lr: 0.01 }), stream(2, 'weights'));
    const task = getTask('go');
    const lossAt = (k: number) => {
      const b = task.sample(32, stream(2, 'trials', 1000 + k), 'train', defaultLayout);
      return m.trainStep(b, { key: (i) => streamKey(2, 'noise', 1000 + k, i) }).loss;
    };
    const first: number[] = [];
    for (let k = 0; k < 5; k++) first.push(lossAt(k));
    for (let k = 5; k < 60; k++) lossAt(k);
    const last: number[] = [];
    for (let k = 60; k < 65; k++) last.push(lossAt(k));
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(last)).toBeLessThan(0.6 * mean(first));
  });

  it('round-trips its state: a restored model steps exactly like the original', () => {
    const opts = rnnSetup({ hidden: 24 });
    const a = new LeakyRnn(85, 33, opts, stream(3, 'weights'));
    const batch = (k: number) => getTask('go').sample(8, stream(3, 'trials', k), 'train', defaultLayout);
    const noise = (k: number) => ({ key: (i: number) => streamKey(3, 'noise', k, i) });
    for (let k = 0; k < 3; k++) a.trainStep(batch(k), noise(k));
    const b = new LeakyRnn(85, 33, opts, stream(99, 'weights'));
    const st = a.exportState();
    b.importState({ ...st, arrays: Object.fromEntries(Object.entries(st.arrays).map(([k, v]) => [k, v.slice()])) });
    expect(b.trainStep(batch(3), noise(3)).loss).toBe(a.trainStep(batch(3), noise(3)).loss);
    expect(b.params.wRec).toEqual(a.params.wRec);
  });
});
