/**
 * Charts of a run with several tasks: perf per task over training, the layer's information about
 * each task's stimulus over the trial (small multiples, each task with its own epochs), and the
 * information about which task it is, I(rule; H_t). MI stored in nats, shown in bits.
 */
import type { RunData } from '../runfolder/loadRun.js';
import { HOOK, QUANTITY } from '../runfolder/schema.js';
import { BITS_PER_NAT as BITS } from '../core/units.js';
import { type Spec, stepMs } from './specs.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
/** Panels per row of the small multiples. */
const COLUMNS = 5;

/** Perf per task over training, a panel per task, with the mean and the minimum over tasks in every panel. */
export function perfByTaskSpec(run: RunData): Spec | null {
  const evals = run.metrics.filter((m) => m.perf_by_task !== undefined);
  if (evals.length === 0) return null;
  const values = evals.flatMap((m) => {
    const by = m.perf_by_task as Record<string, number>;
    const all = Object.values(by);
    const mean = all.reduce((a, b) => a + b, 0) / all.length;
    const min = Math.min(...all);
    return run.tasks.flatMap((task) => [
      { step: m.step, task, perf: by[task], series: 'this task' },
      { step: m.step, task, perf: mean, series: 'mean over tasks' },
      { step: m.step, task, perf: min, series: 'minimum over tasks' },
    ]);
  });
  return {
    $schema: SCHEMA,
    title: `${run.name}: perf per task on fresh trials (grey: mean over the ${run.tasks.length} tasks; red: their minimum)`,
    data: { values },
    facet: { field: 'task', type: 'nominal', sort: run.tasks, title: null },
    columns: COLUMNS,
    spec: {
      width: 150,
      height: 90,
      mark: { type: 'line', strokeWidth: 1.2 },
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'training step' },
        y: { field: 'perf', type: 'quantitative', scale: { domain: [0, 1] }, title: 'perf' },
        color: { field: 'series', type: 'nominal', scale: { domain: ['this task', 'mean over tasks', 'minimum over tasks'], range: ['#4c78a8', '#bbbbbb', '#e45756'] }, title: null },
      },
    },
  } as unknown as Spec;
}

/**
 * The decoder's I(S; H_t) per task over the trial, a panel per task with that task's epochs shaded,
 * a line per checkpoint (the last darkest); floors (lower-only) and other verdicts in the tooltip.
 */
export function taskLayerSpec(run: RunData): Spec | null {
  const recs = run.probes.filter((r) => r.hook === HOOK.layer && r.estimator === 'decoder' && r.quantity === QUANTITY.stimulusLayer && r.task !== undefined && r.t !== undefined && r.value !== null);
  if (recs.length === 0) return null;
  const mi = recs.map((r) => ({ kind: 'mi', task: r.task, t: r.t, step: r.step, bits: (r.value as number) * BITS, verdict: r.reliability ?? 'n/a' }));
  const byTask = run.probeBatch?.byTask ?? {};
  const epochs = Object.entries(byTask).flatMap(([task, b]) => Object.entries(b.epochs).map(([epoch, [start, end]]) => ({ kind: 'epoch', task, epoch, start, end })));
  const x = { field: 't', type: 'quantitative', title: `time step (${stepMs(run)} ms)` };
  return {
    $schema: SCHEMA,
    title: `${run.name}: I(S; H_t) per task (decoder bound), one line per checkpoint, epochs shaded`,
    data: { values: [...epochs, ...mi] },
    facet: { field: 'task', type: 'nominal', sort: run.tasks, title: null },
    columns: COLUMNS,
    spec: {
      width: 150,
      height: 90,
      layer: [
        {
          transform: [{ filter: "datum.kind === 'epoch'" }],
          mark: { type: 'rect', opacity: 0.12 },
          encoding: { x: { field: 'start', type: 'quantitative' }, x2: { field: 'end' }, color: { field: 'epoch', type: 'nominal', scale: { scheme: 'pastel1' }, legend: { title: 'epoch' } } },
        },
        {
          transform: [{ filter: "datum.kind === 'mi'" }],
          mark: { type: 'line', strokeWidth: 1 },
          encoding: {
            x,
            y: { field: 'bits', type: 'quantitative', title: 'I(S;H) (bits)' },
            stroke: { field: 'step', type: 'quantitative', scale: { scheme: 'viridis' }, legend: { title: 'training step' } },
            detail: { field: 'step', type: 'nominal' },
            tooltip: [{ field: 'task' }, { field: 'step' }, { field: 't' }, { field: 'bits', format: '.3f' }, { field: 'verdict' }],
          },
        },
      ],
    },
    resolve: { scale: { x: 'independent' } },
  } as unknown as Spec;
}

/** I(rule; H_t) over the trial, a line per checkpoint, the ceiling ln(#tasks) dashed. */
export function ruleSpec(run: RunData): Spec | null {
  const recs = run.probes.filter((r) => r.hook === HOOK.rule && r.quantity === QUANTITY.ruleLayer && r.t !== undefined && r.value !== null);
  if (recs.length === 0) return null;
  const values = recs.map((r) => ({ t: r.t, step: r.step, bits: (r.value as number) * BITS, lo: r.ci95 ? r.ci95[0] * BITS : null, verdict: r.reliability ?? 'n/a' }));
  const ceiling = recs.find((r) => r.ceiling !== undefined && r.ceiling !== null)?.ceiling;
  const x = { field: 't', type: 'quantitative', title: `time step (${stepMs(run)} ms)` };
  const layers: Record<string, unknown>[] = [
    {
      data: { values },
      mark: { type: 'line', point: true, strokeWidth: 1.2 },
      encoding: {
        x,
        y: { field: 'bits', type: 'quantitative', title: 'I(rule; H) (bits)' },
        stroke: { field: 'step', type: 'quantitative', scale: { scheme: 'viridis' }, legend: { title: 'training step' } },
        detail: { field: 'step', type: 'nominal' },
        tooltip: [{ field: 'step' }, { field: 't' }, { field: 'bits', format: '.3f' }, { field: 'lo', title: '95 % lower end (bits)', format: '.3f' }, { field: 'verdict' }],
      },
    },
  ];
  if (ceiling !== undefined && ceiling !== null) layers.push({ data: { values: [{ c: ceiling * BITS }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#999' }, encoding: { y: { field: 'c', type: 'quantitative' } } });
  return {
    $schema: SCHEMA,
    title: `${run.name}: which task the layer is doing, I(rule; H_t) (decoder bound over the ${run.tasks.length} tasks; dashed: ln of the task count)`,
    width: 520,
    height: 180,
    layer: layers,
  } as unknown as Spec;
}
