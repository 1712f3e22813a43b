import { describe, expect, it } from 'vitest';
import { RING_PEAK, TUNING_SD, circularDistance, popVectorDecode, preferredDirection, ringEncode } from '../../tasks/ring.js';

describe('ringEncode', () => {
  it('peaks at the stimulus direction with amplitude 0.8', () => {
    const k = 7;
    const r = ringEncode(preferredDirection(k, 32), 32);
    expect(Array.from(r).indexOf(Math.max(...r))).toBe(k);
    expect(r[k]).toBeCloseTo(RING_PEAK, 6);
  });

  it('is a Gaussian of wrapped distance with sd pi/8', () => {
    const r = ringEncode(0, 32);
    // unit 2 sits at 22.5 degrees = exactly one sd away; unit 30 at -22.5 degrees (wrapped)
    expect(r[2]).toBeCloseTo(0.8 * Math.exp(-0.5), 6);
    expect(r[30]).toBeCloseTo(0.8 * Math.exp(-0.5), 6);
    expect(r[16]).toBeCloseTo(0.8 * Math.exp(-0.5 * (Math.PI / TUNING_SD) ** 2), 12);
    expect(r[16]).toBeLessThan(1e-6);
  });

  it('adds into an existing array (stimuli superpose)', () => {
    const out = new Float32Array(34);
    ringEncode(0, 32, 0.8, out, 1);
    ringEncode(0, 32, 0.8, out, 1);
    expect(out[1]).toBeCloseTo(1.6, 6);
    expect(out[0]).toBe(0);
  });

  it('is decoded back by the population vector', () => {
    for (const theta of [0, 0.3, 2, 3.1, 5.9]) {
      expect(circularDistance(popVectorDecode(ringEncode(theta, 32), 0, 32), theta)).toBeLessThan(1e-5);
    }
  });

  it('circular distance wraps around', () => {
    expect(circularDistance(0.1, 2 * Math.PI - 0.1)).toBeCloseTo(0.2, 12);
    expect(circularDistance(0, Math.PI)).toBeCloseTo(Math.PI, 12);
  });
});
