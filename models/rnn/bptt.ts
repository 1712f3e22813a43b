/**
 * Forward pass and hand-written backpropagation through time for the leaky RNN
 *
 *   z_t = x_t W_in + r_{t-1} W_rec + b + noise_t
 *   r_t = (1 - alpha) r_{t-1} + alpha f(z_t),      r_{-1} = 0
 *   y_t = sigmoid(r_t W_out + b_out)
 *   L   = mean_{t,b,k} (c_{tbk} (y_tbk - target_tbk))^2  (+ optional L1/L2 on rates and weights)
 *
 * Structure exploited (../shared/perf-notes.md): the input projection X W_in, the readout R W_out,
 * its backward dY W_out^T and all weight gradients (R_prev^T dZ, X^T dZ, R^T dY) are each ONE matmul
 * over all T*B rows. Only r_{t-1} W_rec (forward) and dZ_t W_rec^T (backward) are sequential.
 * Elementwise work runs in plain typed arrays; all sums of the loss in float64.
 */
import type { TrialBatch } from '../../tasks/types.js';
import { type LinAlg, columnSums, transpose } from '../linalg.js';
import { type Activation, activate } from './activations.js';
import type { RnnParams } from './params.js';

export interface RnnHyper {
  alpha: number;
  activation: Activation;
  l1Rate: number;
  l2Rate: number;
  l1Weight: number;
  l2Weight: number;
}

export interface ForwardState {
  T: number;
  B: number;
  N: number;
  /** Rates r_t [T*B, N]. */
  rate: Float32Array;
  /** alpha * f'(z_t) [T*B, N], kept for the backward pass. */
  dAlpha: Float32Array;
  /** Readout after the sigmoid [T*B, nOut]. */
  out: Float32Array;
}

/**
 * Forward pass. `noise` is [T*B, N] (already scaled) or null.
 */
export function forward(p: RnnParams, nIn: number, N: number, nOut: number, h: RnnHyper, batch: TrialBatch, noise: Float32Array | null, la: LinAlg): ForwardState {
  const { T, B } = batch;
  const BN = B * N;
  const TB = T * B;
  const alpha = h.alpha;
  const keep = 1 - alpha;

  const wInH = la.upload(p.wIn, nIn, N);
  const z = la.matmul(batch.x, TB, wInH); // [T*B, N], all input projections at once
  la.release(wInH);

  const rate = new Float32Array(TB * N);
  const dAlpha = new Float32Array(TB * N);
  const bias = p.b;
  const wRecH = la.upload(p.wRec, N, N);
  for (let t = 0; t < T; t++) {
    const base = t * BN;
    const rec = t > 0 ? la.matmul(rate.subarray(base - BN, base), B, wRecH) : null;
    for (let bi = 0; bi < B; bi++) {
      const row = base + bi * N;
      for (let j = 0; j < N; j++) {
        let v = z[row + j] + bias[j];
        if (rec !== null) v += rec[bi * N + j];
        if (noise !== null) v += noise[row + j];
        z[row + j] = v;
      }
    }
    activate(h.activation, alpha, z, rate, dAlpha, base, base + BN);
    // leak: r_t = (1 - alpha) r_{t-1} + alpha f(z_t); f(z_t) currently sits in rate[base..]
    if (t > 0) {
      for (let i = 0; i < BN; i++) rate[base + i] = keep * rate[base - BN + i] + alpha * rate[base + i];
    } else {
      for (let i = 0; i < BN; i++) rate[i] = alpha * rate[i];
    }
  }
  la.release(wRecH);

  const wOutH = la.upload(p.wOut, N, nOut);
  const out = la.matmul(rate, TB, wOutH);
  la.release(wOutH);
  const bOut = p.bOut;
  for (let i = 0; i < TB; i++) {
    const r = i * nOut;
    for (let k = 0; k < nOut; k++) out[r + k] = 1 / (1 + Math.exp(-(out[r + k] + bOut[k])));
  }
  return { T, B, N, rate, dAlpha, out };
}

export interface LossAndGrads {
  loss: number;
  grads: RnnParams;
}

/** Loss of a forward state (float64 sums). Also returns dL/d(readout pre-activation) when asked. */
export function maskedLoss(fs: ForwardState, batch: TrialBatch, wantGrad: boolean): { loss: number; dOut: Float32Array | null } {
  const { y, cMask } = batch;
  const n = fs.out.length;
  const inv = 1 / n;
  let sum = 0;
  const dOut = wantGrad ? new Float32Array(n) : null;
  for (let i = 0; i < n; i++) {
    const o = fs.out[i];
    const c = cMask[i];
    const e = (o - y[i]) * c;
    sum += e * e;
    // d/dz of (c (sigmoid(z) - y))^2 / n = 2 c^2 (o - y) o (1 - o) / n
    if (dOut !== null) dOut[i] = 2 * inv * e * c * o * (1 - o);
  }
  return { loss: sum * inv, dOut };
}

