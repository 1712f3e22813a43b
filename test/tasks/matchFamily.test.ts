/** The matching tasks against values derived by hand from the spec (docs/yang-tasks.md). */
import { describe, expect, it } from 'vitest';
import { getTask } from '../../tasks/registry.js';
import { stream } from '../../src/core/rng.js';
import { defaultLayout as L } from '../../tasks/layout.js';
import type { TrialBatch } from '../../tasks/types.js';

const at = (b: TrialBatch, arr: Float32Array, t: number, trial: number, k: number, width: number) => arr[(t * b.B + trial) * width + k];
const X = (b: TrialBatch, t: number, trial: number, k: number) => at(b, b.x, t, trial, k, 85);
const Y = (b: TrialBatch, t: number, trial: number, k: number) => at(b, b.y, t, trial, k, 33);
const M = (b: TrialBatch, t: number, trial: number, k: number) => at(b, b.cMask, t, trial, k, 33);
const trialAt = (b: TrialBatch, g: number) => b.gridIndex.indexOf(g);
/** Ring unit k's bump for a strength-1 stimulus at theta. */
const bump = (theta: number, k: number) => {
  const d = Math.abs(theta - (2 * Math.PI * k) / 32);
  return 0.8 * Math.exp(-0.5 * (Math.min(d, 2 * Math.PI - d) / (Math.PI / 8)) ** 2);
};
const sample = (name: string) => getTask(name).sample(80, stream(1, 'trials'), 'test', L, { noise: false, directions: 20 });

describe('DMS / DNMS / DMC / DNMC, test grid (20 directions x ring 1 x ring 2 = 80 trials)', () => {
  it('has T = 135: sample over [25, 50), test stimulus from 110 to the end, the fixation input on throughout', () => {
    for (const [name, rule] of [['dms', 16], ['dnms', 17], ['dmc', 18], ['dnmc', 19]] as const) {
      const b = sample(name);
      expect([b.T, b.B, b.goStep]).toEqual([135, 80, 110]);
      expect(b.epochs).toEqual({ fix1: [0, 25], stim1: [25, 50], delay1: [50, 110], go1: [110, 135] });
      expect([...b.gridIndex].sort((a, c) => a - c)).toEqual(Array.from({ length: 80 }, (_, i) => i));
      // grid point (direction 0, sample in ring 1, test in ring 2) = 1
      const i = trialAt(b, 1);
      const s1 = Math.round((b.stimDir[i] / (2 * Math.PI)) * 32) % 32;
      const s2 = Math.round((b.stimDir2[i] / (2 * Math.PI)) * 32) % 32;
      expect(X(b, 30, i, 1 + s1)).toBeCloseTo(bump(b.stimDir[i], s1), 6);
      expect(X(b, 30, i, 33 + s1)).toBe(0);
      expect(X(b, 60, i, 1 + s1)).toBe(0);
      expect(X(b, 109, i, 33 + s2)).toBe(0);
      expect(X(b, 110, i, 33 + s2)).toBeCloseTo(bump(b.stimDir2[i], s2), 6);
      expect(X(b, 134, i, 33 + s2)).toBeCloseTo(bump(b.stimDir2[i], s2), 6);
      expect(X(b, 134, i, 0)).toBe(1);
      expect(X(b, 70, i, 65 + rule)).toBe(1);
      // every test trial asks for a response toward the test stimulus
      expect(b.respond.every((r) => r === 1)).toBe(true);
      expect(b.respDir[i]).toBe(b.stimDir2[i]);
      expect(Y(b, 120, i, 1 + s2)).toBeCloseTo(0.05 + bump(b.stimDir2[i], s2), 6);
      expect([Y(b, 109, i, 0), Y(b, 110, i, 0)].map((v) => +v.toFixed(6))).toEqual([0.8, 0.05]);
      for (const [t, w] of [[4, 0], [5, 1], [109, 1], [110, 0], [114, 0], [115, 5], [134, 5]]) expect([M(b, t, i, 0), M(b, t, i, 3)]).toEqual([2 * w, w]);
      expect([b.modality[i], b.strength[4 * i], b.strength[4 * i + 3]]).toEqual([1, 1, 1]);
    }
  });

  it('DMS tests a match (theta2 = theta1), DNMS the opposite direction', () => {
    const dms = sample('dms');
    const dnms = sample('dnms');
    const g = trialAt(dms, 4 * 7); // direction 7
    expect(dms.stimDir[g]).toBeCloseTo((2 * Math.PI * 7) / 20, 12);
    expect(dms.stimDir2[g]).toBe(dms.stimDir[g]);
    expect(dms.match[g]).toBe(1);
    const h = trialAt(dnms, 4 * 7);
    expect(dnms.stimDir2[h]).toBeCloseTo((2 * Math.PI * 7) / 20 + Math.PI, 12);
    expect(dnms.match[h]).toBe(0);
  });

  it('DMC places the samples at pi (0.10 + 0.08 i) below pi and pi (1.10 + 0.08 (i - 10)) above; DNMC tests the other category', () => {
    const dmc = sample('dmc');
    const dnmc = sample('dnmc');
    for (const [i, want] of [[0, 0.1], [3, 0.34], [9, 0.82], [10, 1.1], [12, 1.26], [19, 1.82]] as const) {
      const k = trialAt(dmc, 4 * i);
      expect(dmc.stimDir[k]).toBeCloseTo(want * Math.PI, 12);
      expect(dmc.stimDir2[k]).toBe(dmc.stimDir[k]);
      expect([dmc.category[2 * k], dmc.match[k]]).toEqual([i < 10 ? 0 : 1, 1]);
      const m = trialAt(dnmc, 4 * i);
      expect([dnmc.category[2 * m], dnmc.category[2 * m + 1], dnmc.match[m]]).toEqual([i < 10 ? 0 : 1, i < 10 ? 1 : 0, 0]);
    }
  });
});

