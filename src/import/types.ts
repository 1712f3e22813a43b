/** The shapes an import takes, typed arrays in (filled by the manifest reader or by library users). */
import type { activations } from '../../models/rnn/activations.js';

export interface ActivityImport {
  /** Hidden activity [T, B, N] (C order) per checkpoint, steps strictly increasing. */
  hidden: Array<{ step: number; data: Float32Array }>;
  T: number;
  B: number;
  N: number;
  /** Outputs [T, B, nOut] per checkpoint (the same steps), if recorded. */
  outputs?: Array<{ step: number; data: Float32Array }>;
  nOut?: number;
  /** Inputs [T, B, nIn], if recorded. */
  inputs?: Float32Array;
  nIn?: number;
  /** Stimulus class per trial (0, 1, ...). */
  labels?: Int32Array;
  /** Continuous stimulus direction per trial, radians. */
  directions?: Float64Array;
  /** Named epochs in time steps, [start, end). */
  epochs?: Record<string, [number, number]>;
  /** Time step in ms (20). */
  dt?: number;
}

export interface WeightsImport {
  checkpoints: Array<{ step: number; wIn: Float32Array; wRec: Float32Array; b: Float32Array; wOut: Float32Array; bOut: Float32Array }>;
  nIn: number;
  N: number;
  nOut: number;
  /** dt / tau of the network (0.2 in the paper). */
  alpha: number;
  activation: (typeof activations)[number];
  /** Recurrent noise sigma_rec (0: none). */
  sigmaRec: number;
  /** The infoscope task(s) whose probe batches the network is run on. */
  task: string | string[];
  dt?: number;
}

export interface ImportSpec {
  /** Folder for run folders (like train's --out). */
  out: string;
  name?: string;
  seed?: number;
  /** Where the data came from (a manifest path), recorded in meta.json. */
  source?: string;
  activity?: ActivityImport;
  weights?: WeightsImport;
}
