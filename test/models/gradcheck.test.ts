/**
 * The hand-written BPTT against tfjs autograd on a small network: same parameters, same inputs,
 * same recurrent noise. Both run in float32, so the tolerance is 1e-4 relative (the norm of the
 * difference over the norm of the autograd gradient), well above float32 round-off for a network
 * this size (about 1e-6) and far below any real mistake (a wrong term changes gradients by O(1)).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfLinAlg } from '../../models/linalg.js';
import type { Activation } from '../../models/rnn/activations.js';
import { type RnnHyper, lossAndGrads } from '../../models/rnn/bptt.js';
import { type RnnParams, initParams, paramNames } from '../../models/rnn/params.js';
import { initBackend } from '../../src/engine/backend.js';
import { stream } from '../../src/core/rng.js';
import type { TrialBatch } from '../../tasks/types.js';

const T = 7;
const B = 3;
const nIn = 5;
const N = 11;
const nOut = 4;

function randomBatch(): { batch: TrialBatch; noise: Float32Array } {
  const r = stream(11, 'trials');
  const x = new Float32Array(T * B * nIn).map(() => r.normal());
  const y = new Float32Array(T * B * nOut).map(() => r.next());
  const cMask = new Float32Array(T * B * nOut).map(() => (r.next() < 0.2 ? 0 : 1 + 4 * r.next()));
  const noise = new Float32Array(T * B * N).map(() => 0.3 * r.normal());
  const batch: TrialBatch = {
    task: 't', mode: 'train', T, B, nIn, nOut, x, y, cMask, goStep: 0, epochs: {},
    stimDir: new Float64Array(B), respDir: new Float64Array(B), modality: new Int32Array(B), dirIndex: new Int32Array(B),
  };
  return { batch, noise };
}

function autogradReference(p: RnnParams, h: RnnHyper, batch: TrialBatch, noise: Float32Array): { loss: number; grads: Record<string, Float32Array> } {
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

function relErr(a: Float32Array, b: Float32Array): number {
  let d = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    n += b[i] ** 2;
  }
  return Math.sqrt(d) / Math.max(Math.sqrt(n), 1e-12);
}

describe('hand-written BPTT equals tfjs autograd', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  const cases: Array<[Activation, Partial<RnnHyper>]> = [
    ['softplus', {}],
    ['relu', {}],
    ['tanh', {}],
    ['softplus', { l1Rate: 0.01, l2Rate: 0.02, l1Weight: 0.003, l2Weight: 0.004 }],
  ];
  for (const [activation, reg] of cases) {
    it(`${activation}${Object.keys(reg).length ? ' with L1/L2 on rates and weights' : ''}`, () => {
      const p = initParams(nIn, N, nOut, 'randortho', activation, stream(4, 'weights'));
      // a non-zero bias and a larger recurrent gain so every path carries gradient
      for (let i = 0; i < N; i++) p.b[i] = 0.1 * Math.sin(i);
      for (let i = 0; i < p.wRec.length; i++) p.wRec[i] *= 1.8;
      const h: RnnHyper = { alpha: 0.2, activation, l1Rate: 0, l2Rate: 0, l1Weight: 0, l2Weight: 0, ...reg };
      const { batch, noise } = randomBatch();
      const mine = lossAndGrads(p, nIn, N, nOut, h, batch, noise, new TfLinAlg());
      const ref = tf.tidy(() => autogradReference(p, h, batch, noise));
      expect(Math.abs(mine.loss - ref.loss) / ref.loss).toBeLessThan(1e-5);
      for (const k of paramNames) {
        const e = relErr(mine.grads[k], ref.grads[k]);
        expect(e, `relative error of d loss / d ${k}`).toBeLessThan(1e-4);
      }
    });
  }
});

describe('a batch split across two threads', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('gives the gradient of the whole batch (summation order aside)', async () => {
    const { LeakyRnn, rnnSetup } = await import('../../models/rnn/leakyRnn.js');
    const { getTask } = await import('../../tasks/registry.js');
    const { defaultLayout } = await import('../../tasks/layout.js');
    const { streamKey } = await import('../../src/core/rng.js');
    const opts = rnnSetup({ hidden: 24, l1Rate: 1e-3, l2Weight: 1e-3 });
    const one = new LeakyRnn(85, 33, { ...opts, threads: 1 }, stream(6, 'weights'));
    const two = new LeakyRnn(85, 33, { ...opts, threads: 2 }, stream(6, 'weights'));
    const batch = getTask('go').sample(9, stream(6, 'trials'), 'train', defaultLayout);
    const noise = { key: (b: number) => streamKey(6, 'noise', 0, b) };
    const before = one.params.wRec.slice();
    const a = one.trainStep(batch, noise);
    const b = two.trainStep(batch, noise);
    two.dispose();
    expect(Math.abs(a.loss - b.loss) / a.loss).toBeLessThan(1e-6);
    expect(Math.abs(a.gradNorm - b.gradNorm) / a.gradNorm).toBeLessThan(1e-5);
    // identical first Adam moments <=> identical clipped gradients (up to float32 round-off)
    expect(relErr(two.adam.m.wRec, one.adam.m.wRec)).toBeLessThan(1e-5);
    expect(relErr(two.adam.m.wIn, one.adam.m.wIn)).toBeLessThan(1e-5);
    expect(one.params.wRec).not.toEqual(before);
  });
});
