/**
 * A recorded network: activity imported from outside (`infoscope import`, docs/import.md) replayed as
 * a Model, so the probe hooks, charts and reports run on it as on a network trained here. Its state at
 * a checkpoint is the recorded hidden activity [T, B, N] (and outputs [T, B, nOut] where recorded) of
 * the run's recorded trials; run() returns them for exactly those trials. It cannot train.
 */
import { z } from 'zod';
import type { TrialBatch } from '../src/core/contracts.js';
import type { ForwardRecord, Model, ModelInit, ModelState, StepResult } from './types.js';

export const recordedOptionsSchema = z.strictObject({
  hidden: z.number().int().min(1).max(100_000).describe('recorded units'),
  outputs: z.number().int().min(0).max(100_000).default(0).describe('recorded outputs (0: none recorded)'),
  time: z.number().int().min(1).describe('time steps of the recorded trials'),
  trials: z.number().int().min(1).describe('recorded trials'),
});
type RecordedOptions = z.output<typeof recordedOptionsSchema>;

class RecordedNetwork implements Model {
  readonly kind = 'recorded';
  readonly nIn: number;
  readonly nHidden: number;
  readonly nOut: number;
  private hidden: Float32Array;
  private output: Float32Array;

  constructor(
    nIn: number,
    private readonly o: RecordedOptions,
  ) {
    this.nIn = nIn;
    this.nHidden = o.hidden;
    this.nOut = Math.max(1, o.outputs);
    this.hidden = new Float32Array(o.time * o.trials * o.hidden);
    this.output = new Float32Array(o.time * o.trials * this.nOut);
  }

  trainStep(): StepResult {
    throw new Error('a recorded network cannot train: its activity was imported (probe, report and compare work on it)');
  }

  run(batch: TrialBatch): ForwardRecord {
    const { time: T, trials: B } = this.o;
    if (batch.T !== T || batch.B !== B) throw new Error(`a recorded network replays its ${B} recorded trials of ${T} steps, not a batch of ${batch.B} x ${batch.T}`);
    return { T, B, N: this.nHidden, nOut: this.nOut, hidden: this.hidden, output: this.output };
  }

  exportState(): ModelState {
    return { kind: this.kind, scalars: { hidden: this.nHidden, time: this.o.time, trials: this.o.trials }, arrays: { hidden: this.hidden, output: this.output } };
  }

  importState(state: ModelState): void {
    const { hidden, output } = state.arrays;
    if (!(hidden instanceof Float32Array) || hidden.length !== this.hidden.length) throw new Error(`recorded state: hidden must hold ${this.hidden.length} float32 values`);
    if (!(output instanceof Float32Array) || output.length !== this.output.length) throw new Error(`recorded state: output must hold ${this.output.length} float32 values`);
    this.hidden = hidden;
    this.output = output;
  }

  dispose(): void {}
}

export function createRecorded(init: ModelInit): Model {
  return new RecordedNetwork(init.nIn, recordedOptionsSchema.parse(init.options));
}
