/**
 * The one heavy primitive the models need: dense matrix products, delegated to a tfjs backend
 * (XNNPACK on wasm, libtensorflow on tfjs-node). Everything else stays in plain typed arrays, where
 * small elementwise loops cost less than a tfjs op's dispatch.
 *
 * Facts measured on the tfjs wasm backend (docs/performance.md) that shape this file: never use matMul's transpose flags on
 * the wasm backend (13-20x slower) -- transpose in JS instead; upload a matrix used many times once.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../src/core/tfjs.js';
import { type NativeKernels, activeNativeKernels } from './native.js';

interface MatrixHandle {
  readonly rows: number;
  readonly cols: number;
}

export interface LinAlg {
  /** Upload a row-major matrix once, for many products. */
  upload(data: Float32Array, rows: number, cols: number): MatrixHandle;
  /** Upload a row-major [rows x cols] matrix as its transpose [cols x rows] (transposed by the backend). */
  uploadTransposed(data: Float32Array, rows: number, cols: number): MatrixHandle;
  /** a [m x k] (row-major) times b [k x n] -> new row-major [m x n]. */
  matmul(a: Float32Array, m: number, b: MatrixHandle): Float32Array;
  /** Product of two uploaded matrices -> new row-major array. */
  product(a: MatrixHandle, b: MatrixHandle): Float32Array;
  release(h: MatrixHandle): void;
}

class TfHandle implements MatrixHandle {
  constructor(
    readonly tensor: TF.Tensor2D,
    readonly rows: number,
    readonly cols: number,
  ) {}
}

export class TfLinAlg implements LinAlg {
  upload(data: Float32Array, rows: number, cols: number): MatrixHandle {
    if (data.length < rows * cols) throw new RangeError(`matrix data has ${data.length} values, need ${rows * cols}`);
    const view = data.length === rows * cols ? data : data.subarray(0, rows * cols);
    return new TfHandle(tf.tensor2d(view, [rows, cols], 'float32'), rows, cols);
  }

  uploadTransposed(data: Float32Array, rows: number, cols: number): MatrixHandle {
    const h = this.upload(data, rows, cols) as TfHandle;
    const t = tf.transpose(h.tensor) as TF.Tensor2D;
    h.tensor.dispose();
    return new TfHandle(t, cols, rows);
  }

  product(a: MatrixHandle, b: MatrixHandle): Float32Array {
    if (a.cols !== b.rows) throw new RangeError(`cannot multiply [${a.rows}x${a.cols}] by [${b.rows}x${b.cols}]`);
    const c = tf.matMul((a as TfHandle).tensor, (b as TfHandle).tensor);
    const out = c.dataSync() as Float32Array;
    c.dispose();
    return out;
  }

  matmul(a: Float32Array, m: number, b: MatrixHandle): Float32Array {
    const h = b as TfHandle;
    const k = h.rows;
    const at = tf.tensor2d(a.length === m * k ? a : a.subarray(0, m * k), [m, k], 'float32');
    const c = tf.matMul(at, h.tensor);
    const out = c.dataSync() as Float32Array;
    at.dispose();
    c.dispose();
    return out;
  }

  release(h: MatrixHandle): void {
    (h as TfHandle).tensor.dispose();
  }
}

class ArrayHandle implements MatrixHandle {
  constructor(
    readonly data: Float32Array,
    readonly rows: number,
    readonly cols: number,
  ) {}
}

/** The same products on the native kernels' gemm (native/gemm.cc): no upload, no tensors. */
class NativeLinAlg implements LinAlg {
  constructor(private readonly k: NativeKernels) {}

  upload(data: Float32Array, rows: number, cols: number): MatrixHandle {
    if (data.length < rows * cols) throw new RangeError(`matrix data has ${data.length} values, need ${rows * cols}`);
    return new ArrayHandle(data.length === rows * cols ? data : data.subarray(0, rows * cols), rows, cols);
  }

  uploadTransposed(data: Float32Array, rows: number, cols: number): MatrixHandle {
    return new ArrayHandle(transpose(data.subarray(0, rows * cols), rows, cols), cols, rows);
  }

  product(a: MatrixHandle, b: MatrixHandle): Float32Array {
    if (a.cols !== b.rows) throw new RangeError(`cannot multiply [${a.rows}x${a.cols}] by [${b.rows}x${b.cols}]`);
    return this.k.gemm((a as ArrayHandle).data, a.rows, a.cols, (b as ArrayHandle).data, b.cols);
  }

  matmul(a: Float32Array, m: number, b: MatrixHandle): Float32Array {
    return this.k.gemm(a.length === m * b.rows ? a : a.subarray(0, m * b.rows), m, b.rows, (b as ArrayHandle).data, b.cols);
  }

  release(): void {}
}

/** The products of whichever path runs in this process: native kernels when active, else tfjs. */
export function defaultLinAlg(): LinAlg {
  const k = activeNativeKernels();
  return k ? new NativeLinAlg(k) : new TfLinAlg();
}

/** Row-major [rows x cols] -> [cols x rows], blocked for cache locality. */
export function transpose(a: Float32Array, rows: number, cols: number, out = new Float32Array(rows * cols)): Float32Array {
  const BS = 32;
  for (let i0 = 0; i0 < rows; i0 += BS) {
    const i1 = Math.min(rows, i0 + BS);
    for (let j0 = 0; j0 < cols; j0 += BS) {
      const j1 = Math.min(cols, j0 + BS);
      for (let i = i0; i < i1; i++) {
        const ri = i * cols;
        for (let j = j0; j < j1; j++) out[j * rows + i] = a[ri + j];
      }
    }
  }
  return out;
}

/** Column sums of a row-major [rows x cols] matrix, accumulated in float64. */
export function columnSums(a: Float32Array, rows: number, cols: number, out = new Float32Array(cols)): Float32Array {
  const acc = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const r = i * cols;
    for (let j = 0; j < cols; j++) acc[j] += a[r + j];
  }
  out.set(acc);
  return out;
}
