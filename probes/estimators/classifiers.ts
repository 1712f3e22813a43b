/**
 * The Gaussian classifiers the decoder bound is built from, fitted on a subset of rows of a
 * feature matrix [n, q] and scoring any row: log p(s | z) up to a constant shared by the classes.
 *
 * - shrinkage LDA: class means and one pooled covariance, shrunk toward a scaled identity with the
 *   Ledoit-Wolf intensity; linear in z (docs/estimators.md section 8);
 * - regularised QDA (Friedman 1989): one covariance per class, shrunk toward the pooled one by
 *   `lambda` and then toward a scaled identity by Ledoit-Wolf; quadratic in z, so it sees classes
 *   that differ in variance or correlation rather than in mean (gain, antipodal and XOR codes).
 */
import { cholesky, choleskySolve } from './linalg.js';

/** A fitted classifier: writes log p(s | z_i) + const for s = 0..m-1 at out[o..o+m), for row i of the features it was fitted on. */
export interface Classifier {
  score(i: number, out: Float64Array, o: number): void;
}

interface Moments {
  mu: Float64Array;
  cnt: Float64Array;
  nTrain: number;
}

export function classMeans(x: Float64Array, q: number, rows: Int32Array, codes: Int32Array, m: number): Moments {
  const mu = new Float64Array(m * q);
  const cnt = new Float64Array(m);
  for (const i of rows) {
    const s = codes[i];
    cnt[s]++;
    for (let c = 0; c < q; c++) mu[s * q + c] += x[i * q + c];
  }
  for (let s = 0; s < m; s++) if (cnt[s] > 0) for (let c = 0; c < q; c++) mu[s * q + c] /= cnt[s];
  return { mu, cnt, nTrain: rows.length };
}

/**
 * Ledoit-Wolf shrinkage of a covariance (q x q, in place) estimated from residuals whose sum of
 * squared norms squared is `sumNorm4` over `n` rows: toward (tr S / q) I with intensity
 * min(b2, d2) / d2. A tiny ridge keeps it positive definite.
 */
export function shrinkLedoitWolf(cov: Float64Array, q: number, n: number, sumNorm4: number): void {
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
  // sum_i ||r_i r_i^T - S||_F^2 = sum_i ||r_i||^4 - n ||S||_F^2
  const b2bar = Math.max(0, (sumNorm4 - n * sNorm2) / (n * n));
  const shrink = d2 > 0 ? Math.min(1, b2bar / d2) : 1;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) cov[a * q + b] = (1 - shrink) * cov[a * q + b] + (a === b ? shrink * mu0 + 1e-12 * (mu0 || 1) : 0);
}

/** Covariance of the residuals from the class means over `rows` (of class `only`, or all), with the sum of ||r||^4. */
function residualCov(x: Float64Array, q: number, rows: Int32Array, codes: Int32Array, mu: Float64Array, only = -1): { cov: Float64Array; n: number; norm4: number } {
  const cov = new Float64Array(q * q);
  const res = new Float64Array(q);
  let n = 0;
  let norm4 = 0;
  for (const i of rows) {
    const s = codes[i];
    if (only >= 0 && s !== only) continue;
    n++;
    let nr = 0;
    for (let c = 0; c < q; c++) {
      res[c] = x[i * q + c] - mu[s * q + c];
      nr += res[c] * res[c];
    }
    norm4 += nr * nr;
    for (let a = 0; a < q; a++) {
      const ra = res[a];
      for (let b = a; b < q; b++) cov[a * q + b] += ra * res[b];
    }
  }
  for (let a = 0; a < q; a++) for (let b = a; b < q; b++) cov[b * q + a] = cov[a * q + b] /= Math.max(1, n);
  return { cov, n, norm4 };
}

/** Shrinkage LDA on the rows `rows`. */
export function fitLda(x: Float64Array, q: number, rows: Int32Array, codes: Int32Array, m: number): Classifier {
  const { mu, cnt, nTrain } = classMeans(x, q, rows, codes, m);
  const { cov, n, norm4 } = residualCov(x, q, rows, codes, mu);
  shrinkLedoitWolf(cov, q, n, norm4);
  if (!cholesky(cov, q)) throw new Error('the features have no variance left after centring');
  // scores linear in z: z^T Sigma^-1 mu_s - mu_s^T Sigma^-1 mu_s / 2 + ln pi_s
  const w = new Float64Array(m * q);
  const offset = new Float64Array(m);
  const tmp = new Float64Array(q);
  for (let s = 0; s < m; s++) {
    const ws = w.subarray(s * q, s * q + q);
    choleskySolve(cov, q, mu.subarray(s * q, s * q + q), ws, tmp);
    let mm = 0;
    for (let a = 0; a < q; a++) mm += mu[s * q + a] * ws[a];
    offset[s] = cnt[s] > 0 ? -0.5 * mm + Math.log(cnt[s] / nTrain) : -Infinity;
  }
  return {
    score(i, out, o) {
      for (let s = 0; s < m; s++) {
        let g = offset[s];
        for (let a = 0; a < q; a++) g += x[i * q + a] * w[s * q + a];
        out[o + s] = g;
      }
    },
  };
}

