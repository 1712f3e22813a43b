/** Model registry: the built-in leaky RNN and reservoir plus anything a user registers. */
import { Registry } from '../src/core/registry.js';
import { reservoirOptionsSchema } from './reservoir/options.js';
import { createReservoir } from './reservoir/esn.js';
import { rnnOptionsSchema } from './rnn/options.js';
import { createRnn } from './rnn/leakyRnn.js';
import type { ModelFactory } from './types.js';
import { createRecorded, recordedOptionsSchema } from './recorded.js';

const rnnFactory: ModelFactory = {
  kind: 'rnn',
  description: 'leaky RNN trained by backpropagation through time (Adam)',
  optionsSchema: rnnOptionsSchema,
  create: createRnn,
};

/** A ridge readout in closed form reaches perf 1.0 on Go within about 25 steps of 64 trials. */
const reservoirFactory: ModelFactory = {
  kind: 'reservoir',
  description: 'echo-state reservoir with a ridge-regression readout',
  optionsSchema: reservoirOptionsSchema,
  runDefaults: { steps: 25, evalEvery: 5, checkpointEvery: 5, probeEvery: 5 },
  create: createReservoir,
};

/** Activity imported from outside, replayed for the probes (`infoscope import`). */
const recordedFactory: ModelFactory = {
  kind: 'recorded',
  description: 'activity recorded elsewhere and imported (probe, report and compare; no training)',
  optionsSchema: recordedOptionsSchema,
  create: createRecorded,
};

export const modelRegistry = new Registry<ModelFactory>('model', (f) => f.kind, [rnnFactory, reservoirFactory, recordedFactory]);

export function registerModel(factory: ModelFactory): void {
  modelRegistry.register(factory);
}

export function getModel(kind: string): ModelFactory {
  return modelRegistry.get(kind);
}

export function modelKinds(): string[] {
  return modelRegistry.names();
}
