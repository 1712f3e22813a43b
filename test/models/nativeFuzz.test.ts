/**
 * The native step against tfjs autograd on random sizes — rows and columns that are not multiples of
 * the gemm's blocks (6 x 16), a single unit, a single trial, one time step — and on activity large
 * enough to leave every float32 transcendental's comfortable range (relu rates in the hundreds,
 * readout pre-activations beyond +-88, where exp overflows).
 *
 * Tolerance: 1e-4 relative on the gradient vector and 1e-5 on the loss, as the fixed-size check
 * (native.test.ts): float32 products of at most ~100 terms round at ~1e-6 relative, and the two
 * paths sum in different orders. Where the activity is large the loss is dominated by saturated
 * outputs (sigmoid exactly 0 or 1 in float32 on both paths) and the gradients by a few unsaturated
 * terms: the same tolerance holds, and NaN or Infinity fails it at once.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Activation } from '../../models/rnn/activations.js';
import { ACT_CODE, type RnnHyper } from '../../models/rnn/bptt.js';
import { loadNativeKernels } from '../../models/native.js';
import { type RnnParams, paramNames } from '../../models/rnn/params.js';
import { initBackend } from '../../src/engine/backend.js';
import { stream } from '../../src/core/rng.js';
import type { TrialBatch } from '../../tasks/types.js';
import { type Dims, autogradReference, caseSetup, randomBatch, relErr } from './rnnReference.js';

const native = loadNativeKernels();

/** One native step with clipping off; the gradients read back from Adam's first moment (m = 0.1 g). */
function nativeGrads(p: RnnParams, h: RnnHyper, batch: TrialBatch, noise: Float32Array, threads: number) {
  const params = Object.fromEntries(paramNames.map((k) => [k, p[k].slice()]));
  const m = Object.fromEntries(paramNames.map((k) => [`m.${k}`, new Float32Array(p[k].length)]));
  const v = Object.fromEntries(paramNames.map((k) => [`v.${k}`, new Float32Array(p[k].length)]));
  const r = native.kernels!.step({
    nIn: batch.nIn, N: p.b.length, nOut: batch.nOut, T: batch.T, B: batch.B, act: ACT_CODE[h.activation], alpha: h.alpha,
    l1Rate: h.l1Rate, l2Rate: h.l2Rate, l1Weight: h.l1Weight, l2Weight: h.l2Weight,
    ...params, ...m, ...v, adamStep: 0, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, clip: 0,
    x: batch.x, y: batch.y, cMask: batch.cMask, noise, threads,
  });
  const grads = Object.fromEntries(paramNames.map((k) => [k, (m[`m.${k}`] as Float32Array).map((x) => x / 0.1)]));
  return { loss: r.loss, gradNorm: r.gradNorm, grads, params };
}

const activations: Activation[] = ['relu', 'softplus', 'tanh'];
/** Sizes around the gemm's register block (6 rows x 16 columns) and its edges. */
const unitSizes = [1, 2, 5, 6, 7, 15, 16, 17, 31, 33, 48, 65];

function randomCase(i: number): { d: Dims; activation: Activation; threads: number } {
  const r = stream(2026, 'fuzz', i);
  const pick = <X>(xs: X[]) => xs[Math.floor(r.next() * xs.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(r.next() * (hi - lo + 1));
  const d = { T: int(1, 12), B: int(1, 9), nIn: int(1, 20), N: pick(unitSizes), nOut: pick([1, 3, 8, 9, 17, 33]) };
  return { d, activation: activations[i % 3], threads: 1 + (i % 2) };
}

function compare(p: RnnParams, h: RnnHyper, batch: TrialBatch, noise: Float32Array, threads: number, label: string) {
  const ref = autogradReference(p, h, batch, noise);
  const n = nativeGrads(p, h, batch, noise, threads);
  expect(Number.isFinite(n.loss) && Number.isFinite(n.gradNorm), `${label}: loss ${n.loss}, grad norm ${n.gradNorm}`).toBe(true);
  expect(Math.abs(n.loss - ref.loss) / Math.max(ref.loss, 1e-12), `${label}: loss`).toBeLessThan(1e-5);
  for (const k of paramNames) expect(relErr(n.grads[k], ref.grads[k]), `${label}: d loss / d ${k}`).toBeLessThan(1e-4);
  return { ref, n };
}

describe.skipIf(!native.kernels)('native step on random sizes and large activity', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('equals autograd on 24 random shapes (each activation, one and two threads)', () => {
    for (let i = 0; i < 24; i++) {
      const { d, activation, threads } = randomCase(i);
      const { p, h } = caseSetup(activation, {}, d, 100 + i);
      const { batch, noise } = randomBatch(d, 200 + i);
      compare(p, h, batch, noise, threads, `case ${i} ${activation} ${JSON.stringify(d)} threads ${threads}`);
    }
  });

  it('stays finite and equals autograd where relu rates reach hundreds and the readout saturates', () => {
    // inputs of sd 30 through a recurrent gain of 1.8 drive relu rates into the hundreds; the
    // readout weights times 20 put its pre-activations far beyond +-88 (exp overflows there)
    const d: Dims = { T: 9, B: 5, nIn: 7, N: 33, nOut: 33 };
    for (const activation of activations) {
      for (const threads of [1, 2]) {
        const { p, h } = caseSetup(activation, {}, d, 7);
        for (let i = 0; i < p.wOut.length; i++) p.wOut[i] *= 20;
        const { batch, noise } = randomBatch(d, 8, 30);
        const { ref } = compare(p, h, batch, noise, threads, `${activation}, threads ${threads}`);
        // the case does what it claims: some readout output sits at exactly 0 or 1 in float32
        expect(ref.loss).toBeGreaterThan(0.1);
      }
    }
  });

  it('the readout sigmoid is right far out (within a few ulp; ~0 below -88.7, 1 above 17), never NaN', () => {
    // one unit at rate 1 (input 1, W_rec = 0, relu, alpha = 1) and one output per value swept: the
    // readout pre-activations are the values themselves. 20 outputs: the vectorised loop (8 at a
    // time) and its scalar tail both see values beyond +-88.7, where expf overflows
    const xs = [-1000, -200, -100, -89, -88, -50, -20, -1, 0, 1, 20, 50, 88, 89, 100, 1000, -95, -90, 95, -300];
    const nOut = xs.length;
    const out = new Float32Array(nOut);
    native.kernels!.forward({
      nIn: 1, N: 1, nOut, T: 1, B: 1, act: ACT_CODE.relu, alpha: 1, l1Rate: 0, l2Rate: 0, l1Weight: 0, l2Weight: 0,
      wIn: new Float32Array([1]), wRec: new Float32Array([0]), b: new Float32Array([0]), wOut: Float32Array.from(xs), bOut: new Float32Array(nOut),
      x: new Float32Array([1]), rate: new Float32Array(1), out,
    });
    xs.forEach((x, i) => {
      const want = Math.fround(1 / (1 + Math.exp(-x)));
      expect(Number.isNaN(out[i]), `sigmoid(${x})`).toBe(false);
      // a few ulp of float32 (vectorised expf), and subnormal results may flush to zero
      expect(Math.abs(out[i] - want), `sigmoid(${x}) = ${out[i]}, want ${want}`).toBeLessThanOrEqual(1e-6 * want + 2 ** -126);
    });
  });
});
