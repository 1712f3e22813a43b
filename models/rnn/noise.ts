/**
 * Recurrent noise of a batch: [T*B, N], trial b drawn from the stream named key(b) (so a split batch
 * draws the same). The native path draws the same numbers in C++ from the streams' states
 * (native/noise.cc): `noiseStreams` hands it those states.
 */
import { Xoshiro128, zigguratTables } from '../../src/core/rng.js';

/** The state of each trial's noise stream, 4 words per trial: what the native kernels draw from. */
function noiseStreams(B: number, key: (b: number) => string): Int32Array {
  const seeds = new Int32Array(4 * B);
  for (let b = 0; b < B; b++) seeds.set(Xoshiro128.fromKey(key(b)).getState().s, 4 * b);
  return seeds;
}

/** The arguments by which a native step or forward pass draws the batch's noise itself. */
export function nativeNoiseArgs(B: number, sd: number, key: (b: number) => string): { noiseSeeds: Int32Array; noiseSd: number; kn: Float64Array; wn: Float64Array; fn: Float64Array } {
  return { noiseSeeds: noiseStreams(B, key), noiseSd: sd, ...zigguratTables };
}

/** The wasm path's noise (the native step draws the same numbers itself, from nativeNoiseArgs). */
export function recurrentNoise(T: number, B: number, N: number, sd: number, key: (b: number) => string): Float32Array {
  const out = new Float32Array(T * B * N);
  for (let b = 0; b < B; b++) {
    const rng = Xoshiro128.fromKey(key(b));
    for (let t = 0; t < T; t++) rng.fillNormal(out, sd, (t * B + b) * N, N);
  }
  return out;
}
