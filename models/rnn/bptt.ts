/**
 * Forward pass and hand-written backpropagation through time for the leaky RNN
 *
 *   z_t = x_t W_in + r_{t-1} W_rec + b + noise_t
 *   r_t = (1 - alpha) r_{t-1} + alpha f(z_t),      r_{-1} = 0
 *   y_t = sigmoid(r_t W_out + b_out)
 *   L   = mean_{t,b,k} (c_{tbk} (y_tbk - target_tbk))^2  (+ optional L1/L2 on rates and weights)
 *
 * Structure exploited (docs/performance.md): the input projection X W_in, the readout R W_out,
 * its backward dY W_out^T and all weight gradients (R_prev^T dZ, X^T dZ, R^T dY) are each ONE matmul
 * over all T*B rows. Only r_{t-1} W_rec (forward) and dZ_t W_rec^T (backward) are sequential.
 * Elementwise work runs in plain typed arrays; all sums of the loss in float64.
 */
import type { TrialBatch } from '../../src/core/contracts.js';
import { type LinAlg, columnSums, transpose } from '../linalg.js';
import type { Activation } from './activations.js';
import type { RnnParams } from './params.js';

export interface RnnHyper {
  alpha: number;
  activation: Activation;
  l1Rate: number;
  l2Rate: number;
  l1Weight: number;
  l2Weight: number;
}

interface ForwardState {
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
 * Buffers reused from one training step to the next (a step allocates ~25 MB otherwise, and the
 * garbage collector shows up in profiles). Grown on demand, never shrunk.
 */
export class Workspace {
  private bufs = new Map<string, Float32Array>();

