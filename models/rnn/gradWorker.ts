/**
 * Worker thread computing the loss and gradient of one part of a split batch. It runs the same
 * lossAndGrads as the main thread on its own tfjs backend instance, and hands its result back
 * through shared memory so the main thread can wait synchronously (Atomics.wait).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { TfLinAlg } from '../linalg.js';
import { Workspace, lossAndGrads } from './bptt.js';
import { paramNames } from './params.js';
import { recurrentNoise } from './noise.js';
import type { TrialBatch } from '../../src/core/contracts.js';
import { CTRL_DONE, CTRL_ERROR, type WorkerInit, type WorkerJob, sharedViews } from './workerProtocol.js';

const init = workerData as WorkerInit;
const views = sharedViews(init.shared, init.nParams);

async function setup(): Promise<void> {
  for (const pkg of init.backendPackages) {
    try {
      await import(pkg);
      break;
    } catch {
      /* try the next provider */
    }
  }
  if (!(await tf.setBackend(init.backend))) throw new Error(`worker could not start the ${init.backend} backend`);
}

const ready = setup();
const la = new TfLinAlg();
const ws = new Workspace();

function fail(e: unknown): void {
  const msg = new TextEncoder().encode(e instanceof Error ? e.message : String(e)).subarray(0, views.err.length);
  views.err.set(msg);
  Atomics.store(views.ctrl, 1, msg.length);
  Atomics.store(views.ctrl, 0, CTRL_ERROR);
  Atomics.notify(views.ctrl, 0);
}

parentPort?.on('message', (job: WorkerJob) => {
  ready
    .then(() => {
      const batch = job.batch as TrialBatch;
      const N = init.hidden;
      const noise = job.noiseSd > 0 ? recurrentNoise(batch.T, batch.B, N, job.noiseSd, (b) => job.noiseKeys[b]) : null;
      const { loss, grads } = lossAndGrads(job.params, init.nIn, N, init.nOut, job.hyper, batch, noise, la, job.part, ws);
      let off = 0;
      for (const k of paramNames) {
        views.grads.set(grads[k], off);
        off += grads[k].length;
      }
      views.loss[0] = loss;
      Atomics.store(views.ctrl, 0, CTRL_DONE);
      Atomics.notify(views.ctrl, 0);
    })
    .catch(fail);
});
