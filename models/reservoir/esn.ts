/**
 * Echo-state network (reservoir) with a ridge-regression readout, implementing the same Model
 * interface as the RNN so that probes, charts and reports work unchanged.
 *
 *   x_t = (1 - a) x_{t-1} + a tanh(u_t W_in + x_{t-1} W + b),   x_{-1} = 0
 *   y_t = [x_t, 1] W_out                                          (linear readout)
 *
 * W is sparse random (density p), scaled so its spectral radius is rho; W_in and b are uniform in
 * [-s_in, s_in] and [-s_b, s_b]. The readout minimises sum_{t,b,k} c_tbk^2 (y - target)^2 + lambda |W_out|^2
 * over every trial seen: X^T C X and X^T C Y are accumulated batch by batch (memory does not grow
 * with the number of trials) and solved. On the native path the states, the statistics and the
 * solve (Cholesky) run in native/esn.cc, on two threads when the run has two; elsewhere tfjs
 * products and ml-matrix's solve.
 *
 * Options and their defaults: options.ts.
 */
import { zeroRows } from '../lesion.js';
import { lazyModule } from '../../src/core/lazy.js';
import type { Rng, TrialBatch } from '../../src/core/contracts.js';
import { type LinAlg, defaultLinAlg, transpose } from '../linalg.js';
import { activeNativeKernels } from '../native.js';
import type { ForwardRecord, Model, ModelInit, ModelState, StepResult } from '../types.js';
import type { ReservoirOptions } from './options.js';

/** ml-matrix (eigenvalues of the reservoir, the LU fallback of the ridge solve), loaded on first use. */
const mlMatrix = lazyModule<typeof import('ml-matrix')>('ml-matrix');

/** Largest |eigenvalue| of a square matrix given row-major. */
export function spectralRadius(w: Float64Array | Float32Array, n: number): number {
  const { EigenvalueDecomposition, Matrix } = mlMatrix();
  const m = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m.set(i, j, w[i * n + j]);
  const e = new EigenvalueDecomposition(m);
  let r = 0;
  const re = e.realEigenvalues;
  const im = e.imaginaryEigenvalues;
  for (let i = 0; i < n; i++) r = Math.max(r, Math.hypot(re[i], im[i]));
  return r;
}

/** A sparse random matrix scaled to spectral radius rho, in float64 (the scaling is exact there). */
export function scaledReservoir(n: number, density: number, rho: number, rng: Rng): Float64Array {
  const w = new Float64Array(n * n);
  for (let i = 0; i < n * n; i++) if (rng.next() < density) w[i] = 2 * rng.next() - 1;
  const r = spectralRadius(w, n);
  if (r === 0) throw new Error('the random reservoir matrix is nilpotent; raise the density');
  for (let i = 0; i < n * n; i++) w[i] *= rho / r;
  return w;
}

export class EchoStateNetwork implements Model {
  readonly kind = 'reservoir';
  readonly nHidden: number;
  readonly wIn: Float32Array;
  readonly wRec: Float32Array;
  readonly b: Float32Array;
  /** Readout [(N + 1) x nOut]: the last row is the bias. */
  wOut: Float32Array;
  /** Accumulated X^T C X [(N+1)^2] and X^T C Y [(N+1) x nOut], float64. */
  readonly xtx: Float64Array;
  readonly xty: Float64Array;
  trials = 0;

  constructor(
    readonly nIn: number,
    readonly nOut: number,
    readonly opts: ReservoirOptions,
    rng: Rng,
    /** 1, or 2: the native kernels split the batch (states) or the columns (statistics) in two. */
    readonly threads = 1,
    private readonly la: LinAlg = defaultLinAlg(),
  ) {
    const n = opts.hidden;
    this.nHidden = n;
    this.wRec = Float32Array.from(scaledReservoir(n, opts.density, opts.spectralRadius, rng));
    this.wIn = new Float32Array(nIn * n).map(() => (2 * rng.next() - 1) * opts.inputScale);
    this.b = new Float32Array(n).map(() => (2 * rng.next() - 1) * opts.biasScale);
    this.wOut = new Float32Array((n + 1) * nOut);
    this.xtx = new Float64Array((n + 1) * (n + 1));
    this.xty = new Float64Array((n + 1) * nOut);
  }

