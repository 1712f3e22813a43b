/**
 * Label-free reduction of a layer to its principal components above the noise: the components
 * whose variance a finite sample can tell from isotropic noise (above the Marchenko-Pastur edge).
 * Fitted without the labels, so a decoder that uses them stays a valid bound; computed once and
 * shared by every fold and every subsample of a reliability ladder.
 */
import { Xoshiro128 } from '../../src/core/rng.js';
import { orthonormalise, symmetricEigen } from './linalg.js';
import type { Samples } from './types.js';

/** The label-free part, computed once and shared by every subsample of a reliability ladder. */
export interface ReducedLayer {
  /** Projections [n, q] on the kept components. */
  z: Float64Array;
  n: number;
  q: number;
}

function centred(h: Samples): Float64Array {
  const { n, d, data } = h;
  const x = Float64Array.from(data);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i * d + j];
    m /= n;
    for (let i = 0; i < n; i++) x[i * d + j] -= m;
  }
  return x;
}

/**
 * Label-free reduction: the leading principal components by randomised subspace iteration, keeping
 * those whose variance lies above the Marchenko-Pastur edge sigma^2 (1 + sqrt(d / n))^2 of the
 * remaining (noise) variance.
 */
export function reduceLayer(h: Samples, maxDims: number, seed: number): ReducedLayer {
  const { n, d } = h;
  const x = centred(h);
  const k = Math.max(1, Math.min(maxDims + 8, d, n - 1));
  const rng = Xoshiro128.fromKey(`decoder-pca/${seed}`);
  // Y = X Omega, then a few rounds of Y = X X^T Y, orthonormalised: the top-k column space
  const y = new Float64Array(n * k);
  const omega = new Float64Array(d * k);
  for (let i = 0; i < omega.length; i++) omega[i] = rng.normal();
  const mulXB = (b: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
      const xv = x[i * d + j];
      if (xv === 0) continue;
      for (let c = 0; c < k; c++) out[i * k + c] += xv * b[j * k + c];
    }
  };
  const mulXtY = (yy: Float64Array, out: Float64Array) => {
    out.fill(0);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) {
      const xv = x[i * d + j];
      if (xv === 0) continue;
      for (let c = 0; c < k; c++) out[j * k + c] += xv * yy[i * k + c];
    }
  };
  mulXB(omega, y);
  orthonormalise(y, n, k);
  const b = new Float64Array(d * k);
  for (let it = 0; it < 2; it++) {
    mulXtY(y, b);
    orthonormalise(b, d, k);
    mulXB(b, y);
    orthonormalise(y, n, k);
  }
  // B = X^T Y spans the top right-singular space; covariance restricted to it: (B^T X^T X B) / (n - 1)
  mulXtY(y, b);
  orthonormalise(b, d, k);
  const xb = new Float64Array(n * k);
  mulXB(b, xb);
  const small = new Float64Array(k * k);
  for (let i = 0; i < n; i++) for (let p = 0; p < k; p++) for (let q = p; q < k; q++) small[p * k + q] += xb[i * k + p] * xb[i * k + q];
  for (let p = 0; p < k; p++) for (let q = p; q < k; q++) small[q * k + p] = small[p * k + q] /= n - 1;
  const { values, vectors } = symmetricEigen(small, k);
  let total = 0;
  for (let i = 0; i < x.length; i++) total += x[i] * x[i];
  total /= n - 1;
  const q = componentsAboveNoise(values, total, n, d, maxDims);
  const z = new Float64Array(n * q);
  for (let i = 0; i < n; i++) for (let c = 0; c < q; c++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += xb[i * k + p] * vectors[p * k + c];
    z[i * q + c] = s;
  }
  return { z, n, q };
}

/** Components above the Marchenko-Pastur edge, given the leading covariance eigenvalues and the total variance. */
function componentsAboveNoise(values: Float64Array, total: number, n: number, d: number, maxDims: number): number {
  let q = 0;
  for (let iter = 0; iter < 5; iter++) {
    let top = 0;
    for (let i = 0; i < q; i++) top += values[i];
    const sigma2 = d > q ? Math.max(0, total - top) / (d - q) : 0;
    const edge = sigma2 * (1 + Math.sqrt(d / n)) ** 2;
    let next = 0;
    while (next < Math.min(values.length, maxDims) && values[next] > edge) next++;
    if (next === q) break;
    q = next;
  }
  return Math.max(1, Math.min(q, maxDims, Math.floor(n / 5)));
}