/** Regularised QDA: each class's covariance (1 - lambda) S_s + lambda S_pooled, then Ledoit-Wolf toward a scaled identity. */
export function fitRda(x: Float64Array, q: number, rows: Int32Array, codes: Int32Array, m: number, lambda: number): Classifier {
  const { mu, cnt, nTrain } = classMeans(x, q, rows, codes, m);
  const pooled = residualCov(x, q, rows, codes, mu);
  const chol: Float64Array[] = [];
  const logNorm = new Float64Array(m);
  for (let s = 0; s < m; s++) {
    const own = residualCov(x, q, rows, codes, mu, s);
    const cov = Float64Array.from(own.cov, (v, k) => (1 - lambda) * v + lambda * pooled.cov[k]);
    shrinkLedoitWolf(cov, q, Math.max(own.n, 2), (1 - lambda) * own.norm4 + lambda * (pooled.norm4 * own.n) / Math.max(1, pooled.n));
    if (!cholesky(cov, q)) throw new Error('the features have no variance left after centring');
    let logDet = 0;
    for (let a = 0; a < q; a++) logDet += 2 * Math.log(cov[a * q + a]);
    chol.push(cov);
    logNorm[s] = cnt[s] > 0 ? -0.5 * logDet + Math.log(cnt[s] / nTrain) : -Infinity;
  }
  const v = new Float64Array(q);
  return {
    score(i, out, o) {
      for (let s = 0; s < m; s++) {
        // -1/2 |L^-1 (z - mu_s)|^2 by forward substitution
        const l = chol[s];
        let quad = 0;
        for (let a = 0; a < q; a++) {
          let t = x[i * q + a] - mu[s * q + a];
          for (let b = 0; b < a; b++) t -= l[a * q + b] * v[b];
          v[a] = t / l[a * q + a];
          quad += v[a] * v[a];
        }
        out[o + s] = logNorm[s] - 0.5 * quad;
      }
    },
  };
}

/**
 * The k columns of x [n, d] whose class means differ most relative to their spread within classes
 * (the one-way ANOVA F statistic), computed on the rows `rows` only: selecting inside a training
 * fold keeps the held-out scores honest.
 */
export function topColumns(x: Float64Array, d: number, rows: Int32Array, codes: Int32Array, m: number, k: number): Int32Array {
  const f = new Float64Array(d);
  const sum = new Float64Array(m);
  const cnt = new Float64Array(m);
  for (let j = 0; j < d; j++) {
    sum.fill(0);
    cnt.fill(0);
    let all = 0;
    let sq = 0;
    for (const i of rows) {
      const v = x[i * d + j];
      sum[codes[i]] += v;
      cnt[codes[i]]++;
      all += v;
      sq += v * v;
    }
    const n = rows.length;
    let between = 0;
    for (let s = 0; s < m; s++) if (cnt[s] > 0) between += (sum[s] * sum[s]) / cnt[s];
    between -= (all * all) / n;
    const within = sq - (all * all) / n - between;
    f[j] = within > 0 ? between / within : 0;
  }
  // the k largest by insertion into a short list (ties: the lower column first)
  const kk = Math.min(k, d);
  const top = new Int32Array(kk).fill(-1);
  for (let j = 0; j < d; j++) {
    let pos = kk;
    while (pos > 0 && (top[pos - 1] < 0 || f[j] > f[top[pos - 1]])) pos--;
    if (pos >= kk) continue;
    for (let t = kk - 1; t > pos; t--) top[t] = top[t - 1];
    top[pos] = j;
  }
  return top;
}

/** Columns `cols` of x [n, d] as a new row-major matrix [n, cols.length]. */
export function takeColumns(x: Float64Array, n: number, d: number, cols: Int32Array): Float64Array {
  const k = cols.length;
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i * k + c] = x[i * d + cols[c]];
  return out;
}