describe('matching tasks, training draws', () => {
  it('draws T in the spec\'s ranges (DMS 55-165, DMC 40-170), rings per batch, matches about half the time', () => {
    for (const [name, lo, hi] of [['dms', 55, 165], ['dnms', 55, 165], ['dmc', 40, 170], ['dnmc', 40, 170]] as const) {
      let min = Infinity;
      let max = -Infinity;
      let matches = 0;
      let trials = 0;
      for (let s = 0; s < 300; s++) {
        const b = getTask(name).sample(16, stream(8, 'trials', s), 'train', L);
        min = Math.min(min, b.T);
        max = Math.max(max, b.T);
        for (let i = 0; i < 16; i++) {
          expect(b.strength.subarray(4 * i, 4 * i + 2).reduce((a, c) => a + c)).toBe(1);
          expect(b.modality[i]).toBe(b.modality[0]);
          const d = Math.abs(b.stimDir[i] - b.stimDir2[i]);
          const apart = Math.min(d, 2 * Math.PI - d);
          if (name.endsWith('ms')) {
            // a non-match is pi/9 to 17 pi/9 away
            if (b.match[i] === 0) expect(apart).toBeGreaterThanOrEqual(Math.PI / 9 - 1e-9);
            else expect(apart).toBe(0);
          } else {
            for (const th of [b.stimDir[i], b.stimDir2[i]]) expect([0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9].some((c) => Math.abs(c * Math.PI - th) < 1e-12)).toBe(true);
            expect(b.match[i]).toBe(b.category[2 * i] === b.category[2 * i + 1] ? 1 : 0);
          }
          // DMS and DMC respond to a match; DNMS and DNMC to a non-match
          expect(b.respond[i]).toBe(name.startsWith('dn') ? 1 - b.match[i] : b.match[i]);
          matches += b.match[i];
          trials++;
        }
      }
      expect(min).toBeGreaterThanOrEqual(lo);
      expect(max).toBeLessThanOrEqual(hi);
      expect(max - min).toBeGreaterThan((hi - lo) / 2);
      // 4,800 trials with p = 1/2: 5 standard deviations is 0.036
      expect(Math.abs(matches / trials - 0.5)).toBeLessThan(0.036);
    }
  });

  it('a no-go trial keeps the fixation target at 0.8 and the ring at 0.05 for the whole trial, with the go trial\'s cost mask', () => {
    const b = getTask('dms').sample(64, stream(3, 'trials', 1), 'train', L);
    const nogo = b.respond.indexOf(0);
    const go = b.respond.indexOf(1);
    expect(nogo).toBeGreaterThanOrEqual(0);
    for (let t = 0; t < b.T; t++) {
      expect(Y(b, t, nogo, 0)).toBeCloseTo(0.8, 6);
      for (let k = 1; k < 33; k++) expect(Y(b, t, nogo, k)).toBeCloseTo(0.05, 6);
      expect(M(b, t, nogo, 0)).toBe(M(b, t, go, 0));
    }
  });
});
