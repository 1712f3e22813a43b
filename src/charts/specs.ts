/**
 * Vega-Lite specs of a run, data inlined. MI is stored in nats and shown in bits. Every MI chart
 * names its estimator parameters (bins, noise variance, k) in its title: in published information-
 * plane work those parameters shaped the conclusions.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ProbeRecordLine } from '../runfolder/schema.js';
import type { NeuronMatrix, RunData } from '../runfolder/loadRun.js';
import { HOOK, QUANTITY } from '../runfolder/schema.js';
import { BITS_PER_NAT as BITS } from '../core/units.js';

/** The run's time step in ms: the probe batch's, else the config's time grid. */
export const stepMs = (run: RunData) => run.probeBatch?.dt ?? run.config.stimulus.dt;

export type Spec = TopLevelSpec & Record<string, unknown>;

export interface NamedSpec {
  name: string;
  title: string;
  spec: Spec;
}

function paramText(params: ProbeRecordLine['params']): string {
  const keys = ['bins', 'noiseVar', 'k', 'bound', 'folds'];
  return keys
    .filter((k) => params[k] !== undefined)
    .map((k) => `${k === 'noiseVar' ? 'noise variance' : k} ${params[k]}`)
    .join(', ');
}

function epochRows(run: RunData): Array<{ epoch: string; start: number; end: number }> {
  const e = run.probeBatch?.epochs ?? {};
  return Object.entries(e).map(([epoch, [start, end]]) => ({ epoch, start, end }));
}

/** Task epochs of the probe batch as shaded rectangles under a time-step axis. */
export function epochLayer(run: RunData): Record<string, unknown> {
  return {
    data: { values: epochRows(run) },
    mark: { type: 'rect', opacity: 0.12 },
    encoding: {
      x: { field: 'start', type: 'quantitative' },
      x2: { field: 'end' },
      color: { field: 'epoch', type: 'nominal', scale: { scheme: 'pastel1' }, legend: { title: 'epoch' } },
    },
  };
}

