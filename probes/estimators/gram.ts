/**
 * Pairwise squared distances through one matrix product on the tfjs backend:
 * D_ij = |x_i|^2 + |x_j|^2 - 2 x_i . x_j. Columns are centred first (distances do not change, and
 * small norms keep the float32 product's cancellation error down); norms and the combination are
 * float64. For a 200 x 256 layer this is ~20x faster than the float64 loop; the test bounds the
 * effect on the KT estimates below 1e-4 nats.
 */
import { tf } from '../../src/core/tfjs.js';
import type { Samples } from './types.js';

export function gramSqDist(s: Samples): Float64Array {
  const { n, d, data } = s;
  const centred = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += data[i * d + j];
    m /= n;
    for (let i = 0; i < n; i++) centred[i * d + j] = data[i * d + j] - m;
  }
  // the tensor leaves tidy, its data is read outside (tidy walks what it returns, element by element)
  const gt = tf.tidy(() => {
    const x = tf.tensor2d(centred, [n, d]);
    return tf.matMul(x, tf.transpose(x));
  });
  const g = gt.dataSync() as Float32Array;
  gt.dispose();
  const norm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = 0;
    for (let q = 0; q < d; q++) a += centred[i * d + q] * centred[i * d + q];
    norm[i] = a;
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = Math.max(0, norm[i] + norm[j] - 2 * g[i * n + j]);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
  return out;
}
