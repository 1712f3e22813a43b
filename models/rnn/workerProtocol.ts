/** What the main thread and a gradient worker share. */
import type { BatchPart, RnnHyper } from './bptt.js';
import type { RnnParams } from './params.js';

export const CTRL_BUSY = 0;
export const CTRL_DONE = 1;
export const CTRL_ERROR = 2;
const ERR_BYTES = 4096;

export interface WorkerInit {
  shared: SharedArrayBuffer;
  nParams: number;
  nIn: number;
  hidden: number;
  nOut: number;
  /** tfjs backend name, and packages that can provide it (the first that imports is used). */
  backend: string;
  backendPackages: string[];
}

export interface WorkerJob {
  params: RnnParams;
  hyper: RnnHyper;
  batch: unknown;
  noiseKeys: string[];
  noiseSd: number;
  part: BatchPart;
}

export function sharedBytes(nParams: number): number {
  // ctrl (2 x int32) + loss (float64) + grads (float32) + error text
  return 16 + 4 * nParams + ERR_BYTES;
}

export function sharedViews(buf: SharedArrayBuffer, nParams: number) {
  return {
    ctrl: new Int32Array(buf, 0, 2),
    loss: new Float64Array(buf, 8, 1),
    grads: new Float32Array(buf, 16, nParams),
    err: new Uint8Array(buf, 16 + 4 * nParams, ERR_BYTES),
  };
}
