/**
 * The hand-written BPTT against tfjs autograd on a small network: same parameters, same inputs,
 * same recurrent noise. Both run in float32, so the tolerance is 1e-4 relative (the norm of the
 * difference over the norm of the autograd gradient), well above float32 round-off for a network
 * this size (about 1e-6) and far below any real mistake (a wrong term changes gradients by O(1)).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfLinAlg } from '../../models/linalg.js';
import { lossAndGrads } from '../../models/rnn/bptt.js';
import { paramNames } from '../../models/rnn/params.js';
import { initBackend } from '../../src/engine/backend.js';
import { stream } from '../../src/core/rng.js';
import { N, autogradReference, caseSetup, gradCases, nIn, nOut, randomBatch, relErr } from './rnnReference.js';

describe('hand-written BPTT equals tfjs autograd', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const { activation, reg, name } of gradCases) {
    it(name, () => {
      const { p, h } = caseSetup(activation, reg);
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
