/**
 * Vega-Lite specs of a sweep, from its summary (aggregate.ts) and per-run summaries: banded curves
 * (mean and 95 % interval across seeds, one colour per setting) and a scatter of a parameter
 * against a metric per run. Pure: data in, specs out; the report and the dashboard draw the same.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { BandPoint, SweepSummary } from '../stats/aggregate.js';
import type { RunSummary } from '../stats/runSummary.js';
import type { NamedSpec } from './specs.js';

type Spec = TopLevelSpec & Record<string, unknown>;
const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function bandValues(summary: SweepSummary, pick: (s: SweepSummary['settings'][number]) => BandPoint[]) {
  return summary.settings.flatMap((s) => pick(s).map((p) => ({ setting: s.label, x: p.x, mean: p.mean, lo: p.lo ?? p.mean, hi: p.hi ?? p.mean, n: p.n })));
}

function bandLayers(xTitle: string, yTitle: string, yDomain?: [number, number]) {
  const y = { type: 'quantitative', title: yTitle, ...(yDomain ? { scale: { domain: yDomain } } : {}) };
  return [
    { mark: { type: 'area', opacity: 0.22 }, encoding: { x: { field: 'x', type: 'quantitative', title: xTitle }, y: { field: 'lo', ...y }, y2: { field: 'hi' }, color: { field: 'setting', type: 'nominal' } } },
    {
      mark: { type: 'line' },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'mean', ...y },
        color: { field: 'setting', type: 'nominal' },
        tooltip: [{ field: 'setting' }, { field: 'x' }, { field: 'mean', format: '.3f' }, { field: 'lo', format: '.3f' }, { field: 'hi', format: '.3f' }, { field: 'n' }],
      },
    },
  ];
}

function bandSpec(summary: SweepSummary, curve: 'perf' | 'loss', title: string): Spec | null {
  const values = bandValues(summary, (s) => s.curves[curve]);
  if (values.length === 0) return null;
  return { $schema: SCHEMA, title, width: 460, height: 230, data: { values }, layer: bandLayers('training step', curve === 'perf' ? 'perf' : 'training loss', curve === 'perf' ? [0, 1] : undefined) } as unknown as Spec;
}

function layerBandSpec(summary: SweepSummary): Spec | null {
  const qs = [...new Set(summary.settings.flatMap((s) => Object.keys(s.curves.layer)))];
  if (qs.length === 0) return null;
  return {
    $schema: SCHEMA,
    title: 'layer MI over the trial at the last checkpoint (mean and 95 % interval across seeds)',
    hconcat: qs.map((q) => ({ title: `${q} (${summary.layerEstimators[q] ?? '?'})`, width: 260, height: 170, data: { values: bandValues(summary, (s) => s.curves.layer[q] ?? []) }, layer: bandLayers('time step', 'MI (bits)') })),
  } as unknown as Spec;
}

function peakBandSpec(summary: SweepSummary): Spec | null {
  const values = bandValues(summary, (s) => s.curves.peak_time_hist);
  if (values.length === 0) return null;
  return { $schema: SCHEMA, title: 'share of neurons peaking at each time step (mean and 95 % interval across seeds)', width: 460, height: 200, data: { values }, layer: bandLayers('time step', 'share of neurons') } as unknown as Spec;
}

/** Per-run metric against each swept parameter: numeric parameters on a quantitative axis. */
function paramScatterSpec(summary: SweepSummary, runs: readonly RunSummary[], metric: string): Spec | null {
  const byId = new Map(runs.map((r) => [r.id, r]));
  const params = [...new Set(summary.settings.flatMap((s) => Object.keys(s.params)))];
  if (params.length === 0) return null;
  const values = summary.settings.flatMap((s) =>
    s.used.map((id) => {
      const r = byId.get(id);
      const m = s.metrics[metric as keyof typeof s.metrics];
      const v = m?.values[s.runs.indexOf(id)] ?? null;
      return { setting: s.label, run: id, seed: r?.seed, value: v, ...Object.fromEntries(params.map((p) => [`p:${p}`, s.params[p] === undefined ? null : String(s.params[p])])), ...Object.fromEntries(params.map((p) => [`n:${p}`, typeof s.params[p] === 'number' ? s.params[p] : null])) };
    }),
  );
  if (values.every((v) => v.value === null)) return null;
  return {
    $schema: SCHEMA,
    title: `${metric} of every run against each parameter`,
    data: { values },
    hconcat: params.map((p) => {
      const numeric = summary.settings.every((s) => typeof s.params[p] === 'number');
      return {
        width: 220,
        height: 200,
        mark: { type: 'point', filled: true, opacity: 0.8 },
        encoding: {
          x: numeric ? { field: `n:${p}`, type: 'quantitative', title: p, scale: { zero: false } } : { field: `p:${p}`, type: 'nominal', title: p },
          ...(numeric ? {} : { xOffset: { field: 'seed', type: 'nominal' } }),
          y: { field: 'value', type: 'quantitative', title: metric, scale: { zero: false } },
          color: { field: 'setting', type: 'nominal' },
          tooltip: [{ field: 'run' }, { field: 'value', format: '.4g' }],
        },
      };
    }),
  } as unknown as Spec;
}

export function sweepCharts(summary: SweepSummary, runs: readonly RunSummary[]): NamedSpec[] {
  const out: NamedSpec[] = [];
  const add = (name: string, title: string, spec: Spec | null) => spec && out.push({ name, title, spec });
  add('perf-band', 'Performance across seeds', bandSpec(summary, 'perf', 'evaluated perf (mean and 95 % interval across seeds)'));
  add('loss-band', 'Training loss across seeds', bandSpec(summary, 'loss', 'training loss (mean and 95 % interval across seeds)'));
  add('layer-band', 'Layer MI across seeds', layerBandSpec(summary));
  add('peak-band', 'Per-neuron peak times across seeds', peakBandSpec(summary));
  add('param-scatter', 'Parameters against final perf', paramScatterSpec(summary, runs, 'final_perf'));
  return out;
}
