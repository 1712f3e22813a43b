/**
 * The decoder bound for a continuous stimulus X (a direction theta on the circle, or a value on the
 * line) against a whole layer H (docs/estimators.md section 8):
 *
 *   I(X; H) = h(X) - h(X | H) >= h(X) - E[-ln q(X | H)]
 *
 * with q a density around a cross-validated readout: for a direction, a von Mises density around
 * the angle of the predicted (cos theta, sin theta), its concentration growing with the length of
 * that prediction; on the line, a Gaussian around the predicted value. The readouts are ridge
 * regressions on the layer's prepared components (features.ts), on its most correlated units, or
 * on the components' squares and products; the member, the density's parameters and the noise level
 * are chosen and fitted inside each training fold, on an inner split of it, so every held-out score
 * is honest. h(X) is ln 2 pi for a direction drawn uniformly (a probe batch knows it), else the
 * Kozachenko-Leonenko estimate on the sample.
 */
import { Xoshiro128 } from '../../src/core/rng.js';
import type { PreparedLayer } from './features.js';
import { cholesky, choleskySolve } from './linalg.js';
import { digamma } from './special.js';
import { EstimatorInputError } from './types.js';

export interface RegressionOptions {
  folds: number;
  seed: number;
  circular: boolean;
  /** Units the selective member keeps; components the quadratic member squares. */
  selectUnits: number;
  quadraticDims: number;
}

export interface RegressionResult {
  /** h(X) - held-out cross-entropy, nats. */
  value: number;
  hX: number;
  crossEntropy: number;
  /** The bound with the linear readout of the components in every fold. */
  linear: number;
  chosen: Record<string, number>;
  losses: Float64Array;
  majority: string;
  /** Parameters of the linear readout and the samples of a training fold (verdicts.ts). */
  parameters: number;
  trainSize: number;
}

/** A share of uniform density mixed into every prediction: one wild trial cannot cost more than ln(1 / share) nats. */
const FLOOR = 0.01;

/** Normal equations [x 1]^T [x 1] and [x 1]^T y summed over `rows` (sign -1 subtracts them: a downdate). */
interface Normal {
  a: Float64Array;
  b: Float64Array;
}

function accumulate(nq: Normal, x: Float64Array, q: number, y: Float64Array, t: number, rows: ArrayLike<number>, sign = 1): Normal {
  const q1 = q + 1;
  const row = new Float64Array(q1);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let c = 0; c < q; c++) row[c] = x[i * q + c];
    row[q] = 1;
    for (let u = 0; u < q1; u++) {
      const ru = sign * row[u];
      for (let v = u; v < q1; v++) nq.a[u * q1 + v] += ru * row[v];
      for (let k = 0; k < t; k++) nq.b[u * t + k] += ru * y[i * t + k];
    }
  }
  return nq;
}

const normalOf = (x: Float64Array, q: number, y: Float64Array, t: number, rows: ArrayLike<number>): Normal => accumulate({ a: new Float64Array((q + 1) * (q + 1)), b: new Float64Array((q + 1) * t) }, x, q, y, t, rows);
const minus = (nq: Normal, x: Float64Array, q: number, y: Float64Array, t: number, rows: ArrayLike<number>): Normal => accumulate({ a: Float64Array.from(nq.a), b: Float64Array.from(nq.b) }, x, q, y, t, rows, -1);

/** Ridge weights [q + 1, t] (the last row the intercept) from normal equations, with a light ridge relative to the features' scale. */
function solveRidge(nq: Normal, q: number, t: number): Float64Array {
  const q1 = q + 1;
  const a = Float64Array.from(nq.a);
  let tr = 0;
  for (let u = 0; u < q; u++) tr += a[u * q1 + u];
  for (let u = 0; u < q1; u++) {
    for (let v = 0; v < u; v++) a[u * q1 + v] = a[v * q1 + u];
    a[u * q1 + u] += u < q ? 1e-2 * (tr / Math.max(1, q)) + 1e-9 : 1e-9;
  }
  if (!cholesky(a, q1)) throw new Error('the readout cannot be fitted');
  const w = new Float64Array(q1 * t);
  const col = new Float64Array(q1);
  const out = new Float64Array(q1);
  for (let k = 0; k < t; k++) {
    for (let u = 0; u < q1; u++) col[u] = nq.b[u * t + k];
    choleskySolve(a, q1, col, out);
    for (let u = 0; u < q1; u++) w[u * t + k] = out[u];
  }
  return w;
}

