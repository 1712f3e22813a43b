/** The decoder portfolio's two-cloud member (portfolio.ts). */
import { type Classifier, classMeans, shrinkLedoitWolf } from './classifiers.js';
import { cholesky, choleskySolve } from './linalg.js';

/**
 * Mixture discriminant analysis (Hastie & Tibshirani 1996): each class a mixture of two Gaussians
 * with one covariance shared by every component of every class, fitted by EM. It sees classes that are unions of separate clouds: a class at +m or -m (antipodal), the
 * sign of a product (XOR).
 */
export function fitMda(x: Float64Array, q: number, rows: Int32Array, codes: Int32Array, m: number, iterations: number): Classifier {
  const k = 2;
  const { cnt, nTrain } = classMeans(x, q, rows, codes, m);
  // start: each class's points split in two by the sign of their projection on the class's main
  // axis (power iteration on its scatter), so the two components start on the two clouds
  const mu = new Float64Array(m * k * q);
  const wt = new Float64Array(m * k).fill(1 / k);
  const side = new Int8Array(x.length / q);
  const byClass: number[][] = Array.from({ length: m }, () => []);
  for (const i of rows) byClass[codes[i]].push(i);
  const axis = new Float64Array(q);
  const next = new Float64Array(q);
  const centre = new Float64Array(q);
  for (let s = 0; s < m; s++) {
    const pts = byClass[s];
    centre.fill(0);
    for (const i of pts) for (let a = 0; a < q; a++) centre[a] += x[i * q + a] / pts.length;
    for (let a = 0; a < q; a++) axis[a] = 1 / Math.sqrt(q + a);
    for (let it = 0; it < 20; it++) {
      next.fill(0);
      for (const i of pts) {
        let pr = 0;
        for (let a = 0; a < q; a++) pr += (x[i * q + a] - centre[a]) * axis[a];
        for (let a = 0; a < q; a++) next[a] += pr * (x[i * q + a] - centre[a]);
      }
      const norm = Math.hypot(...next) || 1;
      for (let a = 0; a < q; a++) axis[a] = next[a] / norm;
    }
    for (const i of pts) {
      let pr = 0;
      for (let a = 0; a < q; a++) pr += (x[i * q + a] - centre[a]) * axis[a];
      side[i] = pr >= 0 ? 1 : 0;
    }
  }
  const resp = new Float64Array(nTrain * k);
  const cov = new Float64Array(q * q);
  const tmp = new Float64Array(q);
  const w = new Float64Array(m * k * q);
  const off = new Float64Array(m * k);
  const refit = () => {
    // shared covariance of the residuals, weighted by responsibilities
    cov.fill(0);
    let norm4 = 0;
    rows.forEach((i, r) => {
      const s = codes[i];
      for (let c = 0; c < k; c++) {
        const g = resp[r * k + c];
        if (g === 0) continue;
        let nr = 0;
        for (let a = 0; a < q; a++) {
          tmp[a] = x[i * q + a] - mu[(s * k + c) * q + a];
          nr += tmp[a] * tmp[a];
        }
        norm4 += g * nr * nr;
        for (let a = 0; a < q; a++) for (let b = a; b < q; b++) cov[a * q + b] += g * tmp[a] * tmp[b];
      }
    });
    for (let a = 0; a < q; a++) for (let b = a; b < q; b++) cov[b * q + a] = cov[a * q + b] /= nTrain;
    shrinkLedoitWolf(cov, q, nTrain, norm4);
    if (!cholesky(cov, q)) throw new Error('the features have no variance left after centring');
    for (let s = 0; s < m; s++) for (let c = 0; c < k; c++) {
      const j = s * k + c;
      const ws = w.subarray(j * q, j * q + q);
      choleskySolve(cov, q, mu.subarray(j * q, j * q + q), ws, tmp);
      let mm = 0;
      for (let a = 0; a < q; a++) mm += mu[j * q + a] * ws[a];
      off[j] = wt[j] > 0 ? -0.5 * mm + Math.log(wt[j]) : -Infinity;
    }
  };
  // the components' shared part of the log density: z^T Sigma^-1 mu_j - mu_j^T Sigma^-1 mu_j / 2 + ln w_j
  const compScore = (i: number, j: number) => {
    let g = off[j];
    for (let a = 0; a < q; a++) g += x[i * q + a] * w[j * q + a];
    return g;
  };
  rows.forEach((i, r) => {
    for (let c = 0; c < k; c++) resp[r * k + c] = c === Math.min(side[i], k - 1) ? 1 : 0;
  });
  for (let it = 0; it <= iterations; it++) {
    // M step: means and weights from responsibilities
    mu.fill(0);
    const mass = new Float64Array(m * k);
    rows.forEach((i, r) => {
      const s = codes[i];
      for (let c = 0; c < k; c++) {
        const g = resp[r * k + c];
        mass[s * k + c] += g;
        for (let a = 0; a < q; a++) mu[(s * k + c) * q + a] += g * x[i * q + a];
      }
    });
    for (let j = 0; j < m * k; j++) {
      const s = Math.floor(j / k);
      for (let a = 0; a < q; a++) mu[j * q + a] = mass[j] > 0 ? mu[j * q + a] / mass[j] : 0;
      wt[j] = cnt[s] > 0 ? mass[j] / cnt[s] : 0;
    }
    refit();
    if (it === iterations) break;
    // E step: responsibilities within the sample's own class
    rows.forEach((i, r) => {
      const s = codes[i];
      let mx = -Infinity;
      for (let c = 0; c < k; c++) mx = Math.max(mx, compScore(i, s * k + c));
      let z = 0;
      for (let c = 0; c < k; c++) z += resp[r * k + c] = Math.exp(compScore(i, s * k + c) - mx);
      for (let c = 0; c < k; c++) resp[r * k + c] /= z;
    });
  }
  const prior = Float64Array.from(cnt, (c) => (c > 0 ? Math.log(c / nTrain) : -Infinity));
  return {
    score(i, out, o) {
      for (let s = 0; s < m; s++) {
        let mx = -Infinity;
        for (let c = 0; c < k; c++) mx = Math.max(mx, compScore(i, s * k + c));
        let z = 0;
        for (let c = 0; c < k; c++) z += Math.exp(compScore(i, s * k + c) - mx);
        out[o + s] = prior[s] + mx + Math.log(z);
      }
    },
  };
}
