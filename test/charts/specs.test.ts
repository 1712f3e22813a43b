/** Charts and the report built from a real (small) run folder: what they draw and what they say. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/charts/report.js';
import { summaryRows } from '../../src/charts/report.js';
import { layerMiSpec, runCharts } from '../../src/charts/specs.js';
import { train } from '../../src/engine/train.js';
import { type RunData, loadRun } from '../../src/runfolder/loadRun.js';
import { tempDir } from '../helpers.js';

let run: RunData;

beforeAll(async () => {
  const r = await train(
    { task: 'go', steps: 2, batch: 8, evalEvery: 1, probeEvery: 1, probeTrials: 16, probeDirections: 4, rnn: { hidden: 12 }, out: tempDir(), backend: 'wasm', threads: 1, probes: [{ hook: 'layer', estimators: ['binning', 'kde-upper'], options: { noiseVar: 0.05 } }, { hook: 'neuron' }, { hook: 'infoplane' }] },
    { report: false },
  );
  run = loadRun(r.dir);
}, 120_000);

describe('run charts', () => {
  it('has one chart per kind of record, and a heatmap and peak-time chart per neuron estimator', () => {
    expect(runCharts(run).map((c) => c.name)).toEqual(['loss-perf', 'layer-mi', 'neuron-mi-binning', 'peak-times-binning', 'neuron-mi-mixed', 'peak-times-mixed', 'infoplane']);
  });

  it('names the estimator parameters that shaped a layer-MI chart in its title, and shades the task epochs', () => {
    const spec = layerMiSpec(run) as unknown as { vconcat: Array<{ title: string; hconcat: Array<{ title: string; layer: Array<{ data: { values: unknown[] } }> }> }> };
    expect(spec.vconcat.map((r) => r.title)).toEqual(['binning (bins 2)', 'kde-upper (noise variance 0.05, bound upper)']);
    expect(spec.vconcat[0].hconcat.map((c) => c.title)).toEqual(['I(S;H)', 'I(X;H)', 'I(H;Y)']);
    const epochs = spec.vconcat[0].hconcat[0].layer[0].data.values;
    expect(epochs).toEqual([
      { epoch: 'fix1', start: 0, end: 25 },
      { epoch: 'stim1', start: 25, end: 75 },
      { epoch: 'go1', start: 75, end: 100 },
    ]);
    // three checkpoints (0, 1, 2) x 100 time steps of values, in bits
    const values = spec.vconcat[0].hconcat[0].layer[2].data.values as Array<{ step: number; bits: number; verdict: string }>;
    expect(values).toHaveLength(300);
    expect(Math.max(...values.map((v) => v.bits))).toBeLessThanOrEqual(2 + 1e-9); // I(S;H) <= log2 4 directions
    // trust is drawn: every point has a verdict, the ceiling (2 bits for 4 directions) is a rule
    expect(new Set(values.map((v) => v.verdict)).size).toBeGreaterThan(0);
    expect(values.every((v) => ['ok', 'biased', 'unstable', 'saturated'].includes(v.verdict))).toBe(true);
    const rule = spec.vconcat[0].hconcat[0].layer.at(-1) as unknown as { mark: { type: string }; data: { values: Array<{ c: number }> } };
    expect(rule.mark.type).toBe('rule');
    expect(rule.data.values[0].c).toBeCloseTo(2, 9);
  });

  it('summarises the model, the perf and the timing in the report', async () => {
    const rows = Object.fromEntries(summaryRows(run));
    expect(rows.model).toBe('leaky RNN, 12 units, softplus, W_rec init diag');
    expect(rows.steps).toBe('2 of 2 (completed, steps)');
    expect(rows['layer MI verdicts (binning)']).toMatch(/of 900 records$/);
    const r = await writeReport(run.paths.dir, false);
    expect(existsSync(join(run.paths.dir, 'charts', 'layer-mi.svg'))).toBe(true);
    const html = readFileSync(r.report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<script[^>]+src=/); // self-contained
  });
});