export function lossPerfSpec(run: RunData): Spec {
  const loss = run.metrics.filter((m) => m.loss !== null).map((m) => ({ step: m.step, loss: m.loss }));
  const perf = run.metrics
    .filter((m) => m.perf !== undefined)
    .flatMap((m) => [
      { step: m.step, perf: m.perf as number, metric: 'perf' },
      { step: m.step, perf: m.perf_strict as number, metric: 'perf (fixation held)' },
    ]);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${run.name}: loss and performance`,
    vconcat: [
      {
        width: 520,
        height: 180,
        data: { values: loss },
        mark: { type: 'line', strokeWidth: 1 },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'training step' },
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'loss (cost-masked MSE)' },
        },
      },
      {
        width: 520,
        height: 180,
        data: { values: perf },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'step', type: 'quantitative', title: 'training step' },
          y: { field: 'perf', type: 'quantitative', scale: { domain: [0, 1] }, title: 'perf (fresh trials)' },
          color: { field: 'metric', type: 'nominal', title: null },
        },
      },
    ],
  } as unknown as Spec;
}

/**
 * Layer MI vs time step: a row per estimator, a column per quantity, a line per checkpoint. Trust is
 * drawn, not only written: the 95 % interval as a band around the last checkpoint's curve; points
 * filled where the verdict is 'ok', triangles pointing up where the value is a floor ('lower-only':
 * the information is at least this), hollow and grey for the other verdicts (the reason in the
 * tooltip); the ceiling as a rule.
 */
export function layerMiSpec(run: RunData, task?: string): Spec | null {
  const recs = run.probes.filter((r) => r.hook === HOOK.layer && r.t !== undefined && r.value !== null && (task === undefined || r.task === undefined || r.task === task));
  if (recs.length === 0) return null;
  const estimators = [...new Set(recs.map((r) => r.estimator))];
  const quantities = [...new Set(recs.map((r) => r.quantity))];
  const last = recs.reduce((m, r) => Math.max(m, r.step), -Infinity);
  const x = { field: 't', type: 'quantitative', title: `time step (${stepMs(run)} ms)` };
  const rows = estimators.map((est) => {
    const mine = recs.filter((r) => r.estimator === est);
    return {
      title: paramText(mine[0].params) ? `${est} (${paramText(mine[0].params)})` : est,
      hconcat: quantities
        .filter((q) => mine.some((r) => r.quantity === q))
        .map((q) => {
          const these = mine.filter((r) => r.quantity === q);
          const values = these.map((r) => ({
            t: r.t,
            step: r.step,
            bits: (r.value as number) * BITS,
            lo: r.ci95 ? r.ci95[0] * BITS : null,
            hi: r.ci95 && r.ci95[1] !== null && Number.isFinite(r.ci95[1]) ? r.ci95[1] * BITS : null,
            corrected: r.corrected !== undefined && r.corrected !== null ? +(r.corrected * BITS).toFixed(4) : null,
            verdict: r.reliability ?? 'n/a',
            why: (r.reasons ?? []).join('; '),
          }));
          const lastValues = values.filter((v) => v.step === last);
          const ceiling = these.find((r) => r.ceiling !== undefined && r.ceiling !== null)?.ceiling;
          const layers: Record<string, unknown>[] = [
            epochLayer(run),
            {
              data: { values: lastValues.filter((v) => v.lo !== null && v.hi !== null) },
              mark: { type: 'area', opacity: 0.25, color: '#4c78a8' },
              encoding: { x, y: { field: 'lo', type: 'quantitative', title: 'MI (bits)' }, y2: { field: 'hi' } },
            },
            {
              data: { values },
              mark: { type: 'line', strokeWidth: 1.2 },
              encoding: {
                x,
                y: { field: 'bits', type: 'quantitative', title: 'MI (bits)' },
                stroke: { field: 'step', type: 'quantitative', scale: { scheme: 'viridis' }, legend: { title: 'training step', format: 'd' } },
                detail: { field: 'step', type: 'nominal' },
              },
            },
            {
              data: { values: lastValues },
              // reliable values (verdict ok) as filled points, floors (lower-only) as orange triangles
              // pointing up, the others hollow and grey
              mark: { type: 'point', size: 18, filled: true, strokeWidth: 1 },
              encoding: {
                x,
                y: { field: 'bits', type: 'quantitative' },
                shape: { condition: { test: "datum.verdict === 'lower-only'", value: 'triangle-up' }, value: 'circle' },
                fillOpacity: { condition: { test: "datum.verdict === 'ok' || datum.verdict === 'lower-only'", value: 1 }, value: 0 },
                color: { condition: [{ test: "datum.verdict === 'ok'", value: '#4c78a8' }, { test: "datum.verdict === 'lower-only'", value: '#f58518' }], value: '#aaaaaa' },
                stroke: { condition: [{ test: "datum.verdict === 'ok'", value: '#4c78a8' }, { test: "datum.verdict === 'lower-only'", value: '#f58518' }], value: '#aaaaaa' },
                tooltip: [
                  { field: 't', title: 'time step' },
                  { field: 'bits', title: 'raw (bits)', format: '.3f' },
                  { field: 'corrected', title: 'corrected (bits)' },
                  { field: 'verdict' },
                  { field: 'why', title: 'reasons' },
                ],
              },
            },
          ];
          if (ceiling !== undefined && ceiling !== null) {
            layers.push({ data: { values: [{ c: ceiling * BITS }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#999' }, encoding: { y: { field: 'c', type: 'quantitative' } } });
          }
          return { width: 230, height: 150, title: `${q}`, layer: layers };
        }),
    };
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${run.name}${task ? ` (${task})` : ''}: layer MI over the trial, one line per checkpoint; band: 95 % interval at step ${last}; filled: ok; orange triangles: a floor (lower-only); hollow grey: biased, unstable or saturated; dashed: ceiling`,
    vconcat: rows,
    resolve: { scale: { color: 'independent' } },
  } as unknown as Spec;
}

function sortedByPeak(m: NeuronMatrix): number[] {
  const order = Array.from({ length: m.N }, (_, i) => i);
  const peakT = (i: number) => (m.peaks ? m.peaks[2 * i] : 0);
  return order.sort((a, b) => peakT(a) - peakT(b) || a - b);
}

