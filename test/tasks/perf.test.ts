import { describe, expect, it } from 'vitest';
import { taskPerf } from '../../tasks/perf.js';
import { getTask } from '../../tasks/registry.js';
import { ringEncode } from '../../tasks/ring.js';
import { stream } from '../../src/core/rng.js';
import { defaultLayout } from '../../tasks/layout.js';

/** Outputs that fixate before the go cue and then point at `dirs[b]`, releasing fixation to `fixEnd`. */
function handMade(T: number, B: number, go: number, dirs: number[], fixEnd: number[], breakAt?: number) {
  const out = new Float32Array(T * B * 33);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const o = (t * B + b) * 33;
      out[o] = t < go ? (t === breakAt ? 0.2 : 0.9) : fixEnd[b];
      if (t >= go) ringEncode(dirs[b], 32, 0.8, out, o + 1);
    }
  }
  return out;
}

describe('taskPerf', () => {
  const batch = getTask('go').sample(4, stream(1, 'trials'), 'test', defaultLayout, { noise: false, directions: 4 });
  const { T, B, goStep } = batch;
  const truth = Array.from(batch.respDir);

  it('counts a trial correct when fixation is released and the direction is within 0.2 pi', () => {
    const r = taskPerf(handMade(T, B, goStep, truth, [0.1, 0.1, 0.1, 0.1]), batch);
    expect(r.perf).toBe(1);
    expect(r.perfStrict).toBe(1);
  });

  it('fails trials that still fixate or point the wrong way', () => {
    const dirs = [truth[0] + 0.19 * Math.PI, truth[1] + 0.21 * Math.PI, truth[2], truth[3]];
    const r = taskPerf(handMade(T, B, goStep, dirs, [0.1, 0.1, 0.6, 0.5]), batch);
    // trial 0 within tolerance; 1 too far; 2 still fixating (0.6 > 0.5); 3 released (0.5 is not > 0.5)
    expect(Array.from(r.correct)).toEqual([1, 0, 0, 1]);
    expect(r.perf).toBe(0.5);
  });

  it('strict perf also requires holding fixation before the go cue', () => {
    const r = taskPerf(handMade(T, B, goStep, truth, [0.1, 0.1, 0.1, 0.1], 40), batch);
    expect(r.perf).toBe(1);
    expect(r.perfStrict).toBe(0);
    // a break during the unscored first 100 ms does not count
    expect(taskPerf(handMade(T, B, goStep, truth, [0.1, 0.1, 0.1, 0.1], 2), batch).perfStrict).toBe(1);
  });
});

describe('taskPerf on no-go trials (DMS and friends)', () => {
  // a training batch of DMS: about half the trials say "do not respond"
  const batch = getTask('dms').sample(64, stream(3, 'trials', 1), 'train', defaultLayout);
  const { T, B, goStep } = batch;
  const nogo = [...batch.respond].map((r, i) => (r === 0 ? i : -1)).filter((i) => i >= 0);

  it('counts a no-go trial correct iff the network still fixates at the last step', () => {
    expect(nogo.length).toBeGreaterThan(10);
    const fixEnd = [...batch.respond].map((r) => (r === 1 ? 0.1 : 0.9));
    const perfect = handMade(T, B, goStep, Array.from(batch.respDir), fixEnd);
    // handMade writes a ring bump after go for every trial; a no-go trial is judged by fixation alone
    const r = taskPerf(perfect, batch);
    expect(r.perf).toBe(1);
    const released = handMade(T, B, goStep, Array.from(batch.respDir), fixEnd.map(() => 0.1));
    const s = taskPerf(released, batch);
    expect(s.perf).toBeCloseTo((B - nogo.length) / B, 12);
    for (const i of nogo) expect(s.correct[i]).toBe(0);
  });

  it('the strict variant also asks a no-go trial to fixate over every scored step', () => {
    const fixEnd = [...batch.respond].map((r) => (r === 1 ? 0.1 : 0.9));
    // a dip of fixation after the go cue breaks only the no-go trials' strict score
    const out = handMade(T, B, goStep, Array.from(batch.respDir), fixEnd);
    for (const i of nogo) out[((goStep + 8) * B + i) * 33] = 0.2;
    const r = taskPerf(out, batch);
    expect(r.perf).toBe(1);
    expect(r.perfStrict).toBeCloseTo((B - nogo.length) / B, 12);
  });
});
