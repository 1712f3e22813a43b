/**
 * The probe worker thread (probeRunner.ts): builds the run's model and probe batch once, then for
 * each snapshot of the weights runs one probe pass and writes its records and arrays.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { BackendChoice } from '../config/backends.js';
import { initBackend } from './backend.js';
import { getProbe } from '../../probes/hooks/registry.js';
import { runProbes } from './probe.js';
import type { ProbeWorkerInit, ProbeWorkerReply } from './probeRunner.js';
import { buildModel, layoutFor, probeBatches } from './setup.js';
import { runPaths } from '../runfolder/paths.js';
import type { ModelState } from '../../models/types.js';

const port = parentPort;
if (!port) throw new Error('probeWorker runs as a worker thread');
const send = (m: ProbeWorkerReply) => port.postMessage(m);

const init = workerData as ProbeWorkerInit;
try {
  // the same path as the training thread: native kernels or the tfjs backend it named
  await initBackend((['native', 'wasm', 'tensorflow', 'cpu'].includes(init.backend) ? init.backend : 'auto') as BackendChoice);
  // every hook, task and model of the run must be known here (one registered in the user's own
  // process is not): getProbe and buildModel throw otherwise, and the runner stays on the training thread
  for (const spec of init.config.probes) getProbe(spec.hook);
  const layout = layoutFor(init.config);
  const model = buildModel(init.config, layout);
  const batches = probeBatches(init.config, layout);
  const paths = runPaths(init.dir);
  port.on('message', (m: { step: number; state: ModelState }) => {
    try {
      model.importState(m.state);
      const r = runProbes(paths, init.config, model, batches, layout, m.step, 'train');
      send({ type: 'done', step: m.step, seconds: r.seconds });
    } catch (e) {
      send({ type: 'error', step: m.step, message: (e as Error).message });
    }
  });
  send({ type: 'ready' });
} catch (e) {
  send({ type: 'unsupported', reason: (e as Error).message.split('\n')[0] });
}
