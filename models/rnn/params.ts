/** Parameters of the leaky RNN and their initialisation (Yang et al. 2019; docs/yang-tasks.md, 'The network of the paper'). */
import { lazyModule } from '../../src/core/lazy.js';

/** ml-matrix for the QR of a random orthogonal init, loaded when one is drawn. */
const mlMatrix = lazyModule<typeof import('ml-matrix')>('ml-matrix');
import type { Rng } from '../../src/core/contracts.js';
import type { Activation } from './activations.js';

export interface RnnParams {
  /** Input weights [nIn x N]. */
  wIn: Float32Array;
  /** Recurrent weights [N x N]: rate r_{t-1} (row) to pre-activation (column). */
  wRec: Float32Array;
  /** Recurrent bias [N]. */
  b: Float32Array;
  /** Readout weights [N x nOut]. */
  wOut: Float32Array;
  /** Readout bias [nOut]. */
  bOut: Float32Array;
}

export const paramNames = ['wIn', 'wRec', 'b', 'wOut', 'bOut'] as const;
type RecInit = 'diag' | 'randortho';

export function initParams(nIn: number, n: number, nOut: number, recInit: RecInit, activation: Activation, rng: Rng): RnnParams {
  const wIn = new Float32Array(nIn * n);
  const sIn = 1 / Math.sqrt(nIn);
  for (let i = 0; i < wIn.length; i++) wIn[i] = sIn * rng.normal();

  // Gain 0.5 for rectifying units, 1.0 for tanh (the reference's w_rec_start).
  const gain = activation === 'tanh' ? 1 : 0.5;
  const wRec = new Float32Array(n * n);
  if (recInit === 'diag') {
    for (let i = 0; i < n; i++) wRec[i * n + i] = gain;
  } else {
    const q = randomOrthogonal(n, rng);
    for (let i = 0; i < n * n; i++) wRec[i] = gain * q[i];
  }

  // Glorot-uniform readout, as TF's default kernel initialiser.
  const lim = Math.sqrt(6 / (n + nOut));
  const wOut = new Float32Array(n * nOut);
  for (let i = 0; i < wOut.length; i++) wOut[i] = (2 * rng.next() - 1) * lim;

  return { wIn, wRec, b: new Float32Array(n), wOut, bOut: new Float32Array(nOut) };
}

/** Haar-distributed orthogonal matrix: QR of a Gaussian matrix with the signs of R's diagonal folded into Q. */
function randomOrthogonal(n: number, rng: Rng): Float64Array {
  const { Matrix, QrDecomposition } = mlMatrix();
  const g = new Matrix(n, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g.set(i, j, rng.normal());
  const qr = new QrDecomposition(g);
  const q = qr.orthogonalMatrix;
  const r = qr.upperTriangularMatrix;
  const out = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const s = r.get(j, j) < 0 ? -1 : 1;
    for (let i = 0; i < n; i++) out[i * n + j] = s * q.get(i, j);
  }
  return out;
}