function regularisation(p: RnnParams, rate: Float32Array, h: RnnHyper): number {
  let loss = 0;
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < rate.length; i++) {
      s1 += Math.abs(rate[i]);
      s2 += rate[i] * rate[i];
    }
    loss += (h.l1Rate * s1) / rate.length + 0.5 * h.l2Rate * s2;
  }
  if (h.l1Weight > 0 || h.l2Weight > 0) {
    for (const w of [p.wIn, p.wRec, p.wOut]) {
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < w.length; i++) {
        s1 += Math.abs(w[i]);
        s2 += w[i] * w[i];
      }
      loss += (h.l1Weight * s1) / w.length + 0.5 * h.l2Weight * s2;
    }
  }
  return loss;
}

/**
 * Full loss and gradient for one batch. `noise` [T*B, N] or null.
 */
export function lossAndGrads(p: RnnParams, nIn: number, N: number, nOut: number, h: RnnHyper, batch: TrialBatch, noise: Float32Array | null, la: LinAlg): LossAndGrads {
  const fs = forward(p, nIn, N, nOut, h, batch, noise, la);
  const { T, B, rate, dAlpha } = fs;
  const TB = T * B;
  const BN = B * N;
  const keep = 1 - h.alpha;
  const { loss: dataLoss, dOut } = maskedLoss(fs, batch, true);
  const dZo = dOut as Float32Array;
  const loss = dataLoss + regularisation(p, rate, h);

  // dL/dr_t from the readout, for all t at once.
  const wOutT = la.upload(transpose(p.wOut, N, nOut), nOut, N);
  const dRate = la.matmul(dZo, TB, wOutT);
  la.release(wOutT);
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    const c1 = h.l1Rate / rate.length;
    for (let i = 0; i < dRate.length; i++) dRate[i] += c1 * Math.sign(rate[i]) + h.l2Rate * rate[i];
  }

  // Sequential part: carry = dL/dr_{t-1} flowing back through the leak and W_rec.
  const dZ = new Float32Array(TB * N);
  const g = new Float32Array(BN);
  const carry = new Float32Array(BN);
  const wRecT = la.upload(transpose(p.wRec, N, N), N, N);
  for (let t = T - 1; t >= 0; t--) {
    const base = t * BN;
    for (let i = 0; i < BN; i++) {
      const gi = dRate[base + i] + carry[i];
      g[i] = gi;
      dZ[base + i] = gi * dAlpha[base + i];
    }
    if (t > 0) {
      const back = la.matmul(dZ.subarray(base, base + BN), B, wRecT);
      for (let i = 0; i < BN; i++) carry[i] = keep * g[i] + back[i];
    }
  }
  la.release(wRecT);

  // Weight gradients: one matmul each over all T*B rows. R^T serves both dW_rec and dW_out: for
  // dW_rec = sum_t r_{t-1}^T dZ_t we shift dZ up by one step instead of shifting R.
  const rateT = la.uploadTransposed(rate, TB, N); // [N, T*B]
  const dZShift = new Float32Array(TB * N);
  dZShift.set(dZ.subarray(BN)); // row block t holds dZ_{t+1}; the last block stays zero
  const dZShiftH = la.upload(dZShift, TB, N);
  const gRec = la.product(rateT, dZShiftH);
  la.release(dZShiftH);
  const dZoH = la.upload(dZo, TB, nOut);
  const gOut = la.product(rateT, dZoH);
  la.release(dZoH);
  la.release(rateT);
  const xT = la.uploadTransposed(batch.x, TB, nIn);
  const dZH = la.upload(dZ, TB, N);
  const gIn = la.product(xT, dZH);
  la.release(dZH);
  la.release(xT);

  const grads: RnnParams = {
    wIn: gIn,
    wRec: gRec,
    b: columnSums(dZ, TB, N),
    wOut: gOut,
    bOut: columnSums(dZo, TB, nOut),
  };
  if (h.l1Weight > 0 || h.l2Weight > 0) {
    for (const k of ['wIn', 'wRec', 'wOut'] as const) {
      const w = p[k];
      const gw = grads[k];
      const c1 = h.l1Weight / w.length;
      for (let i = 0; i < w.length; i++) gw[i] += c1 * Math.sign(w[i]) + h.l2Weight * w[i];
    }
  }
  return { loss, grads };
}
