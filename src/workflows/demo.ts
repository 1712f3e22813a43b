/**
 * `infoscope demo` (= `npm run demo`): a leaky RNN and an echo-state reservoir trained on Go with
 * probes, both reports, and their comparison. About 3 minutes on 2 CPU cores.
 */
import { join } from 'node:path';
import { compareRuns } from '../charts/compare.js';
import type { ProgressSink } from '../engine/progress.js';
import { type TrainResult, train } from './train.js';

interface DemoOptions {
  out: string;
  seed: number;
  rnnSteps: number;
  reservoirSteps: number;
  onProgress?: ProgressSink;
  log?: (line: string) => void;
}

interface DemoResult {
  rnn: TrainResult;
  reservoir: TrainResult;
  comparison: string;
}

export async function demo(o: DemoOptions): Promise<DemoResult> {
  const log = o.log ?? (() => {});
  log(`1/3 training a 256-unit leaky RNN on Go for ${o.rnnSteps} steps (probes every 50 steps) ...`);
  const rnn = await train({ task: 'go', model: 'rnn', steps: o.rnnSteps, seed: o.seed, probeEvery: 50, out: o.out, name: 'go-rnn' }, { onProgress: o.onProgress });
  log(`   perf ${rnn.perf.toFixed(3)}; report: ${join(rnn.dir, 'report.html')}`);
  log(`2/3 training a 256-unit echo-state reservoir on Go for ${o.reservoirSteps} steps (ridge readout, probes every 10 steps) ...`);
  const reservoir = await train({ task: 'go', model: 'reservoir', steps: o.reservoirSteps, seed: o.seed, probeEvery: 10, evalEvery: 5, out: o.out, name: 'go-reservoir' }, { onProgress: o.onProgress });
  log(`   perf ${reservoir.perf.toFixed(3)}; report: ${join(reservoir.dir, 'report.html')}`);
  log('3/3 comparing them ...');
  const cmp = await compareRuns([rnn.dir, reservoir.dir], join(o.out, 'comparison'));
  return { rnn, reservoir, comparison: cmp.report };
}
