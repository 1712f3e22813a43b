/**
 * Probe hooks: what to measure on a network at a checkpoint. A hook gets the recorded activity of a
 * fixed probe batch and returns records (for probes.jsonl) and arrays (for arrays/*.npy). Hooks use
 * estimators; they know the activity's layout, not the model that produced it.
 */
import type { ZodType } from 'zod';
import type { ForwardRecord, TrialBatch } from '../../src/core/contracts.js';
import type { ProbeBatchSize } from './options.js';
import type { ProbeRecord } from './records.js';

export type { ProbeRecord };
import type { Samples } from '../estimators/types.js';

export interface ProbeContext {
  step: number;
  /** The fixed probe batch (test mode: aligned time steps). */
  batch: TrialBatch;
  /** Hidden rates [T, B, N] and outputs [T, B, nOut] of the model on that batch. */
  activity: ForwardRecord;
  /** Stimulus label per trial (index of the direction on the test grid, or of its sector). */
  labels: Int32Array;
  /** The continuous stimulus direction per trial (rad, drawn uniformly on the circle), when the probe batch has one. */
  directions?: Float64Array;
  /** Seed for permutations and subsamples. */
  seed: number;
  /** Memo shared by the hooks of one probe pass (e.g. distance matrices per time step). */
  memo: Map<string, unknown>;
  /**
   * Pairwise squared Euclidean distances of the rows of a sample matrix. The engine passes a
   * matmul-backed one; without it hooks use the plain float64 loop.
   */
  sqDist?: (s: Samples) => Float64Array;
  /** For run hooks (scope 'run'): every task's probe batch and activity, in the run's task order. */
  tasks?: readonly TaskActivity[];
  /** For run hooks: the network itself, for analyses that run their own trials (the engine wires it). */
  network?: NetworkAccess;
}

/** What the engine lets a run hook do with the network at this checkpoint (Yang et al.'s analyses). */
export interface NetworkAccess {
  /** The run's tasks, in order. */
  tasks: readonly string[];
  /** A task's reference test grid (20 directions, no input noise) and the step where its first fixation epoch ends. */
  grid(task: string): { batch: TrialBatch; from: number };
  /** Forward pass without recurrent noise. */
  run(batch: TrialBatch): ForwardRecord;
  /** The task's performance measure on a batch the task made and the network's output. */
  perf(batch: TrialBatch, output: Float32Array): number;
  /**
   * Silence units: zero their outgoing recurrent and readout weights until the returned function
   * restores them. Absent for a model that cannot be lesioned.
   */
  lesion?(units: Int32Array): () => void;
  /** X^T X of a [rows, cols] float32 matrix, in float64 (a fast product where the engine has one). */
  crossProduct(x: Float32Array, rows: number, cols: number): Float64Array;
  /** True at the run's last checkpoint (where the costly parts of an analysis run by default). */
  final: boolean;
}

/** One task's probe batch and the model's activity on it. */
export interface TaskActivity {
  task: string;
  batch: TrialBatch;
  activity: ForwardRecord;
}

export interface ProbeArray {
  /** File stem: arrays/step-<n>-<name>.npy */
  name: string;
  data: Float32Array;
  shape: number[];
}

export interface ProbeOutput {
  records: ProbeRecord[];
  arrays: ProbeArray[];
}

export interface ProbeHook {
  readonly name: string;
  readonly description: string;
  readonly estimators: readonly string[];
  readonly defaultEstimators: readonly string[];
  /**
   * 'task' (default): runs on each task's probe batch. 'run': runs once per pass of a run with several
   * tasks, on every task's activity (ProbeContext.tasks), e.g. the information about which task it is.
   */
  readonly scope?: 'task' | 'run';
  /**
   * zod object schema of the hook's options with their defaults. The config normaliser validates and
   * fills every probe spec's `options` with it, so run() receives complete, checked options.
   * Without one, the hook takes no options (any given are refused).
   */
  readonly optionsSchema?: ZodType<Record<string, unknown>>;
  /** Checks that need the probe batch's size (e.g. k against trials per class): a sentence, or null. */
  check?(options: Record<string, unknown>, size: ProbeBatchSize): string | null;
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput;
}
