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
  const { n, d } = s;
  const out = Float64Array.from(s.data);
  for (let j = 0; j < d; j++) {
    if (standardize) {
      let m = 0;
      for (let i = 0; i < n; i++) m += out[i * d + j];
      m /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (out[i * d + j] - m) ** 2;
      const sd = Math.sqrt(v / Math.max(1, n - 1));
      if (sd > 0) for (let i = 0; i < n; i++) out[i * d + j] /= sd;
    }
    if (jitter > 0 && rng) {
      let ma = 0;
      for (let i = 0; i < n; i++) ma += Math.abs(out[i * d + j]);
      const scale = jitter * Math.max(1, ma / n);
      for (let i = 0; i < n; i++) out[i * d + j] += scale * rng.normal();
    }
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
