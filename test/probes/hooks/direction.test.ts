/**
 * The continuous direction in the hooks: probe batches whose directions are uniform within their
 * class's sector, I(theta; H_t) in the layer hook (the record equals what estimate() reports for the
 * same data), I(theta; h_i(t)) per neuron, and the per-neuron p-values, q-values and peak spans.
 */
import { describe, expect, it } from 'vitest';
import { estimate } from '../../../probes/estimators/estimate.js';
import { estRng } from '../../../probes/estimators/random.js';
import { layerHook, layerOptionsSchema } from '../../../probes/hooks/layer.js';
import { neuronHook, neuronOptionsSchema } from '../../../probes/hooks/neuron.js';
import { parseNeuronArrayName } from '../../../probes/hooks/records.js';
import type { ProbeContext } from '../../../probes/hooks/types.js';
import type { ForwardRecord } from '../../../src/core/contracts.js';
import { stream } from '../../../src/core/rng.js';
import { defaultLayout } from '../../../tasks/layout.js';
import { getTask } from '../../../tasks/registry.js';

const B = 200;
const T = 30;
const N = 24;

/** Units tuned to cos(theta - pref) from t = 10 on (before: noise), the batch's own directions. */
function tuned(): ProbeContext {
  const batch = getTask('go').sample(B, stream(2, 'probes'), 'test', defaultLayout, { directions: 8, noise: false, continuous: true });
  const r = estRng(5);
  const hidden = new Float32Array(T * B * N);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < N; i++) {
        const signal = t >= 10 ? 2 * Math.cos(batch.stimDir[b] - (2 * Math.PI * i) / N) : 0;
        hidden[(t * B + b) * N + i] = Math.log1p(Math.exp(signal + 0.5 * r.normal()));
      }
    }
  }
  const activity: ForwardRecord = { T, B, N, nOut: 33, hidden, output: new Float32Array(T * B * 33).map(() => r.uniform()) };
  return { step: 3, batch: { ...batch, T, x: batch.x.subarray(0, T * B * batch.nIn) }, activity, labels: batch.dirIndex, directions: batch.stimDir, seed: 4, memo: new Map() };
}

describe('continuous probe directions', () => {
  it('are uniform within their class sector and on the circle; dirIndex is the sector', () => {
    const batch = getTask('go').sample(800, stream(1, 'probes'), 'test', defaultLayout, { directions: 8, noise: false, continuous: true });
    const width = (2 * Math.PI) / 8;
    let sinSum = 0;
    for (let b = 0; b < batch.B; b++) {
      const centre = width * batch.dirIndex[b];
      const d = Math.atan2(Math.sin(batch.stimDir[b] - centre), Math.cos(batch.stimDir[b] - centre));
      expect(Math.abs(d)).toBeLessThanOrEqual(width / 2 + 1e-12);
      expect(batch.stimDir[b]).toBeGreaterThanOrEqual(0);
      expect(batch.stimDir[b]).toBeLessThan(2 * Math.PI);
      sinSum += Math.sin(8 * (batch.stimDir[b] - centre));
    }
    // not on the grid: within a sector the offset is spread out (a grid would give sin(8 * 0) = 0 for all)
    expect(new Set(Array.from(batch.stimDir, (v) => v.toFixed(6))).size).toBe(batch.B);
    expect(Math.abs(sinSum / batch.B)).toBeLessThan(0.1);
  });
});

describe('layer hook: I(theta; H_t)', () => {
  const ctx = tuned();
  const out = layerHook.run(ctx, ['decoder'], layerOptionsSchema.parse({}));
  const theta = out.records.filter((r) => r.quantity === 'I(θ;H)');

  it('is recorded at every time step, near 0 before the tuning starts and clearly positive after', () => {
    expect(theta).toHaveLength(T);
    const before = theta.filter((r) => (r.t as number) < 10);
    const after = theta.filter((r) => (r.t as number) >= 12);
    for (const r of before) expect(r.ci95?.[0], `t ${r.t}`).toBe(0);
    for (const r of after) expect(r.value, `t ${r.t}`).toBeGreaterThan(0.5);
  });

  it("equals what estimate() says for the same data: value, parameters, interval and verdict", () => {
    const t = 20;
    const h = { n: B, d: N, data: Float64Array.from(ctx.activity.hidden.subarray(t * B * N, (t + 1) * B * N)) };
    const e = estimate({ n: B, d: 1, data: ctx.directions as Float64Array }, h, { estimator: 'decoder', seed: ctx.seed, circular: true, xEntropy: Math.log(2 * Math.PI) });
    const r = theta.find((x) => x.t === t);
    expect(r?.value).toBe(e.value);
    expect(r?.params).toEqual(e.params);
    expect(r?.ci95).toEqual(e.ci95);
    expect(r?.reliability).toBe(e.reliability);
  });
});

describe('neuron hook: the direction per neuron, significance and peak spans', () => {
  const out = neuronHook.run(tuned(), ['binning', 'direction'], neuronOptionsSchema.parse({ permutations: 40 }));
  const arr = (name: string) => out.arrays.find((a) => a.name === name);

  it('I(theta; h_i(t)) is ~0 before the tuning and large after it, for every unit', () => {
    const mi = arr('neuron-direction')?.data as Float32Array;
    for (let i = 0; i < N; i++) {
      expect(Math.abs(mi[i * T + 5])).toBeLessThan(0.08);
      expect(mi[i * T + 20]).toBeGreaterThan(0.5);
    }
  });

  it('writes p- and q-values per neuron, and a peak span inside the tuned epoch', () => {
    const pq = arr('neuron-binning-pq');
    expect(pq?.shape).toEqual([N, 2]);
    for (let i = 0; i < N; i++) {
      expect(pq?.data[2 * i]).toBeLessThanOrEqual(1 / 41 + 1e-6); // the smallest p a 40-permutation null gives
      expect(pq?.data[2 * i + 1]).toBeGreaterThanOrEqual(pq?.data[2 * i] as number);
    }
    const span = arr('neuron-direction-peak-span')?.data as Float32Array;
    for (let i = 0; i < N; i++) {
      expect(span[2 * i]).toBeGreaterThanOrEqual(10);
      expect(span[2 * i + 1]).toBeGreaterThanOrEqual(span[2 * i]);
    }
  });

  it('array names parse back to their estimator and part', () => {
    expect(parseNeuronArrayName('neuron-binning')).toEqual({ estimator: 'binning', part: 'mi' });
    expect(parseNeuronArrayName('neuron-direction-peak')).toEqual({ estimator: 'direction', part: 'peak' });
    expect(parseNeuronArrayName('neuron-mixed-peak-span')).toEqual({ estimator: 'mixed', part: 'span' });
    expect(parseNeuronArrayName('neuron-binning-pq')).toEqual({ estimator: 'binning', part: 'pq' });
  });
});
