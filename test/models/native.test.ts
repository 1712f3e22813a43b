/**
 * The native step (native/*.cc) against tfjs autograd and against the wasm path's step. Gradients
 * are read back from Adam's first moment after one step with clipping off: m = (1 - beta1) g.
 * Tolerances: 1e-4 relative against autograd (as the wasm path's own check, gradcheck.test.ts);
 * 1e-5 against the wasm path's hand-written BPTT, the same equations in a different summation
 * order and with float32 instead of float64 transcendentals (round-off at this size: ~1e-6).
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TfLinAlg } from '../../models/linalg.js';
import { ACT_CODE, lossAndGrads } from '../../models/rnn/bptt.js';
import { loadNativeKernels, useNativeKernels } from '../../models/native.js';
import { paramNames } from '../../models/rnn/params.js';
import { initBackend } from '../../src/engine/backend.js';
import { stream, streamKey } from '../../src/core/rng.js';
import { B, N, T, autogradReference, caseSetup, gradCases, nIn, nOut, randomBatch, relErr } from './rnnReference.js';

const native = loadNativeKernels();
// .ci/run fails when the build is missing, so on CI this suite always runs
if (!native.kernels) console.warn(`native kernels not available, native tests skipped: ${native.reason}`);

describe.skipIf(!native.kernels)('native step', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  for (const { activation, reg, name } of gradCases) {
    it(`gradients equal autograd and the wasm path: ${name}`, () => {
      const { p, h } = caseSetup(activation, reg);
      const { batch, noise } = randomBatch();
      const ref = tf.tidy(() => autogradReference(p, h, batch, noise));
      const js = lossAndGrads(p, nIn, N, nOut, h, batch, noise, new TfLinAlg());
      const params = Object.fromEntries(paramNames.map((k) => [k, p[k].slice()]));
      const m = Object.fromEntries(paramNames.map((k) => [`m.${k}`, new Float32Array(p[k].length)]));
      const v = Object.fromEntries(paramNames.map((k) => [`v.${k}`, new Float32Array(p[k].length)]));
      const r = native.kernels?.step({
        nIn, N, nOut, T, B, act: ACT_CODE[activation], alpha: h.alpha, l1Rate: h.l1Rate, l2Rate: h.l2Rate, l1Weight: h.l1Weight, l2Weight: h.l2Weight,
        ...params, ...m, ...v, adamStep: 0, lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, clip: 0,
        x: batch.x, y: batch.y, cMask: batch.cMask, noise,
      });
      expect(r?.adamStep).toBe(1);
      expect(Math.abs((r?.loss as number) - ref.loss) / ref.loss).toBeLessThan(1e-5);
      expect(Math.abs((r?.loss as number) - js.loss) / js.loss).toBeLessThan(1e-5);
      for (const k of paramNames) {
        const g = (m[`m.${k}`] as Float32Array).map((x) => x / 0.1);
        expect(relErr(g, ref.grads[k]), `d loss / d ${k} vs autograd`).toBeLessThan(1e-4);
        expect(relErr(g, js.grads[k]), `d loss / d ${k} vs the wasm path`).toBeLessThan(1e-5);
      }
      // the weights moved by Adam's first step, element by element: with m = 0.1 g and v = 0.001 g^2,
      // dw = lr g / (|g| + eps / sqrt(1 - beta2)), about lr sign(g); to float32 rounding of w
      const g = (m['m.wRec'] as Float32Array).map((x) => x / 0.1);
      for (let i = 0; i < g.length; i++) {
        const want = (1e-3 * g[i]) / (Math.abs(g[i]) + 1e-8 / Math.sqrt(1e-3));
        expect(Math.abs(p.wRec[i] - params.wRec[i] - want), `wRec[${i}]`).toBeLessThan(2 ** -23 * Math.max(1, Math.abs(p.wRec[i])) + 1e-9);
      }
    });
  }

  it('a model step and a forward pass equal the wasm path on a Go batch, and repeat bit for bit', async () => {
    const { LeakyRnn, rnnSetup } = await import('../../models/rnn/leakyRnn.js');
    const { getTask } = await import('../../tasks/registry.js');
    const { defaultLayout } = await import('../../tasks/layout.js');
    const opts = rnnSetup({ hidden: 64 });
    const make = () => new LeakyRnn(85, 33, opts, stream(6, 'weights'));
    const batch = getTask('go').sample(16, stream(6, 'trials'), 'train', defaultLayout);
    const noise = { key: (b: number) => streamKey(6, 'noise', 0, b) };
    const wasm = make();
    useNativeKernels(null);
    const a = [wasm.trainStep(batch, noise), wasm.trainStep(batch, noise)];
    const fa = wasm.run(batch, noise);
    const runNative = () => {
      const m = make();
      useNativeKernels(native.kernels);
      try {
        return { steps: [m.trainStep(batch, noise), m.trainStep(batch, noise)], fwd: m.run(batch, noise), model: m };
      } finally {
        useNativeKernels(null);
      }
    };
    const n1 = runNative();
    const n2 = runNative();
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(n1.steps[i].loss - a[i].loss) / a[i].loss).toBeLessThan(1e-5);
      expect(Math.abs(n1.steps[i].gradNorm - a[i].gradNorm) / a[i].gradNorm).toBeLessThan(1e-5);
    }
    expect(relErr(n1.model.adam.m.wRec, wasm.adam.m.wRec)).toBeLessThan(1e-5);
    expect(relErr(n1.model.params.wRec, wasm.params.wRec)).toBeLessThan(1e-5);
    expect(relErr(n1.fwd.hidden, fa.hidden)).toBeLessThan(1e-5);
    expect(relErr(n1.fwd.output, fa.output)).toBeLessThan(1e-5);
    // one seed, one path, one machine: bit-identical
    expect(n2.steps).toEqual(n1.steps);
    expect(n2.model.params.wRec).toEqual(n1.model.params.wRec);
    expect(n2.fwd.hidden).toEqual(n1.fwd.hidden);
  });

  it('draws the same recurrent noise as the JavaScript generator, bit for bit', async () => {
    const { nativeNoiseArgs, recurrentNoise } = await import('../../models/rnn/noise.js');
    // 5 batches of the default shape: ~4.9M draws, ~60,000 of them through the ziggurat's rare
    // paths (wedges and tail, which call exp and log), each compared exactly. The kernel is the one
    // the native step calls, given the arguments the model gives the step.
    for (let i = 0; i < 5; i++) {
      const key = (b: number) => streamKey(3, 'noise', i, b);
      const js = recurrentNoise(60, 64, 256, 0.2236, key);
      const { noiseSeeds, noiseSd, kn, wn, fn } = nativeNoiseArgs(64, 0.2236, key);
      const c = new Float32Array(js.length);
      native.kernels?.recurrentNoise({ T: 60, B: 64, N: 256, sd: noiseSd, seeds: noiseSeeds, kn, wn, fn, out: c });
      let differ = 0;
      for (let j = 0; j < js.length; j++) if (js[j] !== c[j]) differ++;
      expect(differ, `batch ${i}`).toBe(0);
    }
  });

  it("draws a task's input noise as the JavaScript loop does, and leaves the stream where it would", async () => {
    const { getTask } = await import('../../tasks/registry.js');
    const { defaultLayout } = await import('../../tasks/layout.js');
    const sample = (kernels: typeof native.kernels) => {
      useNativeKernels(kernels);
      try {
        const rng = stream(4, 'trials', 11);
        const batch = getTask('antidlygo').sample(64, rng, 'train', defaultLayout);
        return { x: batch.x, after: [rng.next(), rng.normal()] };
      } finally {
        useNativeKernels(null);
      }
    };
    const js = sample(null);
    const n = sample(native.kernels);
    expect(n.x).toEqual(js.x);
    expect(n.after).toEqual(js.after);
  });

  it('two threads: the forward pass is unchanged, the step equals one thread to 1e-5 and repeats bit for bit', async () => {
    const { LeakyRnn, rnnSetup } = await import('../../models/rnn/leakyRnn.js');
    const { getTask } = await import('../../tasks/registry.js');
    const { defaultLayout } = await import('../../tasks/layout.js');
    // an odd batch: halves of 8 and 9 trials
    const batch = getTask('go').sample(17, stream(9, 'trials'), 'train', defaultLayout);
    const noise = { key: (b: number) => streamKey(9, 'noise', 0, b) };
    const train = (threads: number) => {
      const m = new LeakyRnn(85, 33, rnnSetup({ hidden: 64, threads }), stream(9, 'weights'));
      useNativeKernels(native.kernels);
      try {
        const before = m.run(batch, noise);
        const steps = [m.trainStep(batch, noise), m.trainStep(batch, noise), m.trainStep(batch, noise)];
        return { before, steps, wRec: m.params.wRec.slice(), after: m.run(batch, noise) };
      } finally {
        useNativeKernels(null);
      }
    };
    const one = train(1);
    const two = train(2);
    // every trial's forward pass is the same arithmetic whichever half it falls in
    expect(two.before.hidden).toEqual(one.before.hidden);
    expect(two.before.output).toEqual(one.before.output);
    // the weight gradients are sums over trials, added in another order
    for (let i = 0; i < 3; i++) {
      expect(Math.abs(two.steps[i].loss - one.steps[i].loss) / one.steps[i].loss).toBeLessThan(1e-5);
      expect(Math.abs(two.steps[i].gradNorm - one.steps[i].gradNorm) / one.steps[i].gradNorm).toBeLessThan(1e-5);
    }
    expect(relErr(two.wRec, one.wRec)).toBeLessThan(1e-5);
    expect(relErr(two.after.hidden, one.after.hidden)).toBeLessThan(1e-4);
    const again = train(2);
    expect(again.steps).toEqual(two.steps);
    expect(again.wRec).toEqual(two.wRec);
  });

  it('reservoir states and the fitted readout equal the wasm path', async () => {
    const { EchoStateNetwork } = await import('../../models/reservoir/esn.js');
    const { reservoirOptionsSchema } = await import('../../models/reservoir/options.js');
    const { getTask } = await import('../../tasks/registry.js');
    const { defaultLayout } = await import('../../tasks/layout.js');
    const opts = reservoirOptionsSchema.parse({ hidden: 128 });
    const batch = getTask('go').sample(16, stream(8, 'trials'), 'train', defaultLayout);
    const fit = (kernels: typeof native.kernels, threads = 1) => {
      useNativeKernels(kernels);
      try {
        const esn = new EchoStateNetwork(85, 33, opts, stream(8, 'weights'), threads);
        const x = esn.states(batch);
        esn.accumulate(batch, x);
        esn.solveReadout();
        return { x, y: esn.readout(x, batch.T * batch.B) };
      } finally {
        useNativeKernels(null);
      }
    };
    const w = fit(null);
    const n = fit(native.kernels);
    expect(relErr(n.x, w.x)).toBeLessThan(1e-5);
    // X^T C X is summed in float32 over T*B rows in a different order on each path (~1e-6 apart);
    // the ridge solve amplifies that by the conditioning of X^T C X + lambda I: the weights move by
    // ~1e-3, their predictions by ~2e-4. A wrong term would change predictions by O(1).
    expect(relErr(n.y, w.y)).toBeLessThan(1e-3);
    expect(fit(native.kernels).x).toEqual(n.x);
    // two threads split the states by trials and the statistics by columns: the same numbers
    const two = fit(native.kernels, 2);
    expect(two.x).toEqual(n.x);
    expect(two.y).toEqual(n.y);
  });

  it('ridge solve: Cholesky equals an LU solve, and a matrix that is not positive definite is handed back', async () => {
    const { Matrix, solve } = await import('ml-matrix');
    const n1 = 40, nOut = 3;
    const r = stream(10, 'weights');
    // X^T X of 200 random rows (well conditioned) and a right-hand side
    const x = Array.from({ length: 200 * n1 }, () => r.normal());
    const xtx = new Float64Array(n1 * n1);
    for (let i = 0; i < n1; i++) for (let j = 0; j < n1; j++) for (let t = 0; t < 200; t++) xtx[i * n1 + j] += x[t * n1 + i] * x[t * n1 + j];
    const xty = Float64Array.from({ length: n1 * nOut }, () => r.normal());
    const out = new Float32Array(n1 * nOut);
    expect(native.kernels?.ridgeSolve({ n1, nOut, xtx, xty, ridge: 0.5, out })).toBe(true);
    const a = new Matrix(n1, n1);
    for (let i = 0; i < n1; i++) for (let j = 0; j < n1; j++) a.set(i, j, xtx[i * n1 + j] + (i === j && i < n1 - 1 ? 0.5 : 0));
    const w = solve(a, Matrix.from1DArray(n1, nOut, Array.from(xty)));
    // both in double; the float32 output rounds at ~6e-8 relative
    expect(relErr(out, Float32Array.from(w.to1DArray()))).toBeLessThan(1e-6);
    // rank-deficient (two equal rows and columns) and no ridge: not positive definite
    const sing = new Float64Array(4).fill(1);
    const untouched = new Float32Array(2).fill(7);
    expect(native.kernels?.ridgeSolve({ n1: 2, nOut: 1, xtx: sing, xty: new Float64Array(2), ridge: 0, out: untouched })).toBe(false);
    expect(Array.from(untouched)).toEqual([7, 7]);
  });

  it('refuses arrays of the wrong size instead of reading past them', () => {
    expect(() => native.kernels?.gemm(new Float32Array(3), 2, 2, new Float32Array(4), 2)).toThrow(/sizes/);
    expect(() => native.kernels?.forward({ nIn: 2, N: 2, nOut: 1, T: 1, B: 1, act: 0, alpha: 0.2, l1Rate: 0, l2Rate: 0, l1Weight: 0, l2Weight: 0, wIn: new Float32Array(1), wRec: new Float32Array(4), b: new Float32Array(2), wOut: new Float32Array(2), bOut: new Float32Array(1), x: new Float32Array(2), rate: new Float32Array(2), dAlpha: new Float32Array(2), out: new Float32Array(1) })).toThrow(/wIn has 1 values, needs 4/);
  });
});
