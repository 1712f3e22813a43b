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
import { entropy1d, fitCircular, fitLinear } from './density.js';
import { type Normal, minus, normalOf, predict, solveRidge } from './ridge.js';
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

export interface RegressionSetup {
  x: Float64Array;
  /** The entropy of X when the design knows it (ln 2 pi for a uniform direction), else estimated. */
  knownEntropy?: number;
}

interface RegMember {
  name: string;
  /** Features [n, q] this member regresses on: fixed (their normal equations are summed once and downdated per fold), or chosen on the training rows (given as the rows left out of all). */
  fixed?: { x: Float64Array; q: number };
  features?(leftOut: ArrayLike<number>[]): { x: Float64Array; q: number };
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

/**
 * Sums over rows of the rank-normal units, their squares and their products with the targets: the
 * sufficient statistics of every unit's correlation, summed once and downdated per fold.
 */
interface UnitSums {
  m: number;
  sx: Float64Array;
  sxx: Float64Array;
  sxy: Float64Array;
  sy: Float64Array;
}

function unitSums(p: PreparedLayer, y: Float64Array, t: number, rows: ArrayLike<number>, base?: UnitSums, sign = 1): UnitSums {
  const { d, ranked } = p;
  const out: UnitSums = base
    ? { m: base.m, sx: Float64Array.from(base.sx), sxx: Float64Array.from(base.sxx), sxy: Float64Array.from(base.sxy), sy: Float64Array.from(base.sy) }
    : { m: 0, sx: new Float64Array(d), sxx: new Float64Array(d), sxy: new Float64Array(d * t), sy: new Float64Array(t) };
  out.m += sign * rows.length;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let c = 0; c < t; c++) out.sy[c] += sign * y[i * t + c];
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = sign * ranked[off + j];
      out.sx[j] += v;
      out.sxx[j] += v * ranked[off + j];
      for (let c = 0; c < t; c++) out.sxy[j * t + c] += v * y[i * t + c];
    }
  }
  return out;
}

/** The k units most correlated (squared correlation, summed over targets) with the targets, as a feature matrix [n, k]. */
function correlatedUnits(p: PreparedLayer, s: UnitSums, t: number, k: number): { x: Float64Array; q: number } {
  const { n, d, ranked } = p;
  const score = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const vx = s.sxx[j] - (s.sx[j] * s.sx[j]) / s.m;
    if (vx <= 0) continue;
    for (let c = 0; c < t; c++) {
      const cxy = s.sxy[j * t + c] - (s.sx[j] * s.sy[c]) / s.m;
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
    { name: 'selective', features: (leftOut) => correlatedUnits(p, leftOut.reduce((acc, rowsOut) => unitSums(p, y, t, rowsOut, acc, -1), allSums()), t, o.selectUnits) },
  ];
  let sums: UnitSums | null = null;
  const allSums = () => (sums ??= unitSums(p, y, t, idx));
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
      const choose = mb.features as (leftOut: ArrayLike<number>[]) => { x: Float64Array; q: number };
      f = choose([test, val]);
      w = solveRidge(normalOf(f.x, f.q, y, t, fit), f.q, t);
      // refitted on the whole training fold (the selective member selects again there)
      f2 = choose([test]);
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
