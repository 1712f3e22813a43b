/** Parameters of the leaky RNN and their initialisation (Yang et al. 2019; docs/go-tasks.md, 'The network of the paper'). */
import { Matrix, QrDecomposition } from 'ml-matrix';
import type { Rng } from '../../tasks/types.js';
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
export type ParamName = (typeof paramNames)[number];
/** Matrices that weight regularisation applies to (biases excluded, as in the reference). */
export const weightNames: readonly ParamName[] = ['wIn', 'wRec', 'wOut'];

export type RecInit = 'diag' | 'randortho';

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
export function randomOrthogonal(n: number, rng: Rng): Float64Array {
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

export function cloneParams(p: RnnParams): RnnParams {
  return { wIn: p.wIn.slice(), wRec: p.wRec.slice(), b: p.b.slice(), wOut: p.wOut.slice(), bOut: p.bOut.slice() };
}

export function zerosLike(p: RnnParams): RnnParams {
  return {
    wIn: new Float32Array(p.wIn.length),
    wRec: new Float32Array(p.wRec.length),
    b: new Float32Array(p.b.length),
    wOut: new Float32Array(p.wOut.length),
    bOut: new Float32Array(p.bOut.length),
  };
}
