/** The leaky RNN of Yang et al. 2019 as a Model: hand-written BPTT, Adam, seeded noise. */
import { zeroRows } from '../lesion.js';
import { nativeNoiseArgs, recurrentNoise } from './noise.js';
import type { TrialBatch } from '../../src/core/contracts.js';
import { type LinAlg, TfLinAlg } from '../linalg.js';
import type { ForwardRecord, Model, ModelInit, ModelState, NoiseSource, StepResult } from '../types.js';
import { REFERENCE_TIME } from '../../src/core/timeGrid.js';
import { type RnnOptions, rnnOptionsSchema } from './options.js';
import { Adam, type AdamOptions, defaultAdam } from './adam.js';
import { ACT_CODE, type RnnHyper, Workspace, forward, lossAndGrads, wholeBatch } from './bptt.js';
import { ParallelGrad } from './parallelGrad.js';
import { type NativeKernels, activeNativeKernels } from '../native.js';
import { type RnnParams, initParams, paramNames } from './params.js';

/** What the constructor needs: the validated `rnn` options plus the run's time step and threads. */
type LeakyRnnSetup = RnnOptions & {
  /** Time step of the trial grid in ms (the task's): alpha = dt / tau. */
  dt: number;
  /** The run's time constant in ms. */
  tau: number;
  /** 1: one thread; 2: the batch is split in two halves (native: a helper thread; wasm: a worker), gradients summed. */
  threads: number;
};

/** Defaults for scripts and tests: the schema's defaults, the reference time grid, one thread. */
export function rnnSetup(o: Partial<LeakyRnnSetup> = {}): LeakyRnnSetup {
  const { dt = REFERENCE_TIME.dt, tau = REFERENCE_TIME.tau, threads = 1, ...rest } = o;
  return { ...rnnOptionsSchema.parse(rest), dt, tau, threads };
}

export class LeakyRnn implements Model {
  readonly kind = 'rnn';
  readonly nHidden: number;
  params: RnnParams;
  readonly adam: Adam;
  readonly hyper: RnnHyper;
  readonly noiseSd: number;
  private parallel: ParallelGrad | null = null;
  private readonly ws = new Workspace();

  constructor(
    readonly nIn: number,
    readonly nOut: number,
    readonly opts: LeakyRnnSetup,
    init: ModelInit['rng'],
    private readonly la: LinAlg = new TfLinAlg(),
  ) {
    this.nHidden = opts.hidden;
    this.params = initParams(nIn, opts.hidden, nOut, opts.recInit, opts.activation, init);
    const alpha = opts.dt / opts.tau;
    this.hyper = { alpha, activation: opts.activation, l1Rate: opts.l1Rate, l2Rate: opts.l2Rate, l1Weight: opts.l1Weight, l2Weight: opts.l2Weight };
    this.noiseSd = Math.sqrt(2 / alpha) * opts.sigmaRec;
    const adamOpts: AdamOptions = { ...defaultAdam, lr: opts.lr, clip: opts.gradClip };
    this.adam = new Adam(adamOpts, Object.fromEntries(paramNames.map((k) => [k, this.params[k].length])));
  }

  /** Recurrent noise [T*B, N], trial b drawn from its own stream (so a split batch draws the same). */
  noiseFor(batch: TrialBatch, noise: NoiseSource | null): Float32Array | null {
    if (noise === null || this.noiseSd === 0) return null;
    return recurrentNoise(batch.T, batch.B, this.nHidden, this.noiseSd, (b) => noise.key(b));
  }

  private check(batch: TrialBatch): void {
    if (batch.nIn !== this.nIn || batch.nOut !== this.nOut) {
      throw new RangeError(`batch has ${batch.nIn} inputs and ${batch.nOut} outputs; the model expects ${this.nIn} and ${this.nOut}`);
    }
  }

  /**
   * Arguments every native call shares: sizes, hyper-parameters, the weights (updated in place), the
   * noise streams (the kernels draw the noise themselves, on each half of a split batch) and threads.
   */
  private nativeArgs(batch: TrialBatch, noise: NoiseSource | null): Record<string, unknown> {
    const h = this.hyper;
    return {
      nIn: this.nIn, N: this.nHidden, nOut: this.nOut, T: batch.T, B: batch.B,
      act: ACT_CODE[h.activation], alpha: h.alpha, l1Rate: h.l1Rate, l2Rate: h.l2Rate, l1Weight: h.l1Weight, l2Weight: h.l2Weight,
      ...this.params,
      x: batch.x,
      ...(noise === null || this.noiseSd === 0 ? {} : nativeNoiseArgs(batch.B, this.noiseSd, (b) => noise.key(b))),
      threads: this.opts.threads,
    };
  }

