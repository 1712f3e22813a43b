/**
 * The Model interface. A model only steps and learns: it takes TrialBatches (src/core/contracts.ts)
 * and never knows which task made them. RNN and reservoir implement the same interface, so probes,
 * charts and reports work on either.
 */
import type { ZodType } from 'zod';
import type { ForwardRecord, ModelState, NoiseSource, Rng, TrialBatch } from '../src/core/contracts.js';

export type { ForwardRecord, ModelState, NoiseSource };

export interface StepResult {
  /** Cost-masked squared error plus regularisation. */
  loss: number;
  /** L2 norm of the gradient before clipping; absent for models not trained by gradient. */
  gradNorm?: number;
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
  /**
   * Silence units for an analysis: zero their outgoing recurrent and readout weights, until the
   * returned function restores them exactly. Optional: a model that cannot be lesioned leaves it out.
   */
  lesion?(units: Int32Array): () => void;
  exportState(): ModelState;
  importState(state: ModelState): void;
  /** Free backend memory (tensors) the model holds. */
  dispose(): void;
}

export interface ModelInit {
  nIn: number;
  nOut: number;
  /** Time step of the trial grid in ms (the task's), for models with continuous-time dynamics. */
  dt: number;
  /** The run's time constant in ms (`stimulus.tau`): alpha = dt / tau. */
  tau: number;
  /** Threads the model may use for a step (the engine's `threads`; 1 inside sweep workers). */
  threads: number;
  /** The model's own config section, already validated and filled by its optionsSchema. */
  options: Record<string, unknown>;
  /** Stream for weight initialisation. */
  rng: Rng;
}

/** Training-budget defaults a model may set for itself (a closed-form readout needs few steps). */
export interface RunDefaults {
  steps?: number;
  evalEvery?: number;
  checkpointEvery?: number;
  probeEvery?: number;
}

export interface ModelFactory {
  /** Registry name, and the name of the model's config section. */
  readonly kind: string;
  /** One line for --help and errors. */
  readonly description: string;
  /**
   * zod object schema of the model's options with their defaults: the config normaliser validates
   * and fills the model's section with it, for built-in and user-registered models alike. Without
   * one, the model takes no options (a section with any key is refused).
   */
  readonly optionsSchema?: ZodType<Record<string, unknown>>;
  readonly runDefaults?: RunDefaults;
  create(init: ModelInit): Model;
}
