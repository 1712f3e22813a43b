/**
 * Gaussian-copula MI (Ince et al. 2017, docs/estimators.md section 8): each dimension is replaced
 * by the standard-normal quantile of its rank, then MI is read from Gaussian entropies with their
 * analytic finite-sample bias correction. It is a lower bound for the copula-normal part of the
 * dependence and blind to non-monotonic dependence; robust, fast, and with few parameters. Per
 * class covariances need more samples than dimensions: reduce a whole layer first.
 */
import { argsortExact } from './argsort.js';
import { logDetSpd } from './gaussian.js';
import { digamma, normalCdf } from './special.js';
import { EstimatorInputError, type Labels, type Samples } from './types.js';

/** Inverse of the standard normal CDF (Acklam's rational approximation, refined by one Halley step). */
export function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  let x: number;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - lo) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  // one Halley step on the accurate CDF for full double precision
  const e = normalCdf(x) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
  return x - u / (1 + (x * u) / 2);
}

/** Each column replaced by the normal quantile of its rank, (rank + 1) / (n + 1); ties keep their order. */
export function copulaNormalize(s: Samples): Samples {
  const { n, d, data } = s;
  const out = new Float64Array(n * d);
  const col = new Float64Array(n);
  const q = Float64Array.from({ length: n }, (_, r) => normalQuantile((r + 1) / (n + 1)));
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = data[i * d + j];
    const order = argsortExact(col);
    for (let r = 0; r < n; r++) out[order[r] * d + j] = q[r];
  }
  return { n, d, data: out };
}

function covariance(s: Samples, rows?: number[]): { cov: Float64Array; n: number } {
  const { d, data } = s;
  const idx = rows ?? Array.from({ length: s.n }, (_, i) => i);
  const n = idx.length;
  const mean = new Float64Array(d);
  for (const i of idx) for (let j = 0; j < d; j++) mean[j] += data[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const cov = new Float64Array(d * d);
  for (const i of idx) for (let a = 0; a < d; a++) {
    const va = data[i * d + a] - mean[a];
    for (let b = a; b < d; b++) cov[a * d + b] += va * (data[i * d + b] - mean[b]);
  }
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) cov[b * d + a] = cov[a * d + b] /= n - 1;
  return { cov, n };
}

/**
 * Unbiased ln det of a covariance from its sample estimate on n samples: (n-1) S is Wishart with
 * n - 1 degrees of freedom, so E[ln det S] = ln det Sigma + sum_i psi((n - i) / 2) + d ln(2 / (n - 1)).
 */
function lnDetCorrected(cov: Float64Array, d: number, n: number): number {
  if (n <= d + 1) throw new EstimatorInputError(`Gaussian-copula MI needs more samples than dimensions in every class: ${n} samples for ${d} dimensions`);
  let bias = d * Math.log(2 / (n - 1));
  for (let i = 1; i <= d; i++) bias += digamma((n - i) / 2);
  const ld = logDetSpd(cov, d);
  if (!Number.isFinite(ld)) throw new EstimatorInputError('a covariance of the copula-normalised data is singular (a constant or duplicated column)');
  return ld - bias;
}

/** I(S; C) for labels S and continuous C: H(C) - sum_s p(s) H(C | s), Gaussian entropies of the copula-normal C. */
export function gcmiLabels(c: Samples, labels: Labels): number {
  const g = copulaNormalize(c);
  const all = covariance(g);
  const groups = new Map<number, number[]>();
  labels.forEach((l, i) => {
    if (!groups.has(l)) groups.set(l, []);
    (groups.get(l) as number[]).push(i);
  });
  let cond = 0;
  for (const rows of groups.values()) {
    const cs = covariance(g, rows);
    cond += (rows.length / g.n) * lnDetCorrected(cs.cov, g.d, cs.n);
  }
  return 0.5 * (lnDetCorrected(all.cov, g.d, all.n) - cond);
}

/** I(X; Y) for continuous X and Y: Gaussian MI of the copula-normal variables with bias-corrected log-determinants. */
export function gcmiContinuous(x: Samples, y: Samples): number {
  const gx = copulaNormalize(x);
  const gy = copulaNormalize(y);
  const n = gx.n;
  const joint: Samples = { n, d: gx.d + gy.d, data: new Float64Array(n * (gx.d + gy.d)) };
  for (let i = 0; i < n; i++) {
    joint.data.set(gx.data.subarray(i * gx.d, (i + 1) * gx.d), i * joint.d);
    joint.data.set(gy.data.subarray(i * gy.d, (i + 1) * gy.d), i * joint.d + gx.d);
  }
  const lx = lnDetCorrected(covariance(gx).cov, gx.d, n);
  const ly = lnDetCorrected(covariance(gy).cov, gy.d, n);
  const lj = lnDetCorrected(covariance(joint).cov, joint.d, n);
  return 0.5 * (lx + ly - lj);
}