  get(name: string, n: number, zero = false): Float32Array {
    let b = this.bufs.get(name);
    if (!b || b.length < n) {
      b = new Float32Array(n);
      this.bufs.set(name, b);
      return b;
    }
    const v = b.length === n ? b : b.subarray(0, n);
    if (zero) v.fill(0);
    return v;
  }
}

/** Activation codes shared with the native kernels (native/elementwise.h). */
export const ACT_CODE = { relu: 0, softplus: 1, tanh: 2 } as const;

let zeros = new Float32Array(0);
function zeroNoise(n: number): Float32Array {
  if (zeros.length < n) zeros = new Float32Array(n);
  return zeros;
}

/**
 * Forward pass. `noise` is [T*B, N] (already scaled) or null. With a workspace the returned rate and
 * dAlpha arrays are its buffers (valid until the next call); without one they are fresh.
 */
export function forward(p: RnnParams, nIn: number, N: number, nOut: number, h: RnnHyper, batch: TrialBatch, noise: Float32Array | null, la: LinAlg, ws?: Workspace): ForwardState {
  const { T, B } = batch;
  const BN = B * N;
  const TB = T * B;
  const alpha = h.alpha;
  const keep = 1 - alpha;
  const act = ACT_CODE[h.activation];

  const wInH = la.upload(p.wIn, nIn, N);
  const z = la.matmul(batch.x, TB, wInH); // [T*B, N], all input projections at once
  la.release(wInH);

  const rate = ws ? ws.get('rate', TB * N) : new Float32Array(TB * N);
  const dAlpha = ws ? ws.get('dAlpha', TB * N) : new Float32Array(TB * N);
  const bias = p.b;
  const wRecH = la.upload(p.wRec, N, N);
  for (let t = 0; t < T; t++) {
    const base = t * BN;
    const rec = t > 0 ? la.matmul(rate.subarray(base - BN, base), B, wRecH) : zeroNoise(BN);
    // r_{t-1} for t = 0 is the zero state: read any row, multiply by 0.
    const k = t > 0 ? keep : 0;
    const pb = t > 0 ? base - BN : base;
    const zn = noise ?? zeroNoise(BN);
    const nb = noise ? base : 0;
    // One fused pass per step: pre-activation, rate nonlinearity, alpha * f', and the leak. The
    // inner loops are branch-free: the sign of a noisy pre-activation is a coin flip, and a
    // mispredicted branch per element cost 3x in profiles.
    for (let bi = 0; bi < B; bi++) {
      const row = base + bi * N;
      const rrow = bi * N;
      if (act === 0) {
        for (let j = 0; j < N; j++) {
          const i = row + j;
          const v = z[i] + bias[j] + rec[rrow + j] + zn[nb + rrow + j];
          const f = 0.5 * (v + Math.abs(v));
          dAlpha[i] = alpha * +(f > 0);
          rate[i] = k * rate[pb + rrow + j] + alpha * f;
        }
      } else if (act === 1) {
        for (let j = 0; j < N; j++) {
          const i = row + j;
          const v = z[i] + bias[j] + rec[rrow + j] + zn[nb + rrow + j];
          const e = Math.exp(-Math.abs(v));
          const f = 0.5 * (v + Math.abs(v)) + Math.log1p(e);
          // alpha * sigmoid(v): 1 / (1 + e) for v >= 0, e / (1 + e) below
          dAlpha[i] = (alpha * (1 + +(v < 0) * (e - 1))) / (1 + e);
          rate[i] = k * rate[pb + rrow + j] + alpha * f;
        }
      } else {
        for (let j = 0; j < N; j++) {
          const i = row + j;
          const v = z[i] + bias[j] + rec[rrow + j] + zn[nb + rrow + j];
          const f = Math.tanh(v);
          dAlpha[i] = alpha * (1 - f * f);
          rate[i] = k * rate[pb + rrow + j] + alpha * f;
        }
      }
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

/**
 * Loss of a forward state (float64 sums). Also returns dL/d(readout pre-activation) when asked.
 * `fraction` is this batch's share of the full batch when a batch is split across threads: the
 * mean over the part times its share is its term of the mean over the whole.
 */
function maskedLoss(fs: ForwardState, batch: TrialBatch, wantGrad: boolean, fraction = 1): { loss: number; dOut: Float32Array | null } {
  const { y, cMask } = batch;
  const n = fs.out.length;
  const inv = fraction / n;
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

function regularisation(p: RnnParams, rate: Float32Array, h: RnnHyper, part: BatchPart): number {
  let loss = 0;
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < rate.length; i++) {
      s1 += Math.abs(rate[i]);
      s2 += rate[i] * rate[i];
    }
    loss += (part.fraction * h.l1Rate * s1) / rate.length + 0.5 * h.l2Rate * s2;
  }
  if (part.weightReg && (h.l1Weight > 0 || h.l2Weight > 0)) {
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

/** Which share of a split batch this call computes; the weight penalty is added by one part only. */
export interface BatchPart {
  fraction: number;
  weightReg: boolean;
}

export const wholeBatch: BatchPart = { fraction: 1, weightReg: true };

/**
 * Full loss and gradient for one batch (or one part of a split batch). `noise` [T*B, N] or null.
 */
export function lossAndGrads(p: RnnParams, nIn: number, N: number, nOut: number, h: RnnHyper, batch: TrialBatch, noise: Float32Array | null, la: LinAlg, part: BatchPart = wholeBatch, ws: Workspace = new Workspace()): LossAndGrads {
  const fs = forward(p, nIn, N, nOut, h, batch, noise, la, ws);
  const { T, B, rate, dAlpha } = fs;
  const TB = T * B;
  const BN = B * N;
  const keep = 1 - h.alpha;
  const { loss: dataLoss, dOut } = maskedLoss(fs, batch, true, part.fraction);
  const dZo = dOut as Float32Array;
  const loss = dataLoss + regularisation(p, rate, h, part);

  // dL/dr_t from the readout, for all t at once.
  const wOutT = la.upload(transpose(p.wOut, N, nOut), nOut, N);
  const dRate = la.matmul(dZo, TB, wOutT);
  la.release(wOutT);
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    const c1 = (part.fraction * h.l1Rate) / rate.length;
    for (let i = 0; i < dRate.length; i++) dRate[i] += c1 * Math.sign(rate[i]) + h.l2Rate * rate[i];
  }

  // Sequential part: carry = dL/dr_{t-1} flowing back through the leak and W_rec. The bias gradient
  // (sum of dZ over rows) is accumulated on the way, in float64.
  const dZ = ws.get('dZ', TB * N);
  const g = ws.get('g', BN);
  const carry = ws.get('carry', BN, true);
  const gB = new Float64Array(N);
  const wRecT = la.upload(transpose(p.wRec, N, N), N, N);
  for (let t = T - 1; t >= 0; t--) {
    const base = t * BN;
    for (let bi = 0; bi < B; bi++) {
      const r = bi * N;
      for (let j = 0; j < N; j++) {
        const i = base + r + j;
        const gi = dRate[i] + carry[r + j];
        const dz = gi * dAlpha[i];
        g[r + j] = gi;
        dZ[i] = dz;
        gB[j] += dz;
      }
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
  const dZShift = ws.get('dZShift', TB * N);
  dZShift.set(dZ.subarray(BN)); // row block t holds dZ_{t+1}; the last block is zero
  dZShift.fill(0, (TB - B) * N);
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
    b: Float32Array.from(gB),
    wOut: gOut,
    bOut: columnSums(dZo, TB, nOut),
  };
  if (part.weightReg && (h.l1Weight > 0 || h.l2Weight > 0)) {
    for (const k of ['wIn', 'wRec', 'wOut'] as const) {
      const w = p[k];
      const gw = grads[k];
      const c1 = h.l1Weight / w.length;
      for (let i = 0; i < w.length; i++) gw[i] += c1 * Math.sign(w[i]) + h.l2Weight * w[i];
    }
  }
  return { loss, grads };
}
