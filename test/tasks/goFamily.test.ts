import { describe, expect, it } from 'vitest';
import { getTask } from '../../tasks/registry.js';
import { stream } from '../../src/core/rng.js';
import { defaultLayout } from '../../tasks/layout.js';
import type { TrialBatch } from '../../tasks/types.js';

const L = defaultLayout;
const at = (b: TrialBatch, arr: Float32Array, t: number, trial: number, k: number, width: number) => arr[(t * b.B + trial) * width + k];
const noNoise = { noise: false };

describe('Go family, test mode (fixed timings)', () => {
  it('has the reference shapes, rule units and epochs', () => {
    const go = getTask('go').sample(40, stream(1, 'trials'), 'test', L, { ...noNoise, directions: 20 });
    expect([go.T, go.B, go.nIn, go.nOut]).toEqual([100, 40, 85, 33]);
    expect(go.epochs).toEqual({ fix1: [0, 25], stim1: [25, 75], go1: [75, 100] });
    expect(getTask('rtgo').sample(40, stream(1, 'trials'), 'test', L, noNoise).T).toBe(125);
    expect(getTask('dlygo').sample(40, stream(1, 'trials'), 'test', L, noNoise).T).toBe(125);
    for (const [name, rule] of [['go', 0], ['rtgo', 1], ['dlygo', 2], ['antigo', 3], ['antirtgo', 4], ['antidlygo', 5]] as const) {
      const b = getTask(name).sample(2, stream(1, 'trials'), 'test', L, noNoise);
      for (let r = 0; r < 20; r++) expect(at(b, b.x, 10, 0, 65 + r, 85)).toBe(r === rule ? 1 : 0);
    }
  });

  it('applies the cost mask with the grace period (go: fixation column 0 / 2 / 0 / 10)', () => {
    const b = getTask('go').sample(4, stream(1, 'trials'), 'test', L, noNoise);
    const fix = (t: number) => at(b, b.cMask, t, 0, 0, 33);
    const ring = (t: number) => at(b, b.cMask, t, 0, 5, 33);
    for (let t = 0; t < 5; t++) expect([fix(t), ring(t)]).toEqual([0, 0]);
    for (let t = 5; t < 75; t++) expect([fix(t), ring(t)]).toEqual([2, 1]);
    for (let t = 75; t < 80; t++) expect([fix(t), ring(t)]).toEqual([0, 0]);
    for (let t = 80; t < 100; t++) expect([fix(t), ring(t)]).toEqual([10, 5]);
  });

  it('sets targets: fixation 0.8 then 0.05, ring bump peaking at 0.85 at the response', () => {
    const b = getTask('go').sample(8, stream(1, 'trials'), 'test', L, noNoise);
    expect(at(b, b.y, 74, 0, 0, 33)).toBeCloseTo(0.8, 6);
    expect(at(b, b.y, 75, 0, 0, 33)).toBeCloseTo(0.05, 6);
    expect(at(b, b.y, 74, 0, 1, 33)).toBeCloseTo(0.05, 6);
    expect(at(b, b.y, 90, 0, 1, 33)).toBeCloseTo(0.85, 6); // trial 0: direction 0 -> ring unit 0
  });

  it('turns fixation off at the go cue, except in RT tasks; Dly stimulus is brief', () => {
    const go = getTask('go').sample(2, stream(1, 'trials'), 'test', L, noNoise);
    expect(at(go, go.x, 74, 0, 0, 85)).toBe(1);
    expect(at(go, go.x, 75, 0, 0, 85)).toBe(0);
    expect(at(go, go.x, 99, 0, 1, 85)).toBeCloseTo(0.8, 6); // stimulus stays on
    const rt = getTask('rtgo').sample(2, stream(1, 'trials'), 'test', L, noNoise);
    expect(at(rt, rt.x, 124, 0, 0, 85)).toBe(1);
    expect(rt.goStep).toBe(100);
    const dly = getTask('dlygo').sample(2, stream(1, 'trials'), 'test', L, noNoise);
    expect(at(dly, dly.x, 49, 0, 1, 85)).toBeCloseTo(0.8, 6);
    expect(at(dly, dly.x, 50, 0, 1, 85)).toBe(0);
    expect(dly.goStep).toBe(100);
  });

  it('rotates the Anti response by pi (stimulus at unit 0 -> target bump at unit 16)', () => {
    const b = getTask('antigo').sample(8, stream(1, 'trials'), 'test', L, noNoise);
    expect(b.stimDir[0]).toBe(0);
    expect(b.respDir[0]).toBeCloseTo(Math.PI, 12);
    expect(at(b, b.x, 30, 0, 1, 85)).toBeCloseTo(0.8, 6);
    expect(at(b, b.y, 90, 0, 1 + 16, 33)).toBeCloseTo(0.85, 6);
  });

  it('lays out directions evenly, modalities alternating, for probe batches', () => {
    const b = getTask('go').sample(200, stream(1, 'trials'), 'test', L, noNoise);
    const counts = new Map<number, number>();
    for (let i = 0; i < 200; i++) counts.set(b.dirIndex[i], (counts.get(b.dirIndex[i]) ?? 0) + 1);
    expect([...counts.values()]).toEqual(Array(8).fill(25));
    expect(b.stimDir[3]).toBeCloseTo((2 * Math.PI * 3) / 8, 12);
    expect([b.modality[0], b.modality[8], b.modality[16]]).toEqual([1, 2, 1]);
    // modality 2 trials put the stimulus on the second ring
    expect(at(b, b.x, 30, 8, 33, 85)).toBeCloseTo(0.8, 6);
    expect(at(b, b.x, 30, 8, 1, 85)).toBe(0);
  });

  it('adds input noise with sd 0.01*sqrt(2/alpha) = 0.0316 on every input', () => {
    const clean = getTask('go').sample(64, stream(3, 'trials'), 'test', L, noNoise);
    const noisy = getTask('go').sample(64, stream(3, 'trials'), 'test', L);
    let s = 0;
    for (let i = 0; i < clean.x.length; i++) s += (noisy.x[i] - clean.x[i]) ** 2;
    const sd = Math.sqrt(s / clean.x.length);
    // 544k draws: the sample sd is within 0.2 % of the truth with overwhelming probability
    expect(Math.abs(sd - 0.01 * Math.sqrt(10)) / (0.01 * Math.sqrt(10))).toBeLessThan(0.005);
  });
});

