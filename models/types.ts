/**
 * The Model interface. A model only steps and learns: it takes TrialBatches (from tasks/) and
 * never knows which task made them. RNN and reservoir implement the same interface, so probes,
 * charts and reports work on either.
 */
import type { Rng, TrialBatch } from '../tasks/types.js';

/**
 * Per-trial recurrent-noise streams: trial b of the batch draws from the stream named key(b)
 * (see tasks/rng.ts). One stream per trial makes the noise independent of how a batch is split
 * across threads, and keys (plain strings) can be sent to a worker.
 */
export interface NoiseSource {
  key(b: number): string;
}

export interface StepResult {
  /** Cost-masked squared error plus regularisation. */
  loss: number;
  /** L2 norm of the gradient before clipping; absent for models not trained by gradient. */
  gradNorm?: number;
}

/** Activity of a forward pass, time-major. */
export interface ForwardRecord {
  T: number;
  B: number;
  N: number;
  nOut: number;
  /** Hidden rates [T, B, N]. */
  hidden: Float32Array;
  /** Readout after the output nonlinearity [T, B, nOut]. */
  output: Float32Array;
}

/** Everything needed to restore a model exactly: named arrays plus JSON-able scalars. */
export interface ModelState {
  kind: string;
  scalars: Record<string, number | string | boolean>;
  arrays: Record<string, Float32Array | Float64Array>;
}

export interface Model {
  readonly kind: string;
  readonly nIn: number;
  readonly nHidden: number;
  readonly nOut: number;
  /** One optimisation step on a batch. */
  trainStep(batch: TrialBatch, noise: NoiseSource): StepResult;
  /** Forward pass; `noise` null runs without recurrent noise. */
  run(batch: TrialBatch, noise: NoiseSource | null): ForwardRecord;
  exportState(): ModelState;
  importState(state: ModelState): void;
  /** Free backend memory (tensors) the model holds. */
  dispose(): void;
}

export interface ModelInit {
  nIn: number;
  nOut: number;
  /** Model-specific options, already validated by the engine's config schema. */
  options: Record<string, unknown>;
  /** Stream for weight initialisation. */
  rng: Rng;
}

export interface ModelFactory {
  readonly kind: string;
  create(init: ModelInit): Model;
}
