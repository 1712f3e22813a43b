/**
 * A cross-validated decoder bound on I(S; H) for a discrete S and a high-dimensional H (a whole
 * layer): for any decoder q(s | h) fitted without the labels it is scored on,
 *
 *   I(S; H) >= H(S) - E[-ln q(S | H)]          (Barber & Agakov; docs/estimators.md section 8)
 *
 * in expectation. The decoder is linear discriminant analysis in a reduced space:
 *   1. PCA of the centred layer, fitted WITHOUT the labels (on all samples: no label information can
 *      leak, so the bound stays valid), keeping the components above the Marchenko-Pastur edge of
 *      the noise spectrum (the ones a finite sample can tell from isotropic noise);
 *   2. class means and a pooled covariance per training fold, the covariance shrunk toward a scaled
 *      identity with the Ledoit-Wolf intensity;
 *   3. stratified K-fold cross-fitting: every sample is scored by a decoder that never saw it;
 *   4. one temperature on the held-out scores (an over-confident decoder would push the bound below
 *      zero; one scalar fitted on n scores costs about 1/(2n) nats of optimism).
 * A decoder that is not Bayes-optimal only loosens the bound; it never overstates the information.
 */
import { Xoshiro128 } from '../../src/core/rng.js';
import { type Labels, type Samples, EstimatorInputError } from './types.js';

interface DecoderOptions {
  /** Cross-fitting folds (5). */
  folds?: number;
  /** Most principal components kept (32). */
  maxDims?: number;
  seed?: number;
}

interface DecoderResult {
  /** H(S) - held-out cross-entropy, nats. */
  value: number;
  /** Plug-in entropy of the labels (the ceiling). */
  hS: number;
  /** Held-out cross-entropy after calibration. */
  crossEntropy: number;
  dims: number;
  temperature: number;
}

/** The label-free part, computed once and shared by every subsample of a reliability ladder. */
interface ReducedLayer {
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
 * Orthonormalise k vectors of length `rows` in place (modified Gram-Schmidt). Element r of vector c
 * sits at a[r * rowStride + c * vecStride]: (k, 1) for a row-major [rows, k] matrix, (1, rows) for
 * vectors stored one after the other.
 */
function orthonormalise(a: Float64Array, rows: number, k: number, rowStride = k, vecStride = 1): void {
  for (let c = 0; c < k; c++) {
    const vc = c * vecStride;
    for (let p = 0; p < c; p++) {
      const vp = p * vecStride;
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += a[vc + r * rowStride] * a[vp + r * rowStride];
      for (let r = 0; r < rows; r++) a[vc + r * rowStride] -= dot * a[vp + r * rowStride];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += a[vc + r * rowStride] * a[vc + r * rowStride];
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < rows; r++) a[vc + r * rowStride] /= norm;
  }
}

/** Jacobi eigen-decomposition of a small symmetric matrix: eigenvalues (descending) and vectors as columns. */
function symmetricEigen(m: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  let scale = 0;
  for (let i = 0; i < k * k; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q] ** 2;
    // converged relative to the matrix's size (an absolute threshold never triggers on large variances)
    if (off <= 1e-26 * scale) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p];
          const arq = a[r * k + q];
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r];
          const aqr = a[q * k + r];
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => a[j * k + j] - a[i * k + i]);
  const values = Float64Array.from(order, (i) => a[i * k + i]);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src];
  });
  return { values, vectors };
}

/**
 * Label-free reduction: the leading principal components by randomised subspace iteration, keeping
 * those whose variance lies above the Marchenko-Pastur edge sigma^2 (1 + sqrt(d / n))^2 of the
 * remaining (noise) variance.
 */
