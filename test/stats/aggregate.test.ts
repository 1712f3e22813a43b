import { describe, expect, it } from 'vitest';
import { aggregateSweep, band, chooseEstimators } from '../../src/stats/aggregate.js';
import type { RunSummary } from '../../src/stats/runSummary.js';
import { expandSweep, parseSweepSpec } from '../../src/sweep/spec.js';

function fake(id: string, seed: number, perf: number, stepsToTarget: number | null, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    seed,
    model: 'rnn',
    status: 'completed',
    step: 100,
    final_perf: perf,
    final_loss: 1 - perf,
    steps_to_target: stepsToTarget,
    wall_to_target_s: stepsToTarget === null ? null : stepsToTarget / 10,
    wall_s: 10,
    train_s: 8,
    mi_response_end: { binning: { value: 7, ci95: null, reliability: 'saturated', bound: null, t: 9, step: 100 }, 'kde-lower': { value: perf, ci95: null, reliability: 'biased', bound: 'lower', t: 9, step: 100 } },
    peak_time_median: 5,
    peak_mi_mean: 0.5,
    peak_time_hist: [0.5, 0.5],
    curves: { perf: [[0, 0.1], [100, perf]], loss: [[0, 2], [100, 1 - perf]] },
    layerOrder: ['binning', 'kde-lower'],
    layer: { 'I(H;Y)': { binning: { curve: [[0, 7]], cost: 4 }, 'kde-lower': { curve: [[0, perf]], cost: 1 } } },
    ...over,
  };
}

describe('aggregateSweep', () => {
  const plan = expandSweep(parseSweepSpec({ base: { task: 'go', steps: 100 }, parameters: { 'rnn.lr': [0.001, 0.01] }, seeds: [1, 2, 3] }));
  const [a, b] = plan.settings;
  const runsOf = (s: string) => plan.runs.filter((r) => r.setting === s);

  it('summarises each setting with t intervals and compares the two settings per seed', () => {
    const m = new Map<string, RunSummary>();
    runsOf(a.id).forEach((r, i) => m.set(r.id, fake(r.id, r.seed, [0.9, 0.92, 0.94][i], [50, 60, 70][i])));
    runsOf(b.id).forEach((r, i) => m.set(r.id, fake(r.id, r.seed, [0.6, 0.62, 0.64][i], i === 2 ? null : [90, 95][i])));
    const s = aggregateSweep(plan, m);
    expect(s.complete).toBe(true);
    const sa = s.settings[0];
    expect(sa.runs).toEqual(runsOf(a.id).map((r) => r.id));
    expect(sa.metrics.final_perf?.mean).toBeCloseTo(0.92, 12);
    // t(0.975, 2) = 4.3027, sd 0.02, n 3: half width 4.3027 * 0.02 / sqrt(3)
    expect((sa.metrics.final_perf?.ci95 as number[])[1] - 0.92).toBeCloseTo((4.3027 * 0.02) / Math.sqrt(3), 3);
    // a target never reached: left out of the mean, counted in `reached`, ranked last in the test
    const sb = s.settings[1];
    expect(sb.metrics.steps_to_target?.reached).toBe(2);
    expect(sb.metrics.steps_to_target?.values).toEqual([90, 95, null]);
    const cmp = s.comparisons.find((c) => c.metric === 'steps_to_target');
    expect(cmp?.statistic).toBe('rank');
    expect(cmp?.p).toBeCloseTo(0.1, 12);
    const perf = s.comparisons.find((c) => c.metric === 'final_perf');
    expect(perf?.diff).toBeCloseTo(0.3, 12);
    expect(perf?.cliffsDelta).toBe(1);
    // one estimator for every run: the saturated binning loses to the kde lower bound
    expect(s.layerEstimators['I(H;Y)']).toBe('kde-lower');
    expect(sa.metrics.mi_response_end?.mean).toBeCloseTo(0.92, 12);
    expect(sa.miResponseEnd).toEqual({ estimator: 'kde-lower', bound: 'lower', verdicts: { biased: 3 } });
  });

  it('keeps diverged and missing runs out of the summaries and says so', () => {
    const m = new Map<string, RunSummary>();
    const ra = runsOf(a.id);
    m.set(ra[0].id, fake(ra[0].id, 1, 0.9, 50));
    m.set(ra[1].id, fake(ra[1].id, 2, NaN, null, { status: 'diverged', final_perf: null }));
    const s = aggregateSweep(plan, m);
    expect(s.complete).toBe(false);
    expect(s.diverged).toEqual([ra[1].id]);
    expect(s.missing).toHaveLength(4);
    expect(s.settings[0].metrics.final_perf?.n).toBe(1);
    expect(s.settings[0].status[ra[2].id]).toBe('missing');
  });

  it('bands curves point by point', () => {
    const b2 = band([[[0, 1], [1, 2]], [[0, 3], [1, 4]], [[1, 6]]]);
    expect(b2.map((p) => [p.x, p.mean, p.n])).toEqual([[0, 2, 2], [1, 4, 3]]);
    expect(b2[0].lo).toBeLessThan(2);
  });

  it('breaks estimator ties by the layer hook order', () => {
    const r = fake('x', 1, 0.5, null, { layer: { q: { e1: { curve: [], cost: 1 }, e2: { curve: [], cost: 1 } } } });
    expect(chooseEstimators([r], ['e2', 'e1']).q).toBe('e2');
  });
});
