/**
 * The decision-making tasks against values derived by hand from the spec (docs/yang-tasks.md): test
 * grids (directions, strengths, epochs, targets, cost mask, the tie rule) and training draws.
 */
import { describe, expect, it } from 'vitest';
import { getTask } from '../../tasks/registry.js';
import { stream } from '../../src/core/rng.js';
import { defaultLayout as L } from '../../tasks/layout.js';
import type { TrialBatch } from '../../tasks/types.js';

const noNoise = { noise: false, directions: 20 };
const at = (b: TrialBatch, arr: Float32Array, t: number, trial: number, k: number, width: number) => arr[(t * b.B + trial) * width + k];
const X = (b: TrialBatch, t: number, trial: number, k: number) => at(b, b.x, t, trial, k, 85);
const Y = (b: TrialBatch, t: number, trial: number, k: number) => at(b, b.y, t, trial, k, 33);
const M = (b: TrialBatch, t: number, trial: number, k: number) => at(b, b.cMask, t, trial, k, 33);
/** The trial holding grid point g. */
const trialAt = (b: TrialBatch, g: number) => b.gridIndex.indexOf(g);
/** Ring unit k's bump for a stimulus of strength s at direction theta (a distance of pi contributes 0.8 s e^-32). */
const bump = (s: number, theta: number, k: number) => {
  const d = Math.min(Math.abs(theta - (2 * Math.PI * k) / 32), 2 * Math.PI - Math.abs(theta - (2 * Math.PI * k) / 32));
  return 0.8 * s * Math.exp(-0.5 * (d / (Math.PI / 8)) ** 2);
};
const sample = (name: string, n: number, seed = 1) => getTask(name).sample(n, stream(seed, 'trials'), 'test', L, noNoise);

describe('DM 1 / DM 2, test grid (20 directions x 5 strengths = 100 trials)', () => {
  it('has T = 125, stimuli over [25, 100), the go cue at 100, and the rule unit of slot 6 / 7', () => {
    for (const [name, ring, rule] of [['dm1', 1, 6], ['dm2', 2, 7]] as const) {
      const b = sample(name, 100);
      expect([b.T, b.B, b.goStep]).toEqual([125, 100, 100]);
      expect(b.epochs).toEqual({ fix1: [0, 25], stim1: [25, 100], go1: [100, 125] });
      expect([...b.gridIndex].sort((a, c) => a - c)).toEqual(Array.from({ length: 100 }, (_, i) => i));
      // grid point 0: direction 0 (theta1 = 0, theta2 = pi), s1 = 0.8, s2 = 1.2 in the task's ring
      const i = trialAt(b, 0);
      const unit = (k: number) => 1 + (ring - 1) * 32 + k;
      expect(X(b, 24, i, unit(0))).toBe(0);
      expect(X(b, 25, i, unit(0))).toBeCloseTo(0.8 * 0.8 + bump(1.2, Math.PI, 0), 6);
      expect(X(b, 99, i, unit(16))).toBeCloseTo(1.2 * 0.8, 6);
      expect(X(b, 100, i, unit(16))).toBe(0);
      expect(X(b, 50, i, 1 + (2 - ring) * 32 + 16)).toBe(0); // the other ring is empty
      expect([X(b, 99, i, 0), X(b, 100, i, 0)]).toEqual([1, 0]);
      expect(X(b, 60, i, 65 + rule)).toBe(1);
      // s2 > s1: respond to pi (ring unit 16) after the go cue
      expect(b.respDir[i]).toBeCloseTo(Math.PI, 12);
      expect(Y(b, 110, i, 1 + 16)).toBeCloseTo(0.85, 6);
      expect([Y(b, 99, i, 0), Y(b, 100, i, 0)].map((v) => +v.toFixed(6))).toEqual([0.8, 0.05]);
      // grid point 4 (s1 = 1.12 > 0.88): respond to theta1 = 0; grid point 5*7 + 2: direction 7, s1 = 0.96 < 1.04
      expect(b.respDir[trialAt(b, 4)]).toBe(0);
      const g = trialAt(b, 37);
      expect(b.stimDir[g]).toBeCloseTo((2 * Math.PI * 7) / 20, 12);
      expect(b.respDir[g]).toBeCloseTo((2 * Math.PI * 7) / 20 + Math.PI, 12);
      expect(b.strength.slice(4 * g, 4 * g + 4)).toEqual(ring === 1 ? new Float64Array([(0.4 * 2) / 5 + 0.8, 0, 2 - ((0.4 * 2) / 5 + 0.8), 0]) : new Float64Array([0, (0.4 * 2) / 5 + 0.8, 0, 2 - ((0.4 * 2) / 5 + 0.8)]));
    }
  });

  it('weighs errors 0 / 1 / 0 / 5 (fixation output twice that) around the go cue', () => {
    const b = sample('dm1', 100);
    for (let t = 0; t < 125; t++) {
      const w = t < 5 ? 0 : t < 100 ? 1 : t < 105 ? 0 : 5;
      expect([M(b, t, 3, 0), M(b, t, 3, 9)]).toEqual([2 * w, w]);
    }
  });
});

