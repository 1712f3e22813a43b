/**
 * Types shared by every task. Tasks only generate trials: plain typed arrays, time-major,
 * no tfjs and no knowledge of any model.
 */

/** A source of random numbers. The engine hands one in; tasks never create their own. */
export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
}

export type TaskMode = 'train' | 'test';

/** Half-open step interval [start, end). */
export type Epoch = readonly [start: number, end: number];

export interface SampleOptions {
  /** Add input noise (default true: the spec keeps it on in training and in probe batches). */
  noise?: boolean;
  /** Test mode only: number of evenly spaced directions (default 8, the published GO-task analysis; 20 is the reference grid). */
  directions?: number;
}

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
  /** Stimulus direction per trial (rad). */
  stimDir: Float64Array;
  /** Target response direction per trial (rad). */
  respDir: Float64Array;
  /** Stimulus modality per trial (1 or 2). */
  modality: Int32Array;
  /** Test mode: index of the direction on the test grid per trial, else -1. */
  dirIndex: Int32Array;
}

/** Layout of the input and output vectors, shared by all tasks of one run. */
export interface TaskLayout {
  /** Units per ring (32). */
  ringSize: number;
  /** Number of input modality rings (2). */
  nRings: number;
  /** Number of rule slots (20 in the reference 'all' rule set). */
  nRules: number;
  /** Time step in ms (20). */
  dt: number;
  /** SD of the input noise per step: sigma_x * sqrt(2 / alpha) = 0.01 * sqrt(10). */
  inputNoiseSd: number;
}

export interface Task {
  readonly name: string;
  /** Human-readable name as in the paper. */
  readonly displayName: string;
  /** Index of this task's rule unit. */
  readonly ruleIndex: number;
  sample(n: number, rng: Rng, mode: TaskMode, layout: TaskLayout, opts?: SampleOptions): TrialBatch;
}

export const defaultLayout: TaskLayout = {
  ringSize: 32,
  nRings: 2,
  nRules: 20,
  dt: 20,
  inputNoiseSd: 0.01 * Math.sqrt(2 / 0.2),
};

export function inputSize(layout: TaskLayout): number {
  return 1 + layout.nRings * layout.ringSize + layout.nRules;
}

export function outputSize(layout: TaskLayout): number {
  return 1 + layout.ringSize;
}