/**
 * The same reduction from the samples' squared-distance matrix (which the KDE bounds compute anyway):
 * the centred Gram matrix is G = -J D J / 2, its eigenvectors scaled by sqrt(eigenvalue) are the
 * principal-component scores, and eigenvalue / (n - 1) is the component's variance. n x n work
 * instead of n x d: cheaper for a probe batch of 200 trials of a 256-unit layer.
 */
export function reduceFromDistances(dist: Float64Array, n: number, d: number, maxDims: number, seed: number): ReducedLayer {
  const g = new Float64Array(n * n);
  const rowMean = new Float64Array(n);
  let all = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += dist[i * n + j];
    rowMean[i] = s / n;
    all += s;
  }
  all /= n * n;
  let trace = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] = -0.5 * (dist[i * n + j] - rowMean[i] - rowMean[j] + all);
  for (let i = 0; i < n; i++) trace += g[i * n + i];
  const k = Math.max(1, Math.min(maxDims + 8, n - 1));
  const rng = Xoshiro128.fromKey(`decoder-pca/${seed}`);
  // the k vectors are stored one after the other (column-major), so every product below is a dot
  // product of two contiguous arrays
  const y = Float64Array.from({ length: k * n }, () => rng.normal());
  const next = new Float64Array(k * n);
  // four vectors per pass over a row of G (each sum still runs over j in order, so the results are
  // those of one vector at a time; G is read a quarter as often)
  const mulG = (src: Float64Array, out: Float64Array) => {
    let c = 0;
    for (; c + 4 <= k; c += 4) {
      const v0 = c * n, v1 = v0 + n, v2 = v1 + n, v3 = v2 + n;
      for (let i = 0; i < n; i++) {
        const gi = i * n;
        let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        for (let j = 0; j < n; j++) {
          const gij = g[gi + j];
          a0 += gij * src[v0 + j];
          a1 += gij * src[v1 + j];
          a2 += gij * src[v2 + j];
          a3 += gij * src[v3 + j];
        }
        out[v0 + i] = a0;
        out[v1 + i] = a1;
        out[v2 + i] = a2;
        out[v3 + i] = a3;
      }
    }
    for (; c < k; c++) {
      const v = c * n;
      for (let i = 0; i < n; i++) {
        const gi = i * n;
        let acc = 0;
        for (let j = 0; j < n; j++) acc += g[gi + j] * src[v + j];
        out[v + i] = acc;
      }
    }
  };
  const orthonormaliseColumns = (a: Float64Array) => orthonormalise(a, n, k, 1, n);
  orthonormaliseColumns(y);
  // three rounds of subspace iteration: two leave weak components under the noise edge (tested)
  for (let it = 0; it < 3; it++) {
    mulG(y, next);
    orthonormaliseColumns(next);
    y.set(next);
  }
  mulG(y, next);
  const small = new Float64Array(k * k);
  for (let p = 0; p < k; p++) for (let q = p; q < k; q++) {
    let acc = 0;
    for (let i = 0; i < n; i++) acc += y[p * n + i] * next[q * n + i];
    small[p * k + q] = acc;
  }
  for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) small[q * k + p] = small[p * k + q];
  const { values, vectors } = symmetricEigen(small, k);
  const variances = Float64Array.from(values, (v) => Math.max(0, v) / (n - 1));
  const q = componentsAboveNoise(variances, trace / (n - 1), n, d, maxDims);
  const z = new Float64Array(n * q);
  for (let c = 0; c < q; c++) {
    const scale = Math.sqrt(Math.max(0, values[c]));
    for (let i = 0; i < n; i++) {
      let u = 0;
      for (let p = 0; p < k; p++) u += y[p * n + i] * vectors[p * k + c];
      z[i * q + c] = u * scale;
    }
  }
  return { z, n, q };
}