function predict(x: Float64Array, q: number, w: Float64Array, t: number, i: number, out: Float64Array): void {
  for (let k = 0; k < t; k++) {
    let s = w[q * t + k];
    for (let c = 0; c < q; c++) s += x[i * q + c] * w[c * t + k];
    out[k] = s;
  }
}

/** ln I0(kappa), the von Mises normaliser (Abramowitz & Stegun 9.8.1-2: relative error below 2e-7). */
export function logI0(kappa: number): number {
  const k = Math.abs(kappa);
  if (k < 3.75) {
    const t = (k / 3.75) ** 2;
    return Math.log(1 + t * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768 + t * 0.0045813))))));
  }
  const t = 3.75 / k;
  const p = 0.39894228 + t * (0.01328592 + t * (0.00225319 + t * (-0.00157565 + t * (0.00916281 + t * (-0.02057706 + t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))));
  return k - 0.5 * Math.log(k) + Math.log(p);
}

/** -ln q(theta) for a von Mises of concentration kappa, given cos(theta - mu), mixed with the uniform floor. */
function lossAt(cosDiff: number, kappa: number): number {
  // ln[(1 - f) e^{k c - ln I0(k)} + f] - ln 2 pi, stably
  const a = Math.log1p(-FLOOR) + kappa * cosDiff - logI0(kappa);
  const b = Math.log(FLOOR);
  const mx = Math.max(a, b);
  return Math.log(2 * Math.PI) - (mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx)));
}

/** -ln q(x) for a Gaussian (mean m, sd s) mixed with a wide Gaussian floor (sd 10 s). */
function gaussLoss(x: number, m: number, s: number): number {
  const z = (x - m) / s;
  const a = Math.log1p(-FLOOR) - 0.5 * z * z - Math.log(s * Math.sqrt(2 * Math.PI));
  const b = Math.log(FLOOR) - 0.5 * (z / 10) ** 2 - Math.log(10 * s * Math.sqrt(2 * Math.PI));
  const mx = Math.max(a, b);
  return -(mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx)));
}

/** The density model fitted on (prediction, truth) pairs of an inner validation set. */
interface Density {
  loss(pred: Float64Array, x: number): number;
}

/**
 * Circular: kappa = exp(a + b ln r), r the length of the predicted (cos, sin): a longer prediction
 * is a surer one. b in {0, 1}, a by golden-section search, on the validation pairs.
 */
function fitCircular(preds: Float64Array, xs: Float64Array): Density {
  const n = xs.length;
  const c = new Float64Array(n);
  const lr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = Math.cos(xs[i] - Math.atan2(preds[2 * i + 1], preds[2 * i]));
    lr[i] = Math.log(Math.max(1e-6, Math.hypot(preds[2 * i], preds[2 * i + 1])));
  }
  const total = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += lossAt(c[i], Math.exp(Math.min(12, a + b * lr[i])));
    return s;
  };
  let best = { a: 0, b: 0, v: Infinity };
  for (const b of [0, 1]) {
    let lo = -5;
    let hi = 8;
    const g = (Math.sqrt(5) - 1) / 2;
    let x1 = hi - g * (hi - lo);
    let x2 = lo + g * (hi - lo);
    let f1 = total(x1, b);
    let f2 = total(x2, b);
    for (let it = 0; it < 24; it++) {
      if (f1 < f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - g * (hi - lo);
        f1 = total(x1, b);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + g * (hi - lo);
        f2 = total(x2, b);
      }
    }
    const a = (lo + hi) / 2;
    const v = total(a, b);
    if (v < best.v) best = { a, b, v };
  }
  return { loss: (p, x) => lossAt(Math.cos(x - Math.atan2(p[1], p[0])), Math.exp(Math.min(12, best.a + best.b * Math.log(Math.max(1e-6, Math.hypot(p[0], p[1])))))) };
}

