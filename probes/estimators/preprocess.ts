/** Preprocessing shared by the k-NN estimators. */
import type { EstRng } from './random.js';
import type { Samples } from './types.js';

/**
 * Scale every column to unit variance (MI is invariant to it, but the max-norm is not: a wide
 * coordinate would dominate the neighbour search), then add tiny Gaussian jitter,
 * jitter * max(1, mean|x|) * N(0, 1) per entry, to break ties (repeated values break the
 * "no two points at the same distance" assumption of KSG). Constant columns are left unscaled.
 */
export function standardizeAndJitter(s: Samples, standardize: boolean, jitter: number, rng: EstRng | null): Samples {
  const { n, d, data } = s;
  const out = new Float64Array(n * d);
  for (let j = 0; j < d; j++) {
    let sum = 0;
    let sumAbs = 0;
    for (let i = j; i < n * d; i += d) {
      sum += data[i];
      sumAbs += Math.abs(data[i]);
    }
    let sd = 1;
    if (standardize) {
      const m = sum / n;
      let v = 0;
      for (let i = j; i < n * d; i += d) v += (data[i] - m) * (data[i] - m);
      const sdev = Math.sqrt(v / Math.max(1, n - 1));
      if (sdev > 0) sd = sdev;
    }
    // one pass: scale, then jitter proportional to the scaled column's mean magnitude
    const scale = jitter > 0 && rng ? jitter * Math.max(1, sumAbs / sd / n) : 0;
    if (scale > 0 && rng) for (let i = j; i < n * d; i += d) out[i] = data[i] / sd + scale * rng.normal();
    else for (let i = j; i < n * d; i += d) out[i] = data[i] / sd;
  }
  return { n, d, data: out };
}

/** Columns of a and b side by side. */
export function hstack(a: Samples, b: Samples): Samples {
  const n = a.n;
  const d = a.d + b.d;
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    out.set(a.data.subarray(i * a.d, (i + 1) * a.d), i * d);
    out.set(b.data.subarray(i * b.d, (i + 1) * b.d), i * d + a.d);
  }
  return { n, d, data: out };
}

/** Number of columns whose values are all equal. */
export function constantColumns(s: Samples): number {
  let c = 0;
  for (let j = 0; j < s.d; j++) {
    const v0 = s.data[j];
    let same = true;
    for (let i = 1; i < s.n && same; i++) same = s.data[i * s.d + j] === v0;
    if (same) c++;
  }
  return c;
}

/** Beyond these magnitudes, squares and sums of squares overflow or lose their precision in float64. */
const TOO_LARGE = 1e100;
const TOO_SMALL = 1e-100;

/**
 * Columns whose values are so large or so small that variances and distances would overflow or
 * underflow, multiplied by a power of two that brings their largest magnitude near 1. The scaling is
 * exact in floating point, and MI does not change when a variable is rescaled. Returns the samples
 * (the input itself when nothing was extreme) and how many columns were rescaled.
 */
export function rescaleExtremeColumns(s: Samples): { samples: Samples; rescaled: number } {
  const { n, d, data } = s;
  let out: Float64Array | null = null;
  let rescaled = 0;
  for (let j = 0; j < d; j++) {
    let maxAbs = 0;
    for (let i = j; i < n * d; i += d) maxAbs = Math.max(maxAbs, Math.abs(data[i]));
    if (maxAbs === 0 || (maxAbs <= TOO_LARGE && maxAbs >= TOO_SMALL)) continue;
    out ??= Float64Array.from(data);
    const e = Math.round(Math.log2(maxAbs));
    // two factors: 2^-e alone can overflow or underflow for the extreme exponents
    const f1 = 2 ** -Math.trunc(e / 2);
    const f2 = 2 ** -(e - Math.trunc(e / 2));
    for (let i = j; i < n * d; i += d) out[i] = out[i] * f1 * f2;
    rescaled++;
  }
  return { samples: out ? { n, d, data: out } : s, rescaled };
}
