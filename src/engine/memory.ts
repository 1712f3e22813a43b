/**
 * What a run will hold in memory at its peak, from its sizes alone, checked before anything is
 * allocated: a run that cannot fit is refused in one sentence instead of swapping or being killed
 * after minutes. The count (float32 throughout):
 *
 * - BPTT keeps per time step and trial the pre-activation, the rate and their gradients: 4 T B N;
 * - a batch of inputs, targets and mask: T B (nIn + 2 nOut);
 * - parameters P = nIn N + N^2 + N + N nOut + nOut, with gradient, Adam's two moments and a second
 *   thread's gradient: 5 P;
 * - the probe batches run through a second copy of the model: 2 T probeTrials N per task, plus P;
 * - Node, tfjs and the native addon themselves: BASE_BYTES.
 * T is the longest trial among a few training draws of each task (the delays are drawn).
 */
import { freemem } from 'node:os';
import { getTask } from '../../tasks/registry.js';
import { type Config, modelOptions, taskList } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import { stream } from '../core/rng.js';
import { layoutFor } from './setup.js';

/** Memory of the process before the run's arrays (measured: 250-350 MB resident after start). */
const BASE_BYTES = 400 * 2 ** 20;
/** Training draws per task to find the longest trial. */
const DRAWS = 6;

interface MemoryEstimate {
  bytes: number;
  T: number;
  N: number;
}

function estimateRunMemory(config: Config): MemoryEstimate {
  const layout = layoutFor(config);
  const N = Number((modelOptions(config) as { hidden?: number }).hidden ?? 256);
  const tasks = taskList(config);
  let T = 0;
  let nIn = 0;
  let nOut = 0;
  for (const [i, name] of tasks.entries()) {
    const task = getTask(name);
    ({ nIn, nOut } = task.sizes(layout));
    const rng = stream(config.seed, 'sizes', i);
    for (let d = 0; d < DRAWS; d++) T = Math.max(T, task.sample(1, rng, 'train', layout).T);
  }
  const B = config.batch;
  const P = nIn * N + N * N + N + N * nOut + nOut;
  const floats = 4 * T * B * N + T * B * (nIn + 2 * nOut) + 5 * P + (config.probeEvery > 0 ? tasks.length * 2 * T * config.probeTrials * N + P : 0);
  return { bytes: BASE_BYTES + 4 * floats, T, N };
}

const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;

/** Refuses a run whose estimate exceeds the memory this machine has available now. */
export function checkRunMemory(config: Config, available = freemem()): void {
  const e = estimateRunMemory(config);
  if (e.bytes > available) {
    throw new UserError(`this run needs about ${gib(e.bytes)} (${e.N} units, batch ${config.batch}, trials up to ${e.T} steps) and ${gib(available)} is available; reduce --batch or --hidden`);
  }
}
