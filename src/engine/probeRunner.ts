/**
 * Where probe passes run during training. Off the training thread by default: a worker thread
 * holds its own copy of the model and the fixed probe batch, and computes each pass from a snapshot
 * of the weights at that step (postMessage copies the arrays), so its records equal those of a pass
 * on the training thread while training goes on. On the training thread when asked
 * (`probeThread: 'main'`), or when the worker cannot build the run (a task, model or hook that a
 * library user registered in their own process is unknown to a fresh thread).
 *
 * The invariant resume relies on: when checkpoint c is written, every pass of a step before c is on
 * disk (checkpoint() waits for them); the pass at c itself may still be running, so resume from c
 * recomputes it.
 */
import { Worker } from 'node:worker_threads';
import type { Model } from '../../models/types.js';
import type { TaskLayout, TrialBatch } from '../../tasks/types.js';
import type { Config } from '../config/schema.js';
import { compiledSibling } from '../core/compiled.js';
import type { RunPaths } from '../runfolder/paths.js';
import { runProbes } from './probe.js';

export interface ProbeRunner {
  /** Start (or, on the training thread, run) the pass of `step` on the model's current weights. */
  submit(step: number): void;
  /** Wait until every pass of a step before `step` is on disk. */
  drainBefore(step: number): Promise<void>;
  drainAll(): Promise<void>;
  /** Passes not yet on disk. */
  pending(): number;
  /** Stop at once; passes in flight are lost (resume recomputes them). */
  abort(): Promise<void>;
  /** Seconds of probe computation so far, and seconds the training thread waited for it. */
  readonly timing: { probe_s: number; wait_s: number };
  readonly where: 'main' | 'worker';
}

export interface ProbeWorkerInit {
  config: Config;
  dir: string;
  backend: string;
}

export type ProbeWorkerReply = { type: 'ready' } | { type: 'unsupported'; reason: string } | { type: 'done'; step: number; seconds: number } | { type: 'error'; step: number; message: string };

function inlineRunner(paths: RunPaths, config: Config, model: Model, batches: readonly TrialBatch[], layout: TaskLayout): ProbeRunner {
  const timing = { probe_s: 0, wait_s: 0 };
  return {
    where: 'main',
    timing,
    submit: (step) => {
      const s = runProbes(paths, config, model, batches, layout, step, 'train').seconds;
      timing.probe_s += s;
      timing.wait_s += s;
    },
    drainBefore: async () => {},
    drainAll: async () => {},
    pending: () => 0,
    abort: async () => {},
  };
}

/**
 * Under probeThread 'auto', runs this short probe on the training thread: starting the worker (a
 * second tfjs and model) costs about a second, more than the overlap gains on a run of a few steps.
 */
const PROBE_WORKER_MIN_STEPS = 200;

/** A runner for this run: on a worker thread unless the config says main (or auto on a short run) or the worker cannot build the run. */
export async function createProbeRunner(paths: RunPaths, config: Config, model: Model, batches: readonly TrialBatch[], layout: TaskLayout, backend: string): Promise<ProbeRunner> {
  if (config.probeThread === 'main' || (config.probeThread === 'auto' && config.steps < PROBE_WORKER_MIN_STEPS)) return inlineRunner(paths, config, model, batches, layout);
  const init: ProbeWorkerInit = { config, dir: paths.dir, backend };
  const worker = new Worker(compiledSibling(import.meta.url, 'probeWorker.js'), { workerData: init });
  const first = await new Promise<ProbeWorkerReply>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ type: 'unsupported', reason: e.message }));
  });
  if (first.type !== 'ready') {
    await worker.terminate();
    process.stderr.write(`note: probe passes run on the training thread (${first.type === 'unsupported' ? first.reason : 'the probe worker did not start'})\n`);
    return inlineRunner(paths, config, model, batches, layout);
  }
  const timing = { probe_s: 0, wait_s: 0 };
  const inFlight = new Map<number, { resolve: () => void; reject: (e: Error) => void; done: Promise<void> }>();
  let failure: Error | null = null;
  worker.on('message', (m: ProbeWorkerReply) => {
    if (m.type !== 'done' && m.type !== 'error') return;
    const f = inFlight.get(m.step);
    inFlight.delete(m.step);
    if (m.type === 'done') {
      timing.probe_s += m.seconds;
      f?.resolve();
    } else {
      failure = new Error(`probe pass at step ${m.step} failed: ${m.message}`);
      f?.reject(failure);
    }
  });
  worker.on('error', (e) => {
    failure = e;
    for (const f of inFlight.values()) f.reject(e);
    inFlight.clear();
  });
  const wait = async (steps: number[]) => {
    const t0 = performance.now();
    await Promise.all(steps.map((s) => inFlight.get(s)?.done));
    timing.wait_s += (performance.now() - t0) / 1000;
    if (failure) throw failure;
  };
  return {
    where: 'worker',
    timing,
    submit: (step) => {
      if (failure) throw failure;
      let resolve!: () => void;
      let reject!: (e: Error) => void;
      const done = new Promise<void>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      done.catch(() => {}); // surfaced by wait()
      inFlight.set(step, { resolve, reject, done });
      // postMessage copies the arrays: the pass sees the weights of this step, whatever training does next
      worker.postMessage({ step, state: model.exportState() });
    },
    drainBefore: (step) => wait([...inFlight.keys()].filter((s) => s < step)),
    drainAll: async () => {
      await wait([...inFlight.keys()]);
      await worker.terminate();
    },
    pending: () => inFlight.size,
    abort: async () => {
      inFlight.clear();
      await worker.terminate();
    },
  };
}
