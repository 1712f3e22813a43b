/**
 * What crosses between rooms that must not know each other: a task makes TrialBatches, a model
 * consumes them and produces ForwardRecords (and ModelStates, which the run folder stores), a
 * probe hook reads both. Tasks, models and probes
 * import these shapes from here, never from each other; the engine wires them.
 */
export type { Rng } from './rng.js';

export type TaskMode = 'train' | 'test';

/** Half-open step interval [start, end). */
export type Epoch = readonly [start: number, end: number];

/** One batch of trials. Arrays are time-major: index (t * B + b) * width + k. */
export interface TrialBatch {
  /** Name of the task that generated the batch. */
  task: string;
  mode: TaskMode;
  /** Time steps. */
  T: number;
  /** Trials. */
  B: number;
  nIn: number;
  nOut: number;
  /** Inputs [T, B, nIn]. */
  x: Float32Array;
  /** Targets [T, B, nOut]. */
  y: Float32Array;
  /** Cost mask [T, B, nOut]; the loss multiplies the error by it before squaring. */
  cMask: Float32Array;
  /** Step at which the network must respond (go cue); all trials in a batch share it. */
  goStep: number;
  /** Named epochs shared by every trial of the batch. */
  epochs: Record<string, Epoch>;
  /** Direction of the (first) stimulus per trial (rad). */
  stimDir: Float64Array;
  /** Direction of the second stimulus per trial (rad); NaN where a task shows one stimulus. */
  stimDir2: Float64Array;
  /** Strengths [B, 2 stimuli, 2 rings]: strength of stimulus j in ring r (0: not shown there). */
  strength: Float64Array;
  /** Target response direction per trial (rad); meaningless where respond is 0. */
  respDir: Float64Array;
  /** 1: the trial asks for a response at the go cue; 0: a no-go trial (keep fixating). */
  respond: Uint8Array;
  /** Ring of the (first) stimulus per trial (1 or 2); for tasks that show both rings, the attended ring, or 0 for both. */
  modality: Int32Array;
  /** Test mode: index of the first stimulus's direction on the test grid per trial, else -1. */
  dirIndex: Int32Array;
  /** Test mode: the trial's position in the C-order enumeration of its task's test grid, else -1. */
  gridIndex: Int32Array;
  /** Matching tasks: 1 if the two stimuli match (direction or category), 0 if not; -1 elsewhere. */
  match: Int8Array;
  /** Category tasks: [B, 2] category of each stimulus (0: direction below pi, 1: at or above pi); -1 elsewhere. */
  category: Int8Array;
}

/**
 * Per-trial recurrent-noise streams: trial b of the batch draws from the stream named key(b)
 * (src/core/rng.ts). One stream per trial makes the noise independent of how a batch is split
 * across threads, and keys (plain strings) can be sent to a worker.
 */
export interface NoiseSource {
  key(b: number): string;
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