export function reduceLayer(h: Samples, maxDims = 32, seed = 0): ReducedLayer {
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
export function reduceFromDistances(dist: Float64Array, n: number, d: number, maxDims = 16, seed = 0): ReducedLayer {
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

/** Cholesky factor (lower, in place) of a small SPD matrix; false if it is not positive definite. */
function cholesky(a: Float64Array, q: number): boolean {
  for (let j = 0; j < q; j++) {
    let s = a[j * q + j];
    for (let k = 0; k < j; k++) s -= a[j * q + k] ** 2;
    if (!(s > 0)) return false;
    const piv = Math.sqrt(s);
    a[j * q + j] = piv;
    for (let i = j + 1; i < q; i++) {
      let t = a[i * q + j];
      for (let k = 0; k < j; k++) t -= a[i * q + k] * a[j * q + k];
      a[i * q + j] = t / piv;
    }
  }
  return true;
}

/** Stratified fold of every sample: each class spread evenly over the folds, in a seeded order. */
function stratifiedFolds(labels: Int32Array, m: number, folds: number, rng: Xoshiro128): Int32Array {
  const fold = new Int32Array(labels.length);
  for (let s = 0; s < m; s++) {
    const idx: number[] = [];
    labels.forEach((l, i) => l === s && idx.push(i));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    idx.forEach((i, r) => (fold[i] = r % folds));
  }
  return fold;
}

/** Dense codes 0..m-1 for arbitrary integer labels. */
function denseLabels(labels: Labels): { codes: Int32Array; m: number; counts: number[] } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  labels.forEach((l, i) => {
    if (!map.has(l)) map.set(l, map.size);
    codes[i] = map.get(l) as number;
  });
  const counts = new Array<number>(map.size).fill(0);
  for (const c of codes) counts[c]++;
  return { codes, m: map.size, counts };
}

/**
 * The bound on the rows `rows` of a reduced layer (all rows when omitted): the reliability ladder
 * calls this on disjoint subsamples with the same projection.
 */
export function decoderBoundReduced(r: ReducedLayer, labels: Labels, o: DecoderOptions = {}, rows?: ArrayLike<number>): DecoderResult {
  const folds = o.folds ?? 5;
  const idx = rows ? Array.from(rows) : Array.from({ length: r.n }, (_, i) => i);
  const n = idx.length;
  const { codes, m, counts } = denseLabels(Int32Array.from(idx, (i) => labels[i]));
  if (m < 2) throw new EstimatorInputError('the labels hold a single class: there is no information to decode');
  const fewest = Math.min(...counts);
  if (fewest < folds) throw new EstimatorInputError(`a class has ${fewest} samples, fewer than the ${folds} cross-validation folds the decoder needs`);
  const q = r.q;
  const z = new Float64Array(n * q);
  idx.forEach((src, i) => z.set(r.z.subarray(src * q, src * q + q), i * q));
  const fold = stratifiedFolds(codes, m, folds, Xoshiro128.fromKey(`decoder-folds/${o.seed ?? 0}`));
  const scores = new Float64Array(n * m);
  const mu = new Float64Array(m * q);
  const cnt = new Float64Array(m);
  const cov = new Float64Array(q * q);
  const res = new Float64Array(q);
  const sol = new Float64Array(q);
  const w = new Float64Array(m * q);
  const offset = new Float64Array(m);
  for (let f = 0; f < folds; f++) {
    mu.fill(0);
    cnt.fill(0);
    for (let i = 0; i < n; i++) {
      if (fold[i] === f) continue;
      cnt[codes[i]]++;
      for (let c = 0; c < q; c++) mu[codes[i] * q + c] += z[i * q + c];
    }
    for (let s = 0; s < m; s++) for (let c = 0; c < q; c++) mu[s * q + c] /= cnt[s];
    let nTrain = 0;
    cov.fill(0);
    let sumNorm4 = 0;
    for (let i = 0; i < n; i++) {
      if (fold[i] === f) continue;
      nTrain++;
      for (let c = 0; c < q; c++) {
        res[c] = z[i * q + c] - mu[codes[i] * q + c];
      }
      let nr = 0;
      for (let a = 0; a < q; a++) {
        nr += res[a] * res[a];
        for (let b = a; b < q; b++) cov[a * q + b] += res[a] * res[b];
      }
      sumNorm4 += nr * nr;
    }
    for (let a = 0; a < q; a++) for (let b = a; b < q; b++) cov[b * q + a] = cov[a * q + b] /= nTrain;
    // Ledoit-Wolf: shrink toward (tr S / q) I with intensity min(b2, d2) / d2
    let tr = 0;
    for (let a = 0; a < q; a++) tr += cov[a * q + a];
    const mu0 = tr / q;
    let d2 = 0;
    let sNorm2 = 0;
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) {
      const v = cov[a * q + b];
      sNorm2 += v * v;
      d2 += (v - (a === b ? mu0 : 0)) ** 2;
    }
    // sum_i ||r_i r_i^T - S||_F^2 = sum_i ||r_i||^4 - 2 sum_i r_i^T S r_i + n ||S||_F^2, and sum_i r_i^T S r_i = n ||S||_F^2
    const b2bar = Math.max(0, (sumNorm4 - nTrain * sNorm2) / (nTrain * nTrain));
    const shrink = d2 > 0 ? Math.min(1, b2bar / d2) : 1;
    for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) cov[a * q + b] = (1 - shrink) * cov[a * q + b] + (a === b ? shrink * mu0 + 1e-12 * (mu0 || 1) : 0);
    if (!cholesky(cov, q)) throw new EstimatorInputError('the layer has no variance left after centring: the decoder cannot be fitted');
    // LDA scores are linear in z: z^T Sigma^-1 mu_s - mu_s^T Sigma^-1 mu_s / 2 + ln pi_s (the quadratic
    // term in z is the same for every class and cancels in the softmax)
    for (let s = 0; s < m; s++) {
      // solve L L^T w = mu_s
      for (let a = 0; a < q; a++) {
        let t = mu[s * q + a];
        for (let b = 0; b < a; b++) t -= cov[a * q + b] * sol[b];
        sol[a] = t / cov[a * q + a];
      }
      for (let a = q - 1; a >= 0; a--) {
        let t = sol[a];
        for (let b = a + 1; b < q; b++) t -= cov[b * q + a] * w[s * q + b];
        w[s * q + a] = t / cov[a * q + a];
      }
      let mm = 0;
      for (let a = 0; a < q; a++) mm += mu[s * q + a] * w[s * q + a];
      offset[s] = -0.5 * mm + Math.log(cnt[s] / nTrain);
    }
    for (let i = 0; i < n; i++) {
      if (fold[i] !== f) continue;
      for (let s = 0; s < m; s++) {
        let g = offset[s];
        for (let a = 0; a < q; a++) g += z[i * q + a] * w[s * q + a];
        scores[i * m + s] = g;
      }
    }
  }
  const ce = (temp: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) {
      let mx = -Infinity;
      for (let s = 0; s < m; s++) mx = Math.max(mx, scores[i * m + s] / temp);
      let z0 = 0;
      for (let s = 0; s < m; s++) z0 += Math.exp(scores[i * m + s] / temp - mx);
      sum += mx + Math.log(z0) - scores[i * m + codes[i]] / temp;
    }
    return sum / n;
  };
  // golden-section search of the temperature on a log scale, [1/20, 50]
  let lo = Math.log(0.05);
  let hi = Math.log(50);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = ce(Math.exp(a));
  let fb = ce(Math.exp(b));
  for (let it = 0; it < 30; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = ce(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = ce(Math.exp(b));
    }
  }
  const temperature = Math.exp((lo + hi) / 2);
  const crossEntropy = ce(temperature);
  let hS = 0;
  for (const c of counts) hS -= (c / n) * Math.log(c / n);
  return { value: hS - crossEntropy, hS, crossEntropy, dims: q, temperature };
}

export function decoderBound(h: Samples, labels: Labels, o: DecoderOptions = {}): DecoderResult {
  return decoderBoundReduced(reduceLayer(h, o.maxDims ?? 32, o.seed ?? 0), labels, o);
}