  private nativeStep(k: NativeKernels, batch: TrialBatch, noise: NoiseSource): StepResult {
    const a = this.adam;
    const args = this.nativeArgs(batch, noise);
    for (const name of paramNames) {
      args[`m.${name}`] = a.m[name];
      args[`v.${name}`] = a.v[name];
    }
    Object.assign(args, { y: batch.y, cMask: batch.cMask, adamStep: a.step, lr: a.opts.lr, beta1: a.opts.beta1, beta2: a.opts.beta2, eps: a.opts.eps, clip: a.opts.clip });
    const r = k.step(args);
    a.step = r.adamStep;
    return { loss: r.loss, gradNorm: r.gradNorm };
  }

  trainStep(batch: TrialBatch, noise: NoiseSource): StepResult {
    this.check(batch);
    // the native kernels run the whole step in one call (on two threads when opts.threads is 2)
    const k = activeNativeKernels();
    if (k) return this.nativeStep(k, batch, noise);
    let out;
    if (this.opts.threads > 1 && batch.B > 1) {
      this.parallel ??= new ParallelGrad(this.nIn, this.nHidden, this.nOut, this.params);
      out = this.parallel.compute(this.params, this.hyper, batch, noise, this.noiseSd, this.la, this.ws);
    } else {
      out = lossAndGrads(this.params, this.nIn, this.nHidden, this.nOut, this.hyper, batch, this.noiseFor(batch, noise), this.la, wholeBatch, this.ws);
    }
    const { loss, grads } = out;
    const g = grads as unknown as Record<string, Float32Array>;
    const gradNorm = Adam.globalNorm(g);
    // A non-finite loss must not touch the weights: the engine stops the run on it.
    if (Number.isFinite(loss) && Number.isFinite(gradNorm)) this.adam.apply(this.params as unknown as Record<string, Float32Array>, g);
    return { loss, gradNorm };
  }

  run(batch: TrialBatch, noise: NoiseSource | null): ForwardRecord {
    this.check(batch);
    const k = activeNativeKernels();
    if (k) {
      const TBN = batch.T * batch.B * this.nHidden;
      const hidden = new Float32Array(TBN);
      const output = new Float32Array(batch.T * batch.B * this.nOut);
      k.forward({ ...this.nativeArgs(batch, noise), rate: hidden, out: output });
      return { T: batch.T, B: batch.B, N: this.nHidden, nOut: this.nOut, hidden, output };
    }
    const fs = forward(this.params, this.nIn, this.nHidden, this.nOut, this.hyper, batch, this.noiseFor(batch, noise), this.la);
    return { T: batch.T, B: batch.B, N: this.nHidden, nOut: this.nOut, hidden: fs.rate, output: fs.out };
  }

  lesion(units: Int32Array): () => void {
    for (const u of units) if (!(u >= 0 && u < this.nHidden)) throw new RangeError(`unit ${u} is not one of the ${this.nHidden} units`);
    return zeroRows([{ a: this.params.wRec, cols: this.nHidden }, { a: this.params.wOut, cols: this.nOut }], units);
  }

  exportState(): ModelState {
    const arrays: Record<string, Float32Array> = {};
    for (const k of paramNames) {
      arrays[k] = this.params[k];
      arrays[`adam.m.${k}`] = this.adam.m[k];
      arrays[`adam.v.${k}`] = this.adam.v[k];
    }
    return {
      kind: this.kind,
      scalars: { adamStep: this.adam.step, nIn: this.nIn, nOut: this.nOut, hidden: this.nHidden, activation: this.opts.activation, recInit: this.opts.recInit },
      arrays,
    };
  }

  importState(state: ModelState): void {
    if (state.kind !== this.kind) throw new Error(`checkpoint holds a ${state.kind} model, not an ${this.kind}`);
    for (const k of paramNames) {
      for (const [name, dst] of [
        [k, this.params[k]],
        [`adam.m.${k}`, this.adam.m[k]],
        [`adam.v.${k}`, this.adam.v[k]],
      ] as const) {
        const src = state.arrays[name];
        if (!src || !(src instanceof Float32Array) || src.length !== dst.length) throw new Error(`checkpoint array ${name} is missing or has the wrong size`);
        dst.set(src);
      }
    }
    this.adam.step = Number(state.scalars.adamStep);
  }

  dispose(): void {
    // Weights live in typed arrays and tensors are released inside each step; only the worker remains.
    this.parallel?.dispose();
    this.parallel = null;
  }
}

export function createRnn(init: ModelInit): LeakyRnn {
  return new LeakyRnn(init.nIn, init.nOut, { ...(init.options as RnnOptions), dt: init.dt, tau: init.tau, threads: init.threads }, init.rng);
}
