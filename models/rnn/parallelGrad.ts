/**
 * Loss and gradient of a batch on two threads: the main thread takes the first half of the trials,
 * one worker the second, and the gradients are summed in a fixed order (main + worker), so the
 * result is deterministic. The step stays synchronous: the main thread waits on shared memory.
 */
import { Worker } from 'node:worker_threads';
import { tf } from '../../src/core/tfjs.js';
import type { TrialBatch } from '../../src/core/contracts.js';
import { recurrentNoise } from './noise.js';
import type { LinAlg } from '../linalg.js';
import type { NoiseSource } from '../types.js';
import { type LossAndGrads, type RnnHyper, type Workspace, lossAndGrads } from './bptt.js';
import { type RnnParams, paramNames } from './params.js';
import { sliceTrials } from './splitBatch.js';
import { CTRL_BUSY, CTRL_DONE, type WorkerInit, type WorkerJob, sharedBytes, sharedViews } from './workerProtocol.js';

/** Packages that provide each tfjs backend, in the order they are tried. */
function backendPackages(name: string): string[] {
  if (name === 'wasm') return ['@tensorflow/tfjs-backend-wasm'];
  if (name === 'tensorflow') return ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'];
  return [];
}

/** The compiled worker file: next to this module in dist/, or dist/'s copy when running from TypeScript sources (tests). */
function workerUrl(): URL {
  const here = import.meta.url;
  if (here.endsWith('.ts')) return new URL(here.replace(/\/models\/rnn\/parallelGrad\.ts$/, '/dist/models/rnn/gradWorker.js'));
  return new URL('./gradWorker.js', here);
}

const WAIT_MS = 120_000;

export class ParallelGrad {
  private worker: Worker | null = null;
  private readonly views: ReturnType<typeof sharedViews>;
  private readonly shared: SharedArrayBuffer;
  private readonly nParams: number;

  constructor(
    private readonly nIn: number,
    private readonly hidden: number,
    private readonly nOut: number,
    params: RnnParams,
  ) {
    this.nParams = paramNames.reduce((s, k) => s + params[k].length, 0);
    this.shared = new SharedArrayBuffer(sharedBytes(this.nParams));
    this.views = sharedViews(this.shared, this.nParams);
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const backend = tf.getBackend();
    const pkgs = backendPackages(backend);
    const init: WorkerInit = { shared: this.shared, nParams: this.nParams, nIn: this.nIn, hidden: this.hidden, nOut: this.nOut, backend, backendPackages: pkgs };
    const w = new Worker(workerUrl(), { workerData: init });
    w.unref(); // never keeps the process alive
    w.on('error', (e) => {
      const msg = new TextEncoder().encode(`gradient worker failed: ${e.message}`).subarray(0, this.views.err.length);
      this.views.err.set(msg);
      Atomics.store(this.views.ctrl, 1, msg.length);
      Atomics.store(this.views.ctrl, 0, 2);
      Atomics.notify(this.views.ctrl, 0);
    });
    this.worker = w;
    return w;
  }

  compute(p: RnnParams, h: RnnHyper, batch: TrialBatch, noise: NoiseSource | null, noiseSd: number, la: LinAlg, ws: Workspace): LossAndGrads {
    const B = batch.B;
    const half = Math.ceil(B / 2);
    const mine = sliceTrials(batch, 0, half);
    const theirs = sliceTrials(batch, half, B);
    const w = this.start();
    Atomics.store(this.views.ctrl, 0, CTRL_BUSY);
    const job: WorkerJob = {
      params: p,
      hyper: h,
      batch: theirs,
      noiseKeys: noise ? Array.from({ length: B - half }, (_, i) => noise.key(half + i)) : [],
      noiseSd: noise ? noiseSd : 0,
      part: { fraction: (B - half) / B, weightReg: false },
    };
    w.postMessage(job);

    const myNoise = noise && noiseSd > 0 ? recurrentNoise(mine.T, half, this.hidden, noiseSd, (b) => noise.key(b)) : null;
    const a = lossAndGrads(p, this.nIn, this.hidden, this.nOut, h, mine, myNoise, la, { fraction: half / B, weightReg: true }, ws);

    const t0 = Date.now();
    while (Atomics.load(this.views.ctrl, 0) === CTRL_BUSY) {
      Atomics.wait(this.views.ctrl, 0, CTRL_BUSY, 1000);
      if (Date.now() - t0 > WAIT_MS) throw new Error('the gradient worker did not answer within 120 s');
    }
    if (Atomics.load(this.views.ctrl, 0) !== CTRL_DONE) {
      const len = Atomics.load(this.views.ctrl, 1);
      throw new Error(new TextDecoder().decode(this.views.err.slice(0, len)) || 'the gradient worker failed');
    }
    let off = 0;
    for (const k of paramNames) {
      const g = a.grads[k];
      const other = this.views.grads.subarray(off, off + g.length);
      for (let i = 0; i < g.length; i++) g[i] += other[i];
      off += g.length;
    }
    return { loss: a.loss + this.views.loss[0], grads: a.grads };
  }

  dispose(): void {
    void this.worker?.terminate();
    this.worker = null;
  }
}
