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
import { estimatorDefaults as D } from './defaults.js';
import { denseLabels, stratifiedFolds } from './folds.js';
import { cholesky, choleskySolve } from './linalg.js';
import { type ReducedLayer, reduceLayer } from './pca.js';
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

/**
 * The bound on the rows `rows` of a reduced layer (all rows when omitted): the reliability ladder
 * calls this on disjoint subsamples with the same projection.
 */
export function decoderBoundReduced(r: ReducedLayer, labels: Labels, o: DecoderOptions = {}, rows?: ArrayLike<number>): DecoderResult {
  const folds = o.folds ?? D.folds;
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
      const ws = w.subarray(s * q, s * q + q);
      choleskySolve(cov, q, mu.subarray(s * q, s * q + q), ws, sol);
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
  return decoderBoundReduced(reduceLayer(h, o.maxDims ?? D.decoderDims, o.seed ?? D.seed), labels, o);
}