describe('Go family, train mode (random timings)', () => {
  it('draws trial lengths in the reference ranges, shared by the batch', () => {
    const ranges: Record<string, [number, number]> = { go: [65, 133], rtgo: [50, 149], dlygo: [60, 170] };
    for (const [name, [lo, hi]] of Object.entries(ranges)) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = 0; i < 400; i++) {
        const b = getTask(name).sample(2, stream(9, 'trials', i), 'train', L);
        min = Math.min(min, b.T);
        max = Math.max(max, b.T);
        expect(b.modality[0]).toBe(b.modality[1]);
        expect(b.goStep).toBe(b.T - 25);
      }
      expect(min).toBeGreaterThanOrEqual(lo);
      expect(max).toBeLessThanOrEqual(hi);
      expect(max - min).toBeGreaterThan((hi - lo) / 2);
    }
  });

  it('is deterministic: the same stream gives identical batches, another stream does not', () => {
    const a = getTask('dlygo').sample(16, stream(5, 'trials', 3), 'train', L);
    const b = getTask('dlygo').sample(16, stream(5, 'trials', 3), 'train', L);
    const c = getTask('dlygo').sample(16, stream(5, 'trials', 4), 'train', L);
    expect(b.x).toEqual(a.x);
    expect(b.stimDir).toEqual(a.stimDir);
    expect(c.stimDir).not.toEqual(a.stimDir);
  });
});
