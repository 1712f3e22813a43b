/**
 * Charts and the report built from a real (small) run folder: what they draw and what they say.
 * The run is the committed fixture (test/helpers.ts: fixtureRun), so nothing trains here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { summaryRows, writeReport } from '../../src/charts/report.js';
import { layerMiSpec } from '../../src/charts/specs.js';
import { runCharts } from '../../src/charts/runCharts.js';
import { type RunData, loadRun } from '../../src/runfolder/loadRun.js';
import { fixtureRun, tempDir } from '../helpers.js';

let run: RunData;

beforeAll(() => {
  run = loadRun(fixtureRun(tempDir()));
});

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
    // trust is drawn: each point carries the verdict of its own record, the ceiling (2 bits for 4 directions) is a rule
    const records = run.probes.filter((r) => r.hook === 'layer' && r.estimator === 'binning' && r.quantity === 'I(S;H)');
    const verdictOf = new Map(records.map((r) => [`${r.step}/${r.t}`, r.reliability]));
    expect(values.map((v) => v.verdict)).toEqual(values.map((v) => verdictOf.get(`${v.step}/${(v as unknown as { t: number }).t}`)));
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
    // every chart is drawn: its SVG holds its panel titles and marks, and the report inlines it
    const svg = readFileSync(join(run.paths.dir, 'charts', 'layer-mi.svg'), 'utf8');
    for (const title of ['I(S;H)', 'I(X;H)', 'I(H;Y)']) expect(svg).toContain(title);
    expect(svg.match(/<path/g)?.length ?? 0).toBeGreaterThan(300);
    const html = readFileSync(r.report, 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(r.charts.length);
    expect(html).not.toMatch(/<script[^>]+src=/); // self-contained
  });
});