/** On the line: a Gaussian with the validation residuals' spread. */
function fitLinear(preds: Float64Array, xs: Float64Array): Density {
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - preds[i]) ** 2;
  const s = Math.sqrt(ss / xs.length) || 1e-6;
  return { loss: (p, x) => gaussLoss(x, p[0], s) };
}

/** Kozachenko-Leonenko entropy of a 1-D sample (k = 3), on the line or on the circle [0, 2 pi). */
export function entropy1d(values: Float64Array, circular: boolean): number {
  const n = values.length;
  const k = Math.min(3, n - 1);
  const v = Float64Array.from(values).sort();
  let acc = 0;
  for (let i = 0; i < n; i++) {
    // the k-th nearest distance among the sorted neighbours on both sides (wrapping on the circle)
    let lo = i - 1;
    let hi = i + 1;
    let dist = 0;
    const at = (j: number) => (circular ? v[((j % n) + n) % n] + 2 * Math.PI * Math.floor(j / n) : j < 0 ? -Infinity : j >= n ? Infinity : v[j]);
    for (let c = 0; c < k; c++) {
      const dl = v[i] - at(lo);
      const dh = at(hi) - v[i];
      if (dl <= dh) {
        dist = dl;
        lo--;
      } else {
        dist = dh;
        hi++;
      }
    }
    acc += Math.log(2 * dist);
  }
  return digamma(n) - digamma(k) + acc / n;
}

export interface RegressionSetup {
  x: Float64Array;
  /** The entropy of X when the design knows it (ln 2 pi for a uniform direction), else estimated. */
  knownEntropy?: number;
}

interface RegMember {
  name: string;
  /** Features [n, q] this member regresses on: fixed (their normal equations are summed once and downdated per fold), or chosen on the training rows. */
  fixed?: { x: Float64Array; q: number };
  features?(train: Int32Array): { x: Float64Array; q: number };
}

/** The quadratic expansion of the first `k` columns of x [n, q]: the columns, their squares and products. */
function quadratic(x: Float64Array, n: number, q: number, k: number): { x: Float64Array; q: number } {
  const kk = Math.min(k, q);
  const width = q + (kk * (kk + 1)) / 2;
  const out = new Float64Array(n * width);
  for (let i = 0; i < n; i++) {
    let c = 0;
    for (let a = 0; a < q; a++) out[i * width + c++] = x[i * q + a];
    for (let a = 0; a < kk; a++) for (let b = a; b < kk; b++) out[i * width + c++] = x[i * q + a] * x[i * q + b];
  }
  return { x: out, q: width };
}

/** The k units of the layer most correlated (squared correlation, summed over targets) with the targets over `rows`. */
function correlatedUnits(p: PreparedLayer, y: Float64Array, t: number, rows: Int32Array, k: number): { x: Float64Array; q: number } {
  const { n, d, ranked } = p;
  const m = rows.length;
  const sx = new Float64Array(d);
  const sxx = new Float64Array(d);
  const sxy = new Float64Array(d * t);
  const sy = new Float64Array(t);
  for (const i of rows) {
    for (let c = 0; c < t; c++) sy[c] += y[i * t + c];
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = ranked[off + j];
      sx[j] += v;
      sxx[j] += v * v;
      for (let c = 0; c < t; c++) sxy[j * t + c] += v * y[i * t + c];
    }
  }
  const score = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const vx = sxx[j] - (sx[j] * sx[j]) / m;
    if (vx <= 0) continue;
    for (let c = 0; c < t; c++) {
      const cxy = sxy[j * t + c] - (sx[j] * sy[c]) / m;
      score[j] += (cxy * cxy) / vx;
    }
  }
  const kk = Math.min(k, d);
  const top = Array.from({ length: d }, (_, j) => j).sort((a, b) => score[b] - score[a] || a - b).slice(0, kk);
  const out = new Float64Array(n * kk);
  for (let i = 0; i < n; i++) for (let c = 0; c < kk; c++) out[i * kk + c] = ranked[i * d + top[c]];
  return { x: out, q: kk };
}

