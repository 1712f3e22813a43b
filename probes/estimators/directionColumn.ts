/**
 * Per-neuron information about a continuous direction theta: Gaussian-copula MI (Ince et al. 2017)
 * between a unit's activity (to normal scores of its mid-ranks) and the direction's (cos, sin) (each
 * to normal scores), I = -1/2 ln(1 - rho^T R^-1 rho), less its first-order bias d_x d_y / (2 n).
 * With Gaussian margins the Gaussian joint has the most entropy for its correlations, so this is a
 * lower bound on the unit's information (up to that bias): it sees tuning curves through their
 * correlation with cos and sin, the first harmonic, and less of a sharp bump. Fast: one sort per
 * unit and time step (the neuron hook makes N x T of them).
 */
import { argsortFloat64, argsortScratch, type ArgsortScratch } from './argsort.js';
import { normalQuantile } from './copula.js';

interface DirectionTargets {
  n: number;
  /** Normal scores of cos theta and sin theta, and their inverse 2 x 2 correlation. */
  c: Float64Array;
  s: Float64Array;
  inv: [number, number, number];
  /** Variance of the normal scores. */
  v: number;
  /** Normal scores of the ranks 0..n-1 and their running sums (for mid-ranks). */
  scores: Float64Array;
  cum: Float64Array;
  scratch: ArgsortScratch;
}

function normalScores(values: Float64Array, t: Pick<DirectionTargets, 'scores' | 'cum' | 'scratch'>, out: Float64Array): Float64Array {
  const n = values.length;
  const idx = argsortFloat64(values, t.scratch);
  for (let r = 0; r < n; ) {
    const v = values[idx[r]];
    let e = r + 1;
    while (e < n && values[idx[e]] === v) e++;
    const score = e - r === n ? 0 : (t.cum[e] - t.cum[r]) / (e - r);
    for (let k = r; k < e; k++) out[idx[k]] = score;
    r = e;
  }
  return out;
}

export function directionTargets(theta: Float64Array): DirectionTargets {
  const n = theta.length;
  const scores = Float64Array.from({ length: n }, (_, r) => normalQuantile((r + 0.5) / n));
  const cum = new Float64Array(n + 1);
  for (let r = 0; r < n; r++) cum[r + 1] = cum[r] + scores[r];
  const base = { scores, cum, scratch: argsortScratch(n) };
  const c = normalScores(Float64Array.from(theta, Math.cos), base, new Float64Array(n));
  const s = normalScores(Float64Array.from(theta, Math.sin), base, new Float64Array(n));
  const v = variance(scores);
  let r = 0;
  for (let i = 0; i < n; i++) r += (c[i] * s[i]) / n;
  r /= v;
  const det = 1 - r * r;
  return { n, c, s, inv: [1 / det, -r / det, 1 / det], v, ...base };
}

function variance(scores: Float64Array): number {
  let v = 0;
  for (const x of scores) v += (x * x) / scores.length;
  return v;
}

/** I(theta; column) in nats (bias-corrected; may be slightly negative at zero information). */
export function directionMI(column: Float64Array, t: DirectionTargets, work: Float64Array): number {
  const z = normalScores(column, t, work);
  const n = t.n;
  let zz = 0;
  let zc = 0;
  let zs = 0;
  for (let i = 0; i < n; i++) {
    zz += z[i] * z[i];
    zc += z[i] * t.c[i];
    zs += z[i] * t.s[i];
  }
  if (zz === 0) return 0;
  // correlations with cos and sin (whose normal scores have no ties)
  const v = t.v;
  const a = zc / Math.sqrt(zz * v * n);
  const b = zs / Math.sqrt(zz * v * n);
  const quad = t.inv[0] * a * a + 2 * t.inv[1] * a * b + t.inv[2] * b * b;
  return -0.5 * Math.log(Math.max(1e-12, 1 - quad)) - 1 / n;
}
