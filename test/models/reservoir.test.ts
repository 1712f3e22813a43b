import { blankFacts } from '../../tasks/trial.js';
import { Matrix, solve } from 'ml-matrix';
import { beforeAll, describe, expect, it } from 'vitest';
import { EchoStateNetwork, scaledReservoir, spectralRadius } from '../../models/reservoir/esn.js';
import { reservoirOptionsSchema } from '../../models/reservoir/options.js';
import { initBackend } from '../../src/engine/backend.js';
import { stream } from '../../src/core/rng.js';
import type { TrialBatch } from '../../tasks/types.js';

function batchOf(T: number, B: number, nIn: number, nOut: number, seed: number, target: (x: Float32Array, i: number, k: number) => number, mask?: (t: number, k: number) => number): TrialBatch {
  const r = stream(seed, 'trials');
  const x = new Float32Array(T * B * nIn).map(() => r.normal());
  const y = new Float32Array(T * B * nOut);
  const cMask = new Float32Array(T * B * nOut);
  for (let i = 0; i < T * B; i++) {
    const t = Math.floor(i / B);
    for (let k = 0; k < nOut; k++) {
      y[i * nOut + k] = target(x, i, k);
      cMask[i * nOut + k] = mask ? mask(t, k) : 1;
    }
  }
  return { task: 't', mode: 'train', T, B, nIn, nOut, x, y, cMask, goStep: 0, epochs: {}, ...blankFacts(B) };
}

describe('echo-state network', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('scales its recurrent matrix to the target spectral radius (within 1e-6)', () => {
    for (const rho of [0.5, 0.9, 1.2]) {
      const w = scaledReservoir(64, 0.2, rho, stream(1, 'weights'));
      expect(Math.abs(spectralRadius(w, 64) - rho)).toBeLessThan(1e-6);
    }
    const esn = new EchoStateNetwork(5, 2, reservoirOptionsSchema.parse({ hidden: 48 }), stream(2, 'weights'));
    // the float32 copy the model runs with keeps the radius to float32 precision
    expect(Math.abs(spectralRadius(esn.wRec, 48) - 0.9)).toBeLessThan(1e-5);
  });

  it('its streamed ridge readout equals a direct weighted solve over all batches', () => {
    const opts = reservoirOptionsSchema.parse({ hidden: 20, ridge: 0.01 });
    const esn = new EchoStateNetwork(4, 3, opts, stream(3, 'weights'));
    // masks proportional across outputs (as in the Go tasks: one column weighted x2), zero early on
    const mask = (t: number, k: number) => (t < 2 ? 0 : (t < 5 ? 1 : 5) * (k === 0 ? 2 : 1));
    const batches = [1, 2, 3].map((s) => batchOf(8, 5, 4, 3, s, (x, i, k) => Math.sin(x[i * 4 + k]) + 0.1 * k, mask));
    for (const b of batches) esn.trainStep(b);
    // direct: stack [x, 1] * |c_ref| and y * |c_ref| of all batches, solve (X^T X + lambda I') W = X^T Y
    const rows: number[][] = [];
    const ys: number[][] = [];
    for (const b of batches) {
      const x = esn.states(b);
      for (let i = 0; i < b.T * b.B; i++) {
        const s = Math.abs(b.cMask[i * 3 + 2]);
        rows.push([...Array.from(x.subarray(i * 20, i * 20 + 20), (v) => v * s), s]);
        ys.push([0, 1, 2].map((k) => b.y[i * 3 + k] * s));
      }
    }
    const X = new Matrix(rows);
    const A = X.transpose().mmul(X);
    for (let i = 0; i < 20; i++) A.set(i, i, A.get(i, i) + 0.01);
    const W = solve(A, X.transpose().mmul(new Matrix(ys)));
    let maxErr = 0;
    let maxW = 0;
    for (let i = 0; i < 21; i++) {
      for (let k = 0; k < 3; k++) {
        maxErr = Math.max(maxErr, Math.abs(W.get(i, k) - esn.wOut[i * 3 + k]));
        maxW = Math.max(maxW, Math.abs(W.get(i, k)));
      }
    }
    // the streamed sums go through float32 matmuls: agreement to float32 precision of the normal equations
    expect(maxErr / maxW).toBeLessThan(1e-3);
  });

  it('fits a linear read-out of its input almost perfectly', () => {
    const esn = new EchoStateNetwork(3, 2, reservoirOptionsSchema.parse({ hidden: 64, leak: 1, inputScale: 0.1, ridge: 1e-8 }), stream(4, 'weights'));
    const target = (x: Float32Array, i: number, k: number) => 0.3 + 0.2 * x[i * 3 + k] - 0.1 * x[i * 3 + 2];
    for (let s = 0; s < 4; s++) esn.trainStep(batchOf(10, 20, 3, 2, 10 + s, target));
    const test = batchOf(10, 20, 3, 2, 99, target);
    const out = esn.run(test).output;
    let ss = 0;
    let tot = 0;
    let mean = 0;
    for (let i = 0; i < out.length; i++) mean += test.y[i] / out.length;
    for (let i = 0; i < out.length; i++) {
      ss += (out[i] - test.y[i]) ** 2;
      tot += (test.y[i] - mean) ** 2;
    }
    expect(1 - ss / tot).toBeGreaterThan(0.999);
  });

  it('round-trips its state exactly', () => {
    const opts = reservoirOptionsSchema.parse({ hidden: 16 });
    const a = new EchoStateNetwork(4, 3, opts, stream(5, 'weights'));
    const b0 = batchOf(6, 4, 4, 3, 7, (x, i, k) => x[i * 4 + k]);
    a.trainStep(b0);
    const b = new EchoStateNetwork(4, 3, opts, stream(77, 'weights'));
    b.importState(a.exportState());
    const b1 = batchOf(6, 4, 4, 3, 8, (x, i, k) => x[i * 4 + k]);
    expect(b.trainStep(b1).loss).toBe(a.trainStep(b1).loss);
    expect(b.wOut).toEqual(a.wOut);
    expect(b.trials).toBe(8);
  });

  it('refuses cost masks that are not proportional across outputs', () => {
    const esn = new EchoStateNetwork(2, 2, reservoirOptionsSchema.parse({ hidden: 8 }), stream(6, 'weights'));
    const bad = batchOf(4, 3, 2, 2, 1, () => 0, (t, k) => (k === 0 ? 1 : t));
    expect(() => esn.trainStep(bad)).toThrow(/proportional across outputs/);
  });
});
