/** Ridge regression by normal equations, which a fold can downdate: the continuous decoder's readouts (regression.ts). */
import { cholesky, choleskySolve } from './linalg.js';

/** Normal equations [x 1]^T [x 1] and [x 1]^T y summed over `rows` (sign -1 subtracts them: a downdate). */
export interface Normal {
  a: Float64Array;
  b: Float64Array;
}

function accumulate(nq: Normal, x: Float64Array, q: number, y: Float64Array, t: number, rows: ArrayLike<number>, sign = 1): Normal {
  const q1 = q + 1;
  const row = new Float64Array(q1);
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    for (let c = 0; c < q; c++) row[c] = x[i * q + c];
    row[q] = 1;
    for (let u = 0; u < q1; u++) {
      const ru = sign * row[u];
      for (let v = u; v < q1; v++) nq.a[u * q1 + v] += ru * row[v];
      for (let k = 0; k < t; k++) nq.b[u * t + k] += ru * y[i * t + k];
    }
  }
  return nq;
}

export const normalOf = (x: Float64Array, q: number, y: Float64Array, t: number, rows: ArrayLike<number>): Normal => accumulate({ a: new Float64Array((q + 1) * (q + 1)), b: new Float64Array((q + 1) * t) }, x, q, y, t, rows);
export const minus = (nq: Normal, x: Float64Array, q: number, y: Float64Array, t: number, rows: ArrayLike<number>): Normal => accumulate({ a: Float64Array.from(nq.a), b: Float64Array.from(nq.b) }, x, q, y, t, rows, -1);

/** Ridge weights [q + 1, t] (the last row the intercept) from normal equations, with a light ridge relative to the features' scale. */
export function solveRidge(nq: Normal, q: number, t: number): Float64Array {
  const q1 = q + 1;
  const a = Float64Array.from(nq.a);
  let tr = 0;
  for (let u = 0; u < q; u++) tr += a[u * q1 + u];
  for (let u = 0; u < q1; u++) {
    for (let v = 0; v < u; v++) a[u * q1 + v] = a[v * q1 + u];
    a[u * q1 + u] += u < q ? 1e-2 * (tr / Math.max(1, q)) + 1e-9 : 1e-9;
  }
  if (!cholesky(a, q1)) throw new Error('the readout cannot be fitted');
  const w = new Float64Array(q1 * t);
  const col = new Float64Array(q1);
  const out = new Float64Array(q1);
  for (let k = 0; k < t; k++) {
    for (let u = 0; u < q1; u++) col[u] = nq.b[u * t + k];
    choleskySolve(a, q1, col, out);
    for (let u = 0; u < q1; u++) w[u * t + k] = out[u];
  }
  return w;
}

export function predict(x: Float64Array, q: number, w: Float64Array, t: number, i: number, out: Float64Array): void {
  for (let k = 0; k < t; k++) {
    let s = w[q * t + k];
    for (let c = 0; c < q; c++) s += x[i * q + c] * w[c * t + k];
    out[k] = s;
  }
}
