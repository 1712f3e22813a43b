/**
 * MI of jointly Gaussian variables from sample covariances, a baseline:
 *   I(X; Y) = (1/2) (ln det S_x + ln det S_y - ln det S_xy).
 * Exact for Gaussian data up to estimation error; blind to any non-linear dependence.
 */
import { hstack } from './preprocess.js';
import type { Samples } from './types.js';

function covariance(s: Samples): Float64Array {
  const { n, d, data } = s;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const c = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = data[i * d + a] - mean[a];
      for (let b = a; b < d; b++) c[a * d + b] += va * (data[i * d + b] - mean[b]);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      c[a * d + b] /= n - 1;
      c[b * d + a] = c[a * d + b];
    }
  }
  return c;
}

/** ln det of a symmetric positive-definite matrix by Cholesky; -Infinity if it is singular. */
export function logDetSpd(m: Float64Array, d: number): number {
  const l = Float64Array.from(m);
  let ld = 0;
  for (let j = 0; j < d; j++) {
    let s = l[j * d + j];
    for (let k = 0; k < j; k++) s -= l[j * d + k] ** 2;
    if (!(s > 0)) return -Infinity;
    const piv = Math.sqrt(s);
    l[j * d + j] = piv;
    ld += 2 * Math.log(piv);
    for (let i = j + 1; i < d; i++) {
      let t = l[i * d + j];
      for (let k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
      l[i * d + j] = t / piv;
    }
  }
  return ld;
}

export function gaussianMI(x: Samples, y: Samples): number {
  const lx = logDetSpd(covariance(x), x.d);
  const ly = logDetSpd(covariance(y), y.d);
  const j = hstack(x, y);
  const lj = logDetSpd(covariance(j), j.d);
  if (!Number.isFinite(lx) || !Number.isFinite(ly)) return NaN;
  if (!Number.isFinite(lj)) return Infinity;
  return 0.5 * (lx + ly - lj);
}