/**
 * The bound on the rows `rows` of a prepared layer (all when omitted); `only` repeats one member
 * (the reliability ladder's parts), as portfolioBound does.
 */
export function regressionBound(p: PreparedLayer, setup: RegressionSetup, o: RegressionOptions, rows?: ArrayLike<number>, only?: string): RegressionResult {
  const idx = rows ? Int32Array.from(rows) : Int32Array.from({ length: p.n }, (_, i) => i);
  const n = idx.length;
  if (n < 4 * o.folds) throw new EstimatorInputError(`the decoder needs at least ${4 * o.folds} samples for ${o.folds} folds, got ${n}`);
  const t = o.circular ? 2 : 1;
  // targets: (cos, sin) of a direction, or the value standardised on the rows used
  const y = new Float64Array(p.n * t);
  let mean = 0;
  let sd = 1;
  if (!o.circular) {
    for (const i of idx) mean += setup.x[i] / n;
    let ss = 0;
    for (const i of idx) ss += (setup.x[i] - mean) ** 2;
    sd = Math.sqrt(ss / n) || 1;
  }
  for (let i = 0; i < p.n; i++) {
    if (o.circular) {
      y[2 * i] = Math.cos(setup.x[i]);
      y[2 * i + 1] = Math.sin(setup.x[i]);
    } else y[i] = (setup.x[i] - mean) / sd;
  }
  const truthOf = (i: number) => (o.circular ? setup.x[i] : (setup.x[i] - mean) / sd);
  const fitDensity = o.circular ? fitCircular : fitLinear;
  const pcs = { x: p.pcs.z, q: p.pcs.q };
  const quad = quadratic(p.pcs.z, p.n, p.pcs.q, o.quadraticDims);
  const members: RegMember[] = [
    { name: 'linear', fixed: pcs },
    { name: 'quadratic', fixed: quad },
    { name: 'selective', features: (train) => correlatedUnits(p, y, t, train, o.selectUnits) },
  ];
  // the fixed members' normal equations over every row used, once
  const normals = new Map<string, Normal>();
  for (const mb of members) if (mb.fixed && (!only || only === mb.name || mb.name === 'linear')) normals.set(mb.name, normalOf(mb.fixed.x, mb.fixed.q, y, t, idx));
  // folds: a seeded shuffle of the rows, dealt round robin
  const order = Array.from(idx);
  const rng = Xoshiro128.fromKey(`decoder-folds/${o.seed}`);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const foldOf = new Int32Array(p.n).fill(-1);
  order.forEach((i, r) => (foldOf[i] = r % o.folds));
  const losses = new Float64Array(n);
  const linLoss = new Float64Array(p.n);
  const loss = new Float64Array(p.n);
  const chosen: Record<string, number> = Object.fromEntries(members.map((m) => [m.name, 0]));
  const pred = new Float64Array(t);
  /** Fit member on `fit`, density on `val`; return the validation loss and a scorer of any row. */
  const trial = (mb: RegMember, fit: Int32Array, val: Int32Array, refit: Int32Array, test: Int32Array) => {
    let f: { x: Float64Array; q: number };
    let w: Float64Array;
    let f2: { x: Float64Array; q: number };
    let w2: Float64Array;
    if (mb.fixed) {
      // all rows minus the test fold is the training fold; minus the inner validation rows, the inner fit
      f = f2 = mb.fixed;
      const trainNormal = minus(normals.get(mb.name) as Normal, f.x, f.q, y, t, test);
      w2 = solveRidge(trainNormal, f.q, t);
      w = solveRidge(minus(trainNormal, f.x, f.q, y, t, val), f.q, t);
    } else {
      f = (mb.features as (r: Int32Array) => { x: Float64Array; q: number })(fit);
      w = solveRidge(normalOf(f.x, f.q, y, t, fit), f.q, t);
      // refitted on the whole training fold (the selective member selects again there)
      f2 = (mb.features as (r: Int32Array) => { x: Float64Array; q: number })(refit);
      w2 = solveRidge(normalOf(f2.x, f2.q, y, t, refit), f2.q, t);
    }
    const preds = new Float64Array(val.length * t);
    const xs = new Float64Array(val.length);
    val.forEach((i, r) => {
      predict(f.x, f.q, w, t, i, pred);
      for (let k = 0; k < t; k++) preds[r * t + k] = pred[k];
      xs[r] = truthOf(i);
    });
    const dens = fitDensity(preds, xs);
    let v = 0;
    for (let r = 0; r < val.length; r++) v += dens.loss(preds.subarray(r * t, r * t + t), xs[r]);
    const score = (i: number) => {
      predict(f2.x, f2.q, w2, t, i, pred);
      return dens.loss(pred, truthOf(i));
    };
    return { val: v / val.length, score };
  };
  for (let f = 0; f < o.folds; f++) {
    const train = Int32Array.from(idx.filter((i) => foldOf[i] !== f));
    const test = Int32Array.from(idx.filter((i) => foldOf[i] === f));
    // inner split of the training fold, 3 : 1 in the shuffled order
    const fit = Int32Array.from(train.filter((_, r) => r % 4 !== 0));
    const val = Int32Array.from(train.filter((_, r) => r % 4 === 0));
    // the linear readout in every fold of the whole sample's run (a ladder part repeats one member)
    const onlyMember = only ? members.find((m) => m.name === only) ?? members[0] : null;
    const lin = onlyMember && onlyMember !== members[0] ? null : trial(members[0], fit, val, train, test);
    if (lin && !only) for (const i of test) linLoss[i] = lin.score(i);
    let best = lin ? { mb: members[0], tr: lin } : { mb: members[0], tr: { val: Infinity, score: (_i: number) => NaN } };
    for (const mb of only ? [] : members.slice(1)) {
      try {
        const tr = trial(mb, fit, val, train, test);
        if (tr.val < best.tr.val - 1e-12) best = { mb, tr };
      } catch {
        // a member that cannot be fitted here is not chosen
      }
    }
    if (onlyMember && onlyMember !== members[0]) {
      try {
        best = { mb: onlyMember, tr: trial(onlyMember, fit, val, train, test) };
      } catch {
        // the linear readout stands in for a member too large for this part
        best = { mb: members[0], tr: trial(members[0], fit, val, train, test) };
      }
    }
    chosen[best.mb.name]++;
    for (const i of test) loss[i] = best.tr.score(i);
  }
  let ce = 0;
  let linCe = 0;
  idx.forEach((i, r) => {
    losses[r] = loss[i];
    ce += loss[i] / n;
    linCe += linLoss[i] / n;
  });
  if (only) linCe = ce;
  // h of the standardised value: h(X) - ln sd
  const hX = setup.knownEntropy !== undefined ? setup.knownEntropy : entropy1d(Float64Array.from(idx, (i) => setup.x[i]), o.circular);
  const hScaled = o.circular ? hX : hX - Math.log(sd);
  const majority = Object.entries(chosen).sort((a, b) => b[1] - a[1])[0][0];
  return { value: hScaled - ce, hX, crossEntropy: ce, linear: hScaled - linCe, chosen, losses, majority, parameters: t * (p.pcs.q + 1), trainSize: Math.round((n * (o.folds - 1)) / o.folds) };
}
