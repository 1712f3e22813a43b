/**
 * `infoscope compare`: several runs in one self-contained report, with overlaid charts. Runs must
 * share their task and probe time grid; otherwise a layer-MI overlay would put different moments of
 * different trials on one axis, so compare refuses with a message that says what differs.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { writeFileAtomic } from '../runfolder/atomic.js';
import { isRunFolder } from '../runfolder/paths.js';
import { lastEvaluated } from '../runfolder/runFolder.js';
import { type RenderedChart, escapeHtml, renderCharts, reportHtml } from './report.js';
import { type RunData, loadRun } from '../runfolder/loadRun.js';
import { type NamedSpec, epochLayer, infoplanePoints } from './specs.js';
import { HOOK, QUANTITY } from '../runfolder/schema.js';
import { BITS_PER_NAT as BITS } from '../core/units.js';

type Spec = TopLevelSpec & Record<string, unknown>;

export class CompareError extends Error {}

function label(r: RunData): string {
  return `${r.name} (${r.config.model})`;
}

function checkComparable(runs: RunData[]): void {
  if (runs.length < 2) throw new CompareError('compare needs at least two run folders');
  const task = (r: RunData) => JSON.stringify(r.config.task);
  const grid = (r: RunData) => (r.probeBatch ? `${r.probeBatch.task}, T = ${r.probeBatch.T}, dt = ${r.probeBatch.dt} ms, ${r.probeBatch.trials} trials, ${r.probeBatch.directions} directions` : 'no probes');
  const [first, ...rest] = runs;
  for (const r of rest) {
    if (task(r) !== task(first)) throw new CompareError(`runs differ in task: ${first.name} trained on ${task(first)}, ${r.name} on ${task(r)}`);
    if (grid(r) !== grid(first)) throw new CompareError(`runs differ in their probe time grid: ${first.name} has ${grid(first)}, ${r.name} has ${grid(r)}`);
  }
}

function perfSpec(runs: RunData[], x: 'trials' | 'wall'): Spec {
  const values = runs.flatMap((r) =>
    r.metrics.filter((m) => m.perf !== undefined).map((m) => ({ run: label(r), trials: m.step * r.config.batch, wall: m.wall_s, perf: m.perf })),
  );
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: x === 'trials' ? 'perf vs training trials' : 'perf vs wall time',
    width: 420,
    height: 220,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: { field: x, type: 'quantitative', title: x === 'trials' ? 'training trials' : 'wall time (s)' },
      y: { field: 'perf', type: 'quantitative', scale: { domain: [0, 1] } },
      color: { field: 'run', type: 'nominal' },
    },
  } as unknown as Spec;
}

function layerSpec(runs: RunData[]): Spec | null {
  const values = runs.flatMap((r) => {
    const last = r.probes.reduce((m, p) => (p.hook === HOOK.layer ? Math.max(m, p.step) : m), -1);
    return r.probes.filter((p) => p.hook === HOOK.layer && p.step === last && p.value !== null).map((p) => ({ run: label(r), estimator: p.estimator, quantity: p.quantity, t: p.t, bits: (p.value as number) * BITS }));
  });
  if (values.length === 0) return null;
  const ests = [...new Set(values.map((v) => v.estimator))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'layer MI vs time step at each run\u2019s last checkpoint',
    vconcat: ests.map((e) => ({
      title: e,
      hconcat: [...new Set(values.filter((v) => v.estimator === e).map((v) => v.quantity))].map((q) => ({
        width: 220,
        height: 140,
        title: q,
        layer: [
          epochLayer(runs[0]),
          {
            data: { values: values.filter((v) => v.estimator === e && v.quantity === q) },
            mark: 'line',
            encoding: { x: { field: 't', type: 'quantitative', title: 'time step' }, y: { field: 'bits', type: 'quantitative', title: 'MI (bits)' }, stroke: { field: 'run', type: 'nominal' } },
          },
        ],
      })),
    })),
  } as unknown as Spec;
}

function peakSpec(runs: RunData[], field: 'time' | 'mi'): Spec | null {
  const values = runs.flatMap((r) =>
    r.neurons.flatMap((m) => {
      const out: Array<{ run: string; estimator: string; v: number }> = [];
      for (let i = 0; m.peaks && i < m.N; i++) out.push({ run: label(r), estimator: m.estimator, v: field === 'time' ? m.peaks[2 * i] : m.peaks[2 * i + 1] * BITS });
      return out;
    }),
  );
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: field === 'time' ? 'per-neuron peak time of I(S; h_i(t)), last checkpoint' : 'per-neuron peak I(S; h_i(t)), last checkpoint',
    data: { values },
    facet: { column: { field: 'estimator', type: 'nominal' } },
    spec: {
      width: 240,
      height: 160,
      mark: { type: 'bar', opacity: 0.6 },
      encoding: {
        x: { field: 'v', type: 'quantitative', bin: { maxbins: 30 }, title: field === 'time' ? 'peak time step' : 'peak MI (bits)' },
        y: { aggregate: 'count', type: 'quantitative', stack: null, title: 'neurons' },
        color: { field: 'run', type: 'nominal' },
      },
    },
  } as unknown as Spec;
}

function planeSpec(runs: RunData[]): Spec | null {
  const values = runs.flatMap((r) => infoplanePoints(r, 'kde-upper').map((p) => ({ run: label(r), step: p.step, ix: p.ix, iy: p.iy })));
  if (values.length === 0) return null;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'information plane over training (kde-upper, mean over the trial)',
    width: 400,
    height: 280,
    data: { values },
    layer: [
      { mark: 'line', encoding: { x: { field: 'ix', type: 'quantitative', title: 'I(X;H) (bits)', scale: { zero: false } }, y: { field: 'iy', type: 'quantitative', title: 'I(H;Y) (bits)', scale: { zero: false } }, order: { field: 'step' }, color: { field: 'run', type: 'nominal' } } },
      { mark: { type: 'point', filled: true }, encoding: { x: { field: 'ix', type: 'quantitative' }, y: { field: 'iy', type: 'quantitative' }, color: { field: 'run', type: 'nominal' }, tooltip: [{ field: 'run' }, { field: 'step' }] } },
    ],
  } as unknown as Spec;
}

export async function compareRuns(dirs: string[], outDir: string): Promise<{ report: string; charts: string[] }> {
  for (const d of dirs) if (!isRunFolder(d)) throw new CompareError(`${d} is not a run folder (no config.json and meta.json there)`);
  const runs = dirs.map((d) => loadRun(d));
  checkComparable(runs);
  const charts: NamedSpec[] = [
    { name: 'perf-vs-trials', title: 'Performance vs training trials', spec: perfSpec(runs, 'trials') },
    { name: 'perf-vs-wall', title: 'Performance vs wall time', spec: perfSpec(runs, 'wall') },
  ];
  const add = (name: string, title: string, s: Spec | null) => s && charts.push({ name, title, spec: s });
  add('layer-mi', 'Layer MI over the trial', layerSpec(runs));
  add('peak-times', 'Per-neuron peak times', peakSpec(runs, 'time'));
  add('peak-mi', 'Per-neuron peak MI', peakSpec(runs, 'mi'));
  add('infoplane', 'Information plane', planeSpec(runs));
  mkdirSync(outDir, { recursive: true });
  const rendered: RenderedChart[] = await renderCharts(join(outDir, 'charts'), charts);
  const rows: Array<[string, string]> = runs.map((r) => {
    const last = lastEvaluated(r.metrics);
    const sig = r.probes.filter((p) => p.hook === HOOK.neuron && p.estimator === 'binning' && p.quantity === QUANTITY.summary).pop();
    return [
      label(r),
      `perf ${last?.perf?.toFixed(3) ?? '–'} after ${r.meta.step} steps (${r.meta.step * r.config.batch} trials), ${r.meta.wallSeconds.toFixed(1)} s (train ${r.meta.timing.train_s.toFixed(1)} s)` +
        (sig ? `; ${sig.value} of ${sig.params.neurons} neurons above their null, peak-time IQR ${Number(sig.params.peakTimeIqr).toFixed(1)} steps` : ''),
    ];
  });
  const report = join(outDir, 'report.html');
  writeFileAtomic(report, reportHtml(`infoscope comparison: ${runs.map((r) => escapeHtml(r.name)).join(' vs ')}`, [['task', JSON.stringify(runs[0].config.task)], ...rows], rendered));
  return { report, charts: charts.map((c) => c.name) };
}