describe('Ctx DM and MultSen DM, test grid (20 x 5 x 5 = 500 trials)', () => {
  it('shows both rings over [25, 75), go at 75, T = 100; Ctx DM 1 follows ring 1, Ctx DM 2 ring 2', () => {
    // grid point (direction 0, j1 = 0, j2 = 4): ring 1 has 0.8 vs 1.2 (pi wins), ring 2 1.12 vs 0.88 (0 wins)
    for (const [name, want] of [['ctxdm1', Math.PI], ['ctxdm2', 0]] as const) {
      const b = sample(name, 500);
      expect([b.T, b.goStep]).toEqual([100, 75]);
      expect(b.epochs).toEqual({ fix1: [0, 25], stim1: [25, 75], go1: [75, 100] });
      const i = trialAt(b, 4);
      expect(X(b, 30, i, 1 + 0)).toBeCloseTo(0.8 * 0.8 + bump(1.2, Math.PI, 0), 6);
      expect(X(b, 30, i, 33 + 0)).toBeCloseTo(1.12 * 0.8 + bump(0.88, Math.PI, 0), 6);
      expect(X(b, 75, i, 33 + 0)).toBe(0);
      expect(b.respDir[i]).toBeCloseTo(want, 12);
      expect(b.modality[i]).toBe(name === 'ctxdm1' ? 1 : 2);
    }
  });

  it('MultSen DM compares summed strengths; the 80 exact ties (sum 2.0 each) go to the second stimulus', () => {
    const b = sample('multidm', 500);
    let second = 0;
    let ties = 0;
    for (let i = 0; i < 500; i++) {
      const s = b.strength.subarray(4 * i, 4 * i + 4);
      if (s[0] + s[1] === s[2] + s[3]) {
        ties++;
        expect(b.respDir[i]).toBe(b.stimDir2[i]);
      }
      if (b.respDir[i] === b.stimDir2[i]) second++;
    }
    expect(ties).toBe(80);
    // a_j = 0.8 + 0.08 j: ring sums below 2 for j1 + j2 < 5 (15 of 25 pairs), ties at j1 + j2 = 5 (4 pairs): 19 x 20
    expect(second).toBe(380);
    // grid point (direction 0, j1 = 1, j2 = 4): 0.88 + 1.12 = 1.12 + 0.88 = 2.0
    expect(b.respDir[trialAt(b, 9)]).toBeCloseTo(Math.PI, 12);
  });
});

