/**
 * Hooks on hand-made activity whose answers are known: a neuron that copies the stimulus label
 * carries ln 8 nats about it, a constant neuron none.
 */
import { describe, expect, it } from 'vitest';
import type { ForwardRecord } from '../../../models/types.js';
import { estRng } from '../../../probes/estimators/random.js';
import { infoplaneHook, infoplaneOptionsSchema } from '../../../probes/hooks/infoplane.js';
import { layerHook, layerOptionsSchema } from '../../../probes/hooks/layer.js';
import { neuronHook, neuronOptionsSchema } from '../../../probes/hooks/neuron.js';
import type { ProbeContext } from '../../../probes/hooks/types.js';
import { getTask } from '../../../tasks/registry.js';
import { stream } from '../../../src/core/rng.js';
import { defaultLayout } from '../../../tasks/layout.js';

const B = 200;
const T = 6;
const N = 4;

/** neuron 0: the label itself; 1: constant; 2: noise; 3: the label from t = 3 on, noise before. */
function handMade(): ProbeContext {
  const batch = getTask('go').sample(B, stream(1, 'probes'), 'test', defaultLayout, { directions: 8, noise: false });
  const labels = batch.dirIndex;
  const r = estRng(3);
  const hidden = new Float32Array(T * B * N);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const o = (t * B + b) * N;
      hidden[o] = labels[b];
      hidden[o + 1] = 0.5;
      hidden[o + 2] = r.normal();
      hidden[o + 3] = t >= 3 ? labels[b] + 0.01 * r.normal() : r.normal();
    }
  }
  const output = new Float32Array(T * B * 33).map(() => r.uniform());
  const activity: ForwardRecord = { T, B, N, nOut: 33, hidden, output };
  const smallBatch = { ...batch, T, x: batch.x.subarray(0, T * B * batch.nIn) };
  return { step: 7, batch: smallBatch, activity, labels, seed: 1, memo: new Map() };
}

describe('neuron hook', () => {
  const out = neuronHook.run(handMade(), ['binning', 'mixed'], neuronOptionsSchema.parse({ bins: 8, permutations: 30 }));
  const mat = (est: string) => out.arrays.find((a) => a.name === `neuron-${est}`);
  const peak = (est: string) => out.arrays.find((a) => a.name === `neuron-${est}-peak`);

  it('writes [N, T] matrices and [N, 2] peaks per estimator', () => {
    expect(mat('binning')?.shape).toEqual([N, T]);
    expect(mat('mixed')?.shape).toEqual([N, T]);
    expect(peak('binning')?.shape).toEqual([N, 2]);
  });

  it('a label-copying neuron carries ln 8 nats, a constant one 0', () => {
    const b = mat('binning')?.data as Float32Array;
    const m = mat('mixed')?.data as Float32Array;
    for (let t = 0; t < T; t++) {
      expect(b[0 * T + t]).toBeCloseTo(Math.log(8), 5);
      expect(b[1 * T + t]).toBe(0);
      // mixed KSG on exact copies: ln N - psi(25) = ln 8 + O(1/25)
      expect(Math.abs(m[0 * T + t] - Math.log(8))).toBeLessThan(0.03);
      expect(Math.abs(m[1 * T + t])).toBeLessThan(0.01);
    }
  });

  it('finds the peak time of a neuron that starts carrying the label at t = 3', () => {
    const p = peak('binning')?.data as Float32Array;
    expect(p[2 * 3]).toBeGreaterThanOrEqual(3);
    expect(p[2 * 3 + 1]).toBeCloseTo(Math.log(8), 1);
  });

  it('counts neurons above their max-over-time permutation null', () => {
    const s = out.records.find((r) => r.estimator === 'binning' && r.quantity === 'summary');
    // neurons 0 and 3 carry the label; the constant and the noise neuron do not
    expect(s?.value).toBe(2);
    expect(s?.params.significance).toMatch(/max-over-time/);
    // a count of neurons has no p-value: the record states the level and the null it used instead
    expect(s?.null).toBeUndefined();
    expect(s?.params).toMatchObject({ alpha: 0.05, permutations: 30 });
  });
});

describe('layer and information-plane hooks', () => {
  const ctx = handMade();
  const layer = layerHook.run(ctx, ['binning', 'kde-upper', 'kde-lower', 'mixed'], layerOptionsSchema.parse({}));
  it('records every quantity at every time step with its parameters', () => {
    for (const est of ['binning', 'kde-upper', 'kde-lower']) {
      for (const q of ['I(S;H)', 'I(X;H)', 'I(H;Y)']) {
        const rs = layer.records.filter((r) => r.estimator === est && r.quantity === q);
        expect(rs.map((r) => r.t)).toEqual([0, 1, 2, 3, 4, 5]);
      }
    }
    expect(layer.records.filter((r) => r.estimator === 'mixed')).toHaveLength(T);
    expect(layer.records.find((r) => r.estimator === 'binning')?.params).toMatchObject({ bins: 2, range: 'observed' });
    expect(layer.records.find((r) => r.estimator === 'kde-upper')?.params).toMatchObject({ noiseVar: 0.1 });
  });

  it('KDE lower <= upper at every step; mixed KSG sees most of the ln 8 the layer holds about S', () => {
    for (let t = 0; t < T; t++) {
      for (const q of ['I(S;H)', 'I(X;H)']) {
        const up = layer.records.find((r) => r.estimator === 'kde-upper' && r.quantity === q && r.t === t)?.value as number;
        const lo = layer.records.find((r) => r.estimator === 'kde-lower' && r.quantity === q && r.t === t)?.value as number;
        expect(lo).toBeLessThanOrEqual(up + 1e-9);
      }
      // the layer determines S (unit 0 copies it), so I(S;H) = ln 8; the max-norm also sees two
      // pure-noise units, which dilute the neighbourhoods: mixed KSG falls short, never above
      const mixed = layer.records.find((r) => r.estimator === 'mixed' && r.t === t)?.value as number;
      expect(mixed).toBeGreaterThan(0.7 * Math.log(8));
      expect(mixed).toBeLessThan(Math.log(8) + 0.05);
    }
  });

  it('the information plane gives one (I(X;H), I(H;Y)) point per estimator', () => {
    const ip = infoplaneHook.run(ctx, ['kde-upper', 'kde-lower'], infoplaneOptionsSchema.parse({}));
    expect(ip.records.map((r) => `${r.estimator} ${r.quantity}`)).toEqual(['kde-upper I(X;H)', 'kde-upper I(H;Y)', 'kde-lower I(X;H)', 'kde-lower I(H;Y)']);
    expect(ip.records.every((r) => Number.isFinite(r.value))).toBe(true);
  });
});
