/** A small leaky RNN, a random batch and tfjs autograd's loss and gradients: the reference both step paths are checked against. */
import { blankFacts } from '../../tasks/trial.js';
import * as tf from '@tensorflow/tfjs';
import type { Activation } from '../../models/rnn/activations.js';
import type { RnnHyper } from '../../models/rnn/bptt.js';
import { type RnnParams, initParams, paramNames } from '../../models/rnn/params.js';
import { stream } from '../../src/core/rng.js';
import type { TrialBatch } from '../../tasks/types.js';

export const T = 7;
export const B = 3;
export const nIn = 5;
export const N = 11;
export const nOut = 4;

/** Sizes of a reference case. */
export interface Dims {
  T: number;
  B: number;
  nIn: number;
  N: number;
  nOut: number;
}

export const smallDims: Dims = { T, B, nIn, N, nOut };

/** Inputs ~ N(0, xScale^2), targets in [0, 1), a mask with zeros and weights up to 5, noise ~ N(0, 0.09). */
export function randomBatch(d: Dims = smallDims, seed = 11, xScale = 1): { batch: TrialBatch; noise: Float32Array } {
  const r = stream(seed, 'trials');
  const x = new Float32Array(d.T * d.B * d.nIn).map(() => xScale * r.normal());
  const y = new Float32Array(d.T * d.B * d.nOut).map(() => r.next());
  const cMask = new Float32Array(d.T * d.B * d.nOut).map(() => (r.next() < 0.2 ? 0 : 1 + 4 * r.next()));
  const noise = new Float32Array(d.T * d.B * d.N).map(() => 0.3 * r.normal());
  const batch: TrialBatch = {
    task: 't', mode: 'train', T: d.T, B: d.B, nIn: d.nIn, nOut: d.nOut, x, y, cMask, goStep: 0, epochs: {},
    ...blankFacts(d.B),
  };
  return { batch, noise };
}

export function autogradReference(p: RnnParams, h: RnnHyper, batch: TrialBatch, noise: Float32Array): { loss: number; grads: Record<string, Float32Array> } {
  const { T, B, nIn, nOut } = batch;
  const N = p.b.length;
  const f = (wIn: tf.Tensor, wRec: tf.Tensor, b: tf.Tensor, wOut: tf.Tensor, bOut: tf.Tensor): tf.Scalar => {
    const act = (z: tf.Tensor) => (h.activation === 'relu' ? tf.relu(z) : h.activation === 'tanh' ? tf.tanh(z) : tf.softplus(z));
    let r: tf.Tensor = tf.zeros([B, N]);
    const rates: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      const xt = tf.tensor2d(batch.x.subarray(t * B * nIn, (t + 1) * B * nIn), [B, nIn]);
      const nt = tf.tensor2d(noise.subarray(t * B * N, (t + 1) * B * N), [B, N]);
      const z = tf.add(tf.add(tf.matMul(xt, wIn as tf.Tensor2D), tf.matMul(r as tf.Tensor2D, wRec as tf.Tensor2D)), tf.add(b, nt));
      r = tf.add(tf.mul(1 - h.alpha, r), tf.mul(h.alpha, act(z)));
      rates.push(r);
    }
    const R = tf.reshape(tf.stack(rates), [T * B, N]) as tf.Tensor2D;
    const Y = tf.sigmoid(tf.add(tf.matMul(R, wOut as tf.Tensor2D), bOut));
    const target = tf.tensor2d(batch.y, [T * B, nOut]);
    const mask = tf.tensor2d(batch.cMask, [T * B, nOut]);
    let loss = tf.mean(tf.square(tf.mul(tf.sub(Y, target), mask)));
    loss = tf.add(loss, tf.add(tf.mul(h.l1Rate, tf.mean(tf.abs(R))), tf.mul(0.5 * h.l2Rate, tf.sum(tf.square(R)))));
    for (const w of [wIn, wRec, wOut]) loss = tf.add(loss, tf.add(tf.mul(h.l1Weight, tf.mean(tf.abs(w))), tf.mul(0.5 * h.l2Weight, tf.sum(tf.square(w)))));
    return loss as tf.Scalar;
  };
  const shapes: Record<string, number[]> = { wIn: [nIn, N], wRec: [N, N], b: [N], wOut: [N, nOut], bOut: [nOut] };
  const args = paramNames.map((k) => tf.tensor(p[k], shapes[k]));
  const { value, grads } = tf.valueAndGrads(f as unknown as (...a: tf.Tensor[]) => tf.Scalar)(args);
  const out: Record<string, Float32Array> = {};
  paramNames.forEach((k, i) => (out[k] = grads[i].dataSync() as Float32Array));
  return { loss: value.dataSync()[0], grads: out };
}

export function relErr(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-12);
}


/** The gradient-check cases: each activation, and softplus with every penalty on. */
export const gradCases: Array<{ activation: Activation; reg: Partial<RnnHyper>; name: string }> = [
  { activation: 'softplus', reg: {}, name: 'softplus' },
  { activation: 'relu', reg: {}, name: 'relu' },
  { activation: 'tanh', reg: {}, name: 'tanh' },
  { activation: 'softplus', reg: { l1Rate: 0.01, l2Rate: 0.02, l1Weight: 0.003, l2Weight: 0.004 }, name: 'softplus with L1/L2 on rates and weights' },
];

/** Parameters and hyper-parameters of a case: a non-zero bias and a larger recurrent gain, so every path carries gradient. */
export function caseSetup(activation: Activation, reg: Partial<RnnHyper>, d: Dims = smallDims, seed = 4): { p: RnnParams; h: RnnHyper } {
  const p = initParams(d.nIn, d.N, d.nOut, 'randortho', activation, stream(seed, 'weights'));
  for (let i = 0; i < d.N; i++) p.b[i] = 0.1 * Math.sin(i);
  for (let i = 0; i < p.wRec.length; i++) p.wRec[i] *= 1.8;
  return { p, h: { alpha: 0.2, activation, l1Rate: 0, l2Rate: 0, l1Weight: 0, l2Weight: 0, ...reg } };
}
