/**
 * Types shared by every task. Tasks only generate trials: plain typed arrays, time-major,
 * no tfjs and no knowledge of any model.
 */

import type { ZodObject } from 'zod';
import type { Epoch, Rng, TaskMode, TrialBatch } from '../src/core/contracts.js';

export type { Epoch, Rng, TaskMode, TrialBatch };

export interface SampleOptions {
  /** Add input noise (default true: the spec keeps it on in training and in probe batches). */
  noise?: boolean;
  /** Test mode only: number of evenly spaced directions (default 8, the published Go-task analysis; 20 is the reference grid). */
  directions?: number;
  /**
   * Test mode only: each trial's direction drawn uniformly within its grid direction's sector
   * (width 2 pi / directions, centred on it), so that the directions are uniform on the circle and
   * dirIndex is the sector: probes can measure information about the direction itself.
   */
  continuous?: boolean;
}

/**
 * Layout of the input and output vectors and the trial's time grid, shared by all tasks of one run
 * (built from the config's `stimulus` section by layoutFromOptions in layout.ts).
 */
export interface TaskLayout {
  /** Units per ring (32). */
  ringSize: number;
  /** Number of input modality rings (2). */
  nRings: number;
  /** Number of rule slots (20 in the reference 'all' rule set). */
  nRules: number;
  /** Time step in ms (20). */
  dt: number;
  /** Time constant of the run in ms (100): alpha = dt / tau. */
  tau: number;
  /** SD of the input noise per step: sigma_x * sqrt(2 tau / dt) = 0.01 * sqrt(10). */
  inputNoiseSd: number;
  /** Timing overrides in ms from the config's `timing` section; each task reads the keys it declares. */
  timing: Readonly<Record<string, number | readonly number[]>>;
}

/** Input and output widths of a task's trials. */
export interface TaskSizes {
  nIn: number;
  nOut: number;
}

/** What a task's performance measure returns. */
export interface PerfResult {
  /** Fraction of trials correct by the task's own rule. */
  perf: number;
  /** A stricter variant (for the Go family: fixation also held before the go cue). */
  perfStrict: number;
  /** Per-trial correctness. */
  correct: Uint8Array;
}

/**
 * A task owns its trials, its time grid and sizes, its timing (defaults overridable through the
 * config) and its performance measure. It knows nothing of models: the engine asks it for sizes,
 * batches and a perf number, and wires the answers to a model.
 */
export interface Task {
  readonly name: string;
  /** Human-readable name as in the paper. */
  readonly displayName: string;
  /**
   * Timing parameters in ms with their defaults (a zod object schema). A config's `timing` section
   * is validated against the schemas of the run's tasks; unknown keys are refused. Without one, the
   * task takes no timing options.
   */
  readonly timingSchema?: ZodObject;
  /** Rule input slot (0-19 in the reference rule set): input unit 1 + 2 rings x 32 + ruleIndex is on for the whole trial. */
  readonly ruleIndex?: number;
  sizes(layout: TaskLayout): TaskSizes;
  /** Shape of the test grid with this many directions (C order, directions first; tasks/grid.ts). */
  gridShape?(directions: number): number[];
  /** Where this layout's timing breaks a trial (an epoch negative or past the trial's end), or null. */
  checkTiming?(layout: TaskLayout): string | null;
  sample(n: number, rng: Rng, mode: TaskMode, layout: TaskLayout, opts?: SampleOptions): TrialBatch;
  /** Performance on a model's outputs [T, B, nOut] for a batch this task made. */
  perf(output: Float32Array, batch: TrialBatch): PerfResult;
}
