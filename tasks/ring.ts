/** Ring (population) codes for directions, as in Yang et al. 2019. */

/** Width of the Gaussian tuning in circular distance: pi / 8 rad (22.5 degrees). */
export const TUNING_SD = Math.PI / 8;
/** Peak amplitude of a strength-1 stimulus and of the target bump above baseline. */
export const RING_PEAK = 0.8;
/** Baseline of every target unit. */
export const TARGET_BASELINE = 0.05;
/** Fixation-output target while fixation must be held (below 1 because the readout is a sigmoid). */
export const FIX_TARGET = 0.8;

const TWO_PI = 2 * Math.PI;

/** Smallest angle between two directions, in [0, pi]. */
export function circularDistance(a: number, b: number): number {
  const d = Math.abs(a - b) % TWO_PI;
  return Math.min(d, TWO_PI - d);
}

/** Preferred direction of unit k on a ring of n units: 2 pi k / n. */
export function preferredDirection(k: number, n: number): number {
  return (TWO_PI * k) / n;
}

/**
 * Gaussian tuning in wrapped distance: amplitude * exp(-d^2 / (2 (pi/8)^2)) for each unit.
 * Writes into `out` (length n) starting at `offset`, adding to what is there (two stimuli superpose).
 */
export function ringEncode(theta: number, n: number, amplitude = RING_PEAK, out?: Float32Array, offset = 0): Float32Array {
  const dst = out ?? new Float32Array(n);
  for (let k = 0; k < n; k++) {
    const d = circularDistance(theta, preferredDirection(k, n)) / TUNING_SD;
    dst[offset + k] += amplitude * Math.exp(-0.5 * d * d);
  }
  return dst;
}

/** Population-vector readout of a ring: atan2(sum y sin pref, sum y cos pref), mapped to [0, 2 pi). */
export function popVectorDecode(values: ArrayLike<number>, offset: number, n: number): number {
  let s = 0;
  let c = 0;
  for (let k = 0; k < n; k++) {
    const p = preferredDirection(k, n);
    s += values[offset + k] * Math.sin(p);
    c += values[offset + k] * Math.cos(p);
  }
  const a = Math.atan2(s, c);
  return a < 0 ? a + TWO_PI : a;
}

export function wrapAngle(a: number): number {
  const w = a % TWO_PI;
  return w < 0 ? w + TWO_PI : w;
}