/** Per-neuron MI heatmap at the last checkpoint, neurons sorted by peak time. */
export function neuronHeatmapSpec(run: RunData, m: NeuronMatrix): Spec {
  const order = sortedByPeak(m);
  const values: Array<{ t: number; rank: number; bits: number }> = [];
  order.forEach((i, rank) => {
    for (let t = 0; t < m.T; t++) values.push({ t, rank, bits: +(m.mi[i * m.T + t] * BITS).toFixed(4) });
  });
  const params = run.probes.find((r) => r.hook === HOOK.neuron && r.estimator === m.estimator && r.step === m.step)?.params ?? {};
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${run.name}: I(S; h_i(t)) per neuron at step ${m.step}, ${m.estimator} (${paramText(params)}), neurons sorted by peak time`,
    width: 500,
    height: 400,
    data: { values },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 't', type: 'quantitative', bin: { maxbins: m.T, step: 1 }, title: `time step (${stepMs(run)} ms)` },
      y: { field: 'rank', type: 'quantitative', bin: { maxbins: m.N, step: 1 }, title: 'neuron (sorted by peak time)', axis: { labels: false, ticks: false } },
      color: { field: 'bits', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'MI (bits)' },
    },
  } as unknown as Spec;
}

/** Where in the trial neurons peak: histogram of peak times at the last checkpoint. */
export function peakTimeSpec(run: RunData, m: NeuronMatrix): Spec {
  const values: Array<{ t: number }> = [];
  for (let i = 0; i < m.N; i++) if (m.peaks) values.push({ t: m.peaks[2 * i] });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${run.name}: peak time of I(S; h_i(t)) per neuron at step ${m.step} (${m.estimator})`,
    width: 520,
    height: 180,
    layer: [
      epochLayer(run),
      {
        data: { values },
        mark: { type: 'bar', color: '#4c78a8' },
        encoding: {
          x: { field: 't', type: 'quantitative', bin: { step: 2, extent: [0, m.T] }, scale: { domain: [0, m.T] }, title: `peak time step (${stepMs(run)} ms)` },
          y: { aggregate: 'count', type: 'quantitative', title: 'neurons' },
        },
      },
    ],
  } as unknown as Spec;
}

interface PlanePoint {
  step: number;
  estimator: string;
  /** I(X;H) and I(H;Y) in bits. */
  ix: number;
  iy: number;
}

/** Information-plane points of a run, one per checkpoint and estimator (optionally one estimator), by step. */
export function infoplanePoints(run: RunData, estimator?: string, task?: string): PlanePoint[] {
  const byKey = new Map<string, { step: number; estimator: string; ix?: number; iy?: number }>();
  for (const r of run.probes) {
    if (r.hook !== HOOK.infoplane || r.value === null || (estimator && r.estimator !== estimator)) continue;
    if (task !== undefined && r.task !== undefined && r.task !== task) continue;
    const key = `${r.estimator}/${r.step}`;
    const e = byKey.get(key) ?? { step: r.step, estimator: r.estimator };
    if (r.quantity === QUANTITY.inputLayer) e.ix = r.value * BITS;
    else e.iy = r.value * BITS;
    byKey.set(key, e);
  }
  return [...byKey.values()].filter((v): v is PlanePoint => v.ix !== undefined && v.iy !== undefined).sort((a, b) => a.step - b.step);
}

/** Trajectory in the information plane over training. */
export function infoplaneSpec(run: RunData, task?: string): Spec | null {
  const recs = run.probes.filter((r) => r.hook === HOOK.infoplane && r.value !== null);
  if (recs.length === 0) return null;
  const values = infoplanePoints(run, undefined, task);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: `${run.name}${task ? ` (${task})` : ''}: information plane (${recs[0].estimator}, ${paramText(recs[0].params)}; mean over the trial)`,
    width: 400,
    height: 300,
    data: { values },
    layer: [
      { mark: { type: 'line', color: '#bbb' }, encoding: { x: { field: 'ix', type: 'quantitative', title: 'I(X;H) (bits)', scale: { zero: false } }, y: { field: 'iy', type: 'quantitative', title: 'I(H;Y) (bits)', scale: { zero: false } }, order: { field: 'step' }, detail: { field: 'estimator' } } },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'ix', type: 'quantitative' },
          y: { field: 'iy', type: 'quantitative' },
          color: { field: 'step', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'training step', legend: { format: 'd' } },
          tooltip: [{ field: 'step' }, { field: 'ix', format: '.3f' }, { field: 'iy', format: '.3f' }],
        },
      },
    ],
  } as unknown as Spec;
}
