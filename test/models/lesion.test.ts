/** Lesions remove exactly a unit's outgoing pathways, and put them back bit for bit. */
import { beforeAll, describe, expect, it } from 'vitest';
import { LeakyRnn, rnnSetup } from '../../models/rnn/leakyRnn.js';
import { EchoStateNetwork } from '../../models/reservoir/esn.js';
import { reservoirOptionsSchema } from '../../models/reservoir/options.js';
import { initBackend } from '../../src/engine/backend.js';
import { stream } from '../../src/core/rng.js';
import { blankFacts } from '../../tasks/trial.js';
import type { TrialBatch } from '../../tasks/types.js';

function batch(T: number, B: number, nIn: number, nOut: number): TrialBatch {
  const x = new Float32Array(T * B * nIn).fill(1);
  return { task: 't', mode: 'test', T, B, nIn, nOut, x, y: new Float32Array(T * B * nOut), cMask: new Float32Array(T * B * nOut), goStep: 0, epochs: {}, ...blankFacts(B) };
}

describe('lesion', () => {
  beforeAll(async () => {
    await initBackend('auto');
  });

  it('RNN: a pathway input -> unit 0 -> output 1 closes when unit 0 is silenced, and reopens exactly', () => {
    const net = new LeakyRnn(2, 3, rnnSetup({ hidden: 4, sigmaRec: 0 }), stream(1, 'weights'));
    const p = net.params;
    p.wIn.fill(0);
    p.wRec.fill(0);
    p.wOut.fill(0);
    p.wIn[0 * 4 + 0] = 3; // input 0 drives unit 0
    p.wRec[0 * 4 + 1] = 2; // unit 0 drives unit 1 (an outgoing recurrent weight)
    p.wOut[0 * 3 + 1] = 5; // unit 0 drives output 1
    const b = batch(6, 2, 2, 3);
    const before = net.run(b, null);
    const last = (r: typeof before, k: number) => r.output[(5 * 2 + 0) * 3 + k];
    const unit1 = (r: typeof before) => r.hidden[(5 * 2 + 0) * 4 + 1];
    expect(last(before, 1)).toBeGreaterThan(0.9);
    expect(unit1(before)).toBeGreaterThan(0.1);
    const restore = net.lesion(new Int32Array([0]));
    const lesioned = net.run(b, null);
    // output 1 falls to the sigmoid of its bias (0.5); unit 1 gets no drive: softplus(0) = ln 2 at rest
    expect(last(lesioned, 1)).toBeCloseTo(0.5, 6);
    expect(unit1(lesioned)).toBeLessThan(unit1(before));
    // unit 0 itself still responds to its input (only its outgoing weights are cut)
    expect(lesioned.hidden[(5 * 2) * 4]).toBe(before.hidden[(5 * 2) * 4]);
    restore();
    expect(net.run(b, null).output).toEqual(before.output);
    expect(() => net.lesion(new Int32Array([4]))).toThrow(/unit 4 is not one of the 4 units/);
  });

  it('reservoir: silencing every unit leaves the readout its bias, and restoring gives the same outputs', () => {
    const esn = new EchoStateNetwork(2, 3, reservoirOptionsSchema.parse({ hidden: 16 }), stream(2, 'weights'));
    esn.wOut.fill(0.3);
    const b = batch(5, 3, 2, 3);
    const before = esn.run(b, null);
    const restore = esn.lesion(Int32Array.from({ length: 16 }, (_, i) => i));
    const off = esn.run(b, null);
    // the readout is linear: every output is its bias
    for (const v of off.output) expect(v).toBeCloseTo(0.3, 6);
    restore();
    expect(esn.run(b, null).output).toEqual(before.output);
  });
});