  /** Reservoir states [T*B, N] of a batch. */
  states(batch: TrialBatch): Float32Array {
    const { T, B } = batch;
    const N = this.nHidden;
    const BN = B * N;
    const a = this.opts.leak;
    const k = activeNativeKernels();
    if (k) {
      const out = new Float32Array(T * BN);
      k.esnStates({ nIn: this.nIn, N, T, B, leak: a, wIn: this.wIn, wRec: this.wRec, b: this.b, x: batch.x, out, threads: this.threads });
      return out;
    }
    const inH = this.la.upload(this.wIn, this.nIn, N);
    const u = this.la.matmul(batch.x, T * B, inH);
    this.la.release(inH);
    const x = new Float32Array(T * BN);
    const recH = this.la.upload(this.wRec, N, N);
    for (let t = 0; t < T; t++) {
      const base = t * BN;
      const rec = t > 0 ? this.la.matmul(x.subarray(base - BN, base), B, recH) : null;
      for (let bi = 0; bi < B; bi++) {
        const r = bi * N;
        for (let j = 0; j < N; j++) {
          const i = base + r + j;
          const pre = u[i] + this.b[j] + (rec ? rec[r + j] : 0);
          x[i] = (t > 0 ? (1 - a) * x[i - BN] : 0) + a * Math.tanh(pre);
        }
      }
    }
    this.la.release(recH);
    return x;
  }

  readout(x: Float32Array, rows: number): Float32Array {
    const N = this.nHidden;
    const wH = this.la.upload(this.wOut.subarray(0, N * this.nOut), N, this.nOut);
    const y = this.la.matmul(x, rows, wH);
    this.la.release(wH);
    const bias = this.wOut.subarray(N * this.nOut);
    for (let i = 0; i < rows; i++) for (let k = 0; k < this.nOut; k++) y[i * this.nOut + k] += bias[k];
    return y;
  }

  /** Per-sample regression weight: the squared mask of a reference output; checks the others are proportional. */
  private sampleWeights(batch: TrialBatch): Float32Array {
    const { T, B, nOut, cMask } = batch;
    const rows = T * B;
    const w = new Float32Array(rows);
    const ratio = new Float64Array(nOut).fill(NaN);
    for (let i = 0; i < rows; i++) {
      const ref = cMask[i * nOut + nOut - 1];
      w[i] = ref * ref;
      for (let k = 0; k < nOut; k++) {
        const c = cMask[i * nOut + k];
        if (ref === 0) {
          if (c !== 0) throw new Error('the reservoir readout needs cost masks that are proportional across outputs (one regression weight per time step)');
          continue;
        }
        const r = c / ref;
        if (Number.isNaN(ratio[k])) ratio[k] = r;
        else if (Math.abs(ratio[k] - r) > 1e-6 * Math.abs(r)) throw new Error('the reservoir readout needs cost masks that are proportional across outputs (one regression weight per time step)');
      }
    }
    const washout = this.opts.washout;
    for (let t = 0; t < Math.min(washout, T); t++) for (let b = 0; b < B; b++) w[t * B + b] = 0;
    return w;
  }

  /** Add a batch to the normal equations, X^T C X and X^T C Y, with one matmul each. */
  accumulate(batch: TrialBatch, x: Float32Array): void {
    const { T, B, nOut } = batch;
    const N = this.nHidden;
    const rows = T * B;
    const w = this.sampleWeights(batch);
    const k = activeNativeKernels();
    if (k) {
      k.esnAccumulate({ N, nOut, rows, x, y: batch.y, w, xtx: this.xtx, xty: this.xty, threads: this.threads });
      this.trials += B;
      return;
    }
    // [x, 1] scaled by sqrt(w) per row; targets scaled likewise
    const xs = new Float32Array(rows * (N + 1));
    const ys = new Float32Array(rows * nOut);
    for (let i = 0; i < rows; i++) {
      const s = Math.sqrt(w[i]);
      for (let j = 0; j < N; j++) xs[i * (N + 1) + j] = s * x[i * N + j];
      xs[i * (N + 1) + N] = s;
      for (let k = 0; k < nOut; k++) ys[i * nOut + k] = s * batch.y[i * nOut + k];
    }
    const xT = transpose(xs, rows, N + 1);
    const xsH = this.la.upload(xs, rows, N + 1);
    const ysH = this.la.upload(ys, rows, nOut);
    const a = this.la.matmul(xT, N + 1, xsH);
    const c = this.la.matmul(xT, N + 1, ysH);
    this.la.release(xsH);
    this.la.release(ysH);
    for (let i = 0; i < a.length; i++) this.xtx[i] += a[i];
    for (let i = 0; i < c.length; i++) this.xty[i] += c[i];
    this.trials += B;
  }

