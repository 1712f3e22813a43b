/** Recurrent noise of a batch: [T*B, N], trial b drawn from the stream named key(b) (so a split batch draws the same). */
import { Xoshiro128 } from '../../src/core/rng.js';

export function recurrentNoise(T: number, B: number, N: number, sd: number, key: (b: number) => string): Float32Array {
  const out = new Float32Array(T * B * N);
  for (let b = 0; b < B; b++) {
    const rng = Xoshiro128.fromKey(key(b));
    for (let t = 0; t < T; t++) rng.fillNormal(out, sd, (t * B + b) * N, N);
  }
  return out;
}