describe('Dly DM and Ctx Dly DM, test grids', () => {
  it('Dly DM 1: T = 150, stimulus 1 over [25, 50), stimulus 2 over [100, 125), go at 135, strengths 0.5 + 0.2 j', () => {
    const b = sample('dlydm1', 100);
    expect([b.T, b.B, b.goStep]).toEqual([150, 100, 135]);
    expect(b.epochs).toEqual({ fix1: [0, 25], stim1: [25, 50], delay1: [50, 100], stim2: [100, 125], delay2: [125, 135], go1: [135, 150] });
    const i = trialAt(b, 0); // s1 = 0.5, s2 = 1.5
    expect(X(b, 30, i, 1)).toBeCloseTo(0.5 * 0.8, 6);
    expect(X(b, 30, i, 17)).toBeCloseTo(bump(0.5, 0, 16), 6);
    expect(X(b, 60, i, 1)).toBe(0);
    expect(X(b, 110, i, 17)).toBeCloseTo(1.5 * 0.8, 6);
    expect([X(b, 134, i, 0), X(b, 135, i, 0)]).toEqual([1, 0]);
    expect(b.respDir[i]).toBeCloseTo(Math.PI, 12);
    expect(b.respDir[trialAt(b, 3)]).toBe(0); // s1 = 1.1 > 0.9
  });

  it('Ctx Dly DM and MultSen Dly DM: T = 175, go at 150, 500 trials on the 0.8 ... 1.12 grid', () => {
    for (const name of ['ctxdlydm1', 'ctxdlydm2', 'multidlydm']) {
      const b = sample(name, 500);
      expect([b.T, b.B, b.goStep]).toEqual([175, 500, 150]);
      expect(b.epochs.stim2).toEqual([100, 125]);
      const i = trialAt(b, 4);
      expect(b.strength[4 * i]).toBeCloseTo(0.8, 12);
      expect(b.strength[4 * i + 1]).toBeCloseTo(1.12, 12);
    }
  });
});

describe('DM family, training draws', () => {
  const ranges: Record<string, [number, number]> = { dm1: [50, 124], ctxdm2: [50, 124], multidm: [50, 124], dlydm1: [70, 209], ctxdlydm1: [70, 209], multidlydm: [70, 209] };
  it('draws trial lengths in the spec\'s ranges, directions 90-270 degrees apart, strengths mean +- coherence', () => {
    for (const [name, [lo, hi]] of Object.entries(ranges)) {
      let min = Infinity;
      let max = -Infinity;
      const delayed = name.includes('dly');
      for (let s = 0; s < 300; s++) {
        const b = getTask(name).sample(8, stream(4, 'trials', s), 'train', L);
        min = Math.min(min, b.T);
        max = Math.max(max, b.T);
        expect(b.gridIndex.every((g) => g === -1)).toBe(true);
        for (let i = 0; i < 8; i++) {
          const d = Math.abs(b.stimDir[i] - b.stimDir2[i]);
          const apart = Math.min(d, 2 * Math.PI - d);
          expect(apart).toBeGreaterThanOrEqual(Math.PI / 2 - 1e-9);
          const st = b.strength.subarray(4 * i, 4 * i + 4);
          if (name.startsWith('multi')) {
            // each stimulus s +- diff / 2 with |diff| <= 0.8 s: its two rings sum to s in [0.8 - coh, 1.2 + coh]
            for (const j of [0, 2]) expect(st[j] + st[j + 1]).toBeGreaterThanOrEqual(0.8 - (delayed ? 0.32 : 0.08) - 1e-12);
            expect(Math.min(...st)).toBeGreaterThan(0);
          } else {
            const rings = name.startsWith('ctx') ? [0, 1] : [name.endsWith('2') ? 1 : 0];
            for (const r of rings) {
              const coh = Math.abs(st[r] - st[2 + r]) / 2;
              expect((delayed ? [0.08, 0.16, 0.32] : [0.01, 0.02, 0.04, 0.08]).some((c) => Math.abs(c - coh) < 1e-9)).toBe(true);
              const mean = (st[r] + st[2 + r]) / 2;
              expect(mean).toBeGreaterThanOrEqual(0.8);
              expect(mean).toBeLessThan(1.2);
            }
          }
        }
      }
      expect(min).toBeGreaterThanOrEqual(lo);
      expect(max).toBeLessThanOrEqual(hi);
      expect(max - min).toBeGreaterThan((hi - lo) / 2);
    }
  });

  it('is reproducible from the stream, and responds toward the stronger stimulus', () => {
    const a = getTask('ctxdm1').sample(32, stream(2, 'trials', 7), 'train', L);
    const b = getTask('ctxdm1').sample(32, stream(2, 'trials', 7), 'train', L);
    expect(b.x).toEqual(a.x);
    expect(b.strength).toEqual(a.strength);
    for (let i = 0; i < 32; i++) expect(a.respDir[i]).toBe(a.strength[4 * i] > a.strength[4 * i + 2] ? a.stimDir[i] : a.stimDir2[i]);
  });
});