  /** W_out = (X^T C X + lambda I)^-1 X^T C Y; the bias row is not penalised. */
  solveReadout(): void {
    const n1 = this.nHidden + 1;
    const k = activeNativeKernels();
    // Cholesky in native code; LU (ml-matrix) where the matrix is not positive definite (ridge 0
    // and fewer informative rows than units)
    if (k && k.ridgeSolve({ n1, nOut: this.nOut, xtx: this.xtx, xty: this.xty, ridge: this.opts.ridge, out: this.wOut })) return;
    const { Matrix, solve } = mlMatrix();
    const a = new Matrix(n1, n1);
    for (let i = 0; i < n1; i++) for (let j = 0; j < n1; j++) a.set(i, j, this.xtx[i * n1 + j] + (i === j && i < n1 - 1 ? this.opts.ridge : 0));
    const b = new Matrix(n1, this.nOut);
    for (let i = 0; i < n1; i++) for (let k = 0; k < this.nOut; k++) b.set(i, k, this.xty[i * this.nOut + k]);
    const w = solve(a, b);
    for (let i = 0; i < n1; i++) for (let k = 0; k < this.nOut; k++) this.wOut[i * this.nOut + k] = w.get(i, k);
  }

  private check(batch: TrialBatch): void {
    if (batch.nIn !== this.nIn || batch.nOut !== this.nOut) throw new RangeError(`batch has ${batch.nIn} inputs and ${batch.nOut} outputs; the reservoir expects ${this.nIn} and ${this.nOut}`);
  }

  /** One "step": the batch's states join the regression and the readout is solved again. The loss is that of the readout before this batch. */
  trainStep(batch: TrialBatch): StepResult {
    this.check(batch);
    const x = this.states(batch);
    const y = this.readout(x, batch.T * batch.B);
    let loss = 0;
    for (let i = 0; i < y.length; i++) {
      const e = (y[i] - batch.y[i]) * batch.cMask[i];
      loss += e * e;
    }
    this.accumulate(batch, x);
    this.solveReadout();
    return { loss: loss / y.length };
  }

  run(batch: TrialBatch): ForwardRecord {
    this.check(batch);
    const x = this.states(batch);
    return { T: batch.T, B: batch.B, N: this.nHidden, nOut: this.nOut, hidden: x, output: this.readout(x, batch.T * batch.B) };
  }

  lesion(units: Int32Array): () => void {
    for (const u of units) if (!(u >= 0 && u < this.nHidden)) throw new RangeError(`unit ${u} is not one of the ${this.nHidden} units`);
    return zeroRows([{ a: this.wRec, cols: this.nHidden }, { a: this.wOut, cols: this.nOut }], units);
  }

  exportState(): ModelState {
    return {
      kind: this.kind,
      scalars: { trials: this.trials, hidden: this.nHidden, nIn: this.nIn, nOut: this.nOut },
      arrays: { wIn: this.wIn, wRec: this.wRec, b: this.b, wOut: this.wOut, xtx: this.xtx, xty: this.xty },
    };
  }

  importState(state: ModelState): void {
    if (state.kind !== this.kind) throw new Error(`checkpoint holds a ${state.kind} model, not a ${this.kind}`);
    const need: Array<[string, Float32Array | Float64Array]> = [['wIn', this.wIn], ['wRec', this.wRec], ['b', this.b], ['wOut', this.wOut], ['xtx', this.xtx], ['xty', this.xty]];
    for (const [name, dst] of need) {
      const src = state.arrays[name];
      if (!src || src.length !== dst.length) throw new Error(`checkpoint array ${name} is missing or has the wrong size`);
      dst.set(src);
    }
    this.trials = Number(state.scalars.trials);
  }

  dispose(): void {}
}

export function createReservoir(init: ModelInit): EchoStateNetwork {
  return new EchoStateNetwork(init.nIn, init.nOut, init.options as ReservoirOptions, init.rng, init.threads);
}
