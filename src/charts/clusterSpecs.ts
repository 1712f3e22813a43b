/**
 * Charts of the clusters hook (docs/clusters.md): the task-variance map with units grouped by
 * cluster, silhouette against k with the rotation control, FTV histograms with the control, the
 * lesion matrix, the information each cluster carries, and the clusters forming over training
 * (identities carried from checkpoint to checkpoint by overlap). MI in bits.
 */
import { trackClusters } from '../stats/clusterTracking.js';
import { BITS_PER_NAT as BITS } from '../core/units.js';
import type { RunData } from '../runfolder/loadRun.js';
import { HOOK, QUANTITY } from '../runfolder/schema.js';
import type { NamedSpec, Spec } from './specs.js';

/** Cluster legends in columns, so twenty-odd clusters do not push the chart apart. */
const LEGEND = { columns: 2 } as const;

/** Distinct cluster names in numeric order ("2" before "10", "#2" before "#10"). */
function inOrder(names: readonly string[]): string[] {
  return [...new Set(names)].sort((a, b) => Number(a.replace('#', '')) - Number(b.replace('#', '')));
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

function varianceMap(run: RunData): Spec | null {
  const c = run.clusters;
  if (!c) return null;
  const { taskVariance: tv, N } = c.last;
  const K = run.tasks.length;
  const labels = c.labels[c.labels.length - 1].labels;
  const units = Array.from({ length: N }, (_, i) => i).filter((i) => labels[i] >= 0).sort((a, b) => labels[a] - labels[b] || a - b);
  const values = units.flatMap((u, rank) => {
    let m = 0;
    for (let k = 0; k < K; k++) m = Math.max(m, tv[u * K + k]);
    return run.tasks.map((task, k) => ({ rank, unit: u, task, cluster: labels[u], v: +(tv[u * K + k] / m).toFixed(4) }));
  });
  const bar = units.map((u, rank) => ({ rank, cluster: String(labels[u]) }));
  const x = { field: 'rank', type: 'ordinal', axis: null };
  return {
    $schema: SCHEMA,
    title: `${run.name}: normalised task variance at step ${c.last.step}, active units grouped by cluster`,
    vconcat: [
      { width: 600, height: 12, data: { values: bar }, mark: 'rect', encoding: { x, color: { field: 'cluster', type: 'nominal', scale: { scheme: 'category20', domain: inOrder(bar.map((b) => b.cluster)) }, title: 'cluster', legend: { orient: 'top', columns: 16 } } } },
      {
        width: 600,
        height: 300,
        data: { values },
        mark: 'rect',
        encoding: {
          x: { ...x, title: 'unit (by cluster)' },
          y: { field: 'task', type: 'nominal', sort: run.tasks, title: null },
          color: { field: 'v', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'variance / max' },
          tooltip: [{ field: 'unit' }, { field: 'cluster' }, { field: 'task' }, { field: 'v', format: '.2f' }],
        },
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as Spec;
}

function silhouetteSpec(run: RunData): Spec | null {
  const c = run.clusters;
  if (!c) return null;
  const s = c.last.silhouette;
  const values = [];
  for (let i = 0; i < s.length / 3; i++) values.push({ k: s[3 * i], score: s[3 * i + 1], kind: 'network' }, { k: s[3 * i], score: s[3 * i + 2], kind: 'rotated activity (control)' });
  return {
    $schema: SCHEMA,
    title: `${run.name}: silhouette of k-means against k at step ${c.last.step}`,
    width: 420,
    height: 200,
    data: { values: values.filter((v) => Number.isFinite(v.score)) },
    mark: { type: 'line', point: true },
    encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: 'score', type: 'quantitative', title: 'silhouette' }, color: { field: 'kind', type: 'nominal', title: null } },
  } as unknown as Spec;
}

function ftvSpec(run: RunData): Spec | null {
  const c = run.clusters;
  const pairs = String(run.probes.find((r) => r.hook === HOOK.clusters && r.quantity === QUANTITY.clusters && r.step === c?.last.step)?.params.pairs ?? '');
  if (!c || !c.last.ftv || !pairs) return null;
  const names = pairs.split(',');
  const values = names.flatMap((pair, p) =>
    Array.from({ length: 20 }, (_, b) => [
      { pair, ftv: -1 + 0.1 * b + 0.05, units: c.last.ftv?.[20 * p + b] ?? 0, kind: 'network' },
      { pair, ftv: -1 + 0.1 * b + 0.05, units: c.last.ftvRotated?.[20 * p + b] ?? 0, kind: 'rotated activity (control)' },
    ]).flat(),
  );
  return {
    $schema: SCHEMA,
    title: `${run.name}: fractional task variance (TV_A - TV_B) / (TV_A + TV_B) at step ${c.last.step}`,
    data: { values },
    facet: { field: 'pair', type: 'nominal', sort: names, title: null },
    columns: 4,
    spec: { width: 150, height: 90, mark: { type: 'line', interpolate: 'step-after' }, encoding: { x: { field: 'ftv', type: 'quantitative', scale: { domain: [-1, 1] }, title: 'FTV' }, y: { field: 'units', type: 'quantitative' }, color: { field: 'kind', type: 'nominal', title: null } } },
  } as unknown as Spec;
}

function lesionSpec(run: RunData): Spec | null {
  const les = run.clusters?.last.lesions;
  if (!les) return null;
  const K = run.tasks.length;
  const rows = les.length / (2 * K);
  const values = [];
  for (let c = 1; c < rows; c++) for (let t = 0; t < K; t++) values.push({ cluster: c - 1, task: run.tasks[t], change: +(les[(c * K + t) * 2] - les[t * 2]).toFixed(3) });
  return {
    $schema: SCHEMA,
    title: `${run.name}: perf change when a cluster's outgoing weights are cut (test grids, no noise)`,
    width: 420,
    height: Math.max(60, 18 * (rows - 1)),
    data: { values },
    mark: 'rect',
    encoding: {
      x: { field: 'task', type: 'nominal', sort: run.tasks, title: null },
      y: { field: 'cluster', type: 'ordinal' },
      color: { field: 'change', type: 'quantitative', scale: { scheme: 'redblue', domain: [-1, 1] }, title: 'perf change' },
      tooltip: [{ field: 'cluster' }, { field: 'task' }, { field: 'change' }],
    },
  } as unknown as Spec;
}

/** Peak over the trial of I(S; H_c) and I(choice; H_c) per cluster and task at the last checkpoint, and I(rule; H_c) over the trial. */
function clusterInfoSpec(run: RunData): Spec | null {
  const step = run.clusters?.last.step;
  const recs = run.probes.filter((r) => r.hook === HOOK.clusters && r.step === step && r.cluster !== undefined && r.value !== null);
  if (recs.length === 0) return null;
  const peak = new Map<string, { cluster: number; task: string; quantity: string; bits: number }>();
  for (const r of recs.filter((x) => x.task !== undefined)) {
    const key = `${r.quantity}/${r.cluster}/${r.task}`;
    const v = (r.value as number) * BITS;
    if (!peak.has(key) || (peak.get(key)?.bits ?? -Infinity) < v) peak.set(key, { cluster: r.cluster as number, task: r.task as string, quantity: r.quantity, bits: +v.toFixed(3) });
  }
  const rule = recs.filter((x) => x.quantity === QUANTITY.ruleCluster).map((r) => ({ cluster: String(r.cluster), t: r.t, bits: (r.value as number) * BITS }));
  return {
    $schema: SCHEMA,
    title: `${run.name}: information per cluster at step ${step} (decoder bound; the peak over the trial)`,
    vconcat: [
      {
        data: { values: [...peak.values()] },
        facet: { row: { field: 'quantity', type: 'nominal', title: null } },
        spec: { width: 420, height: 160, mark: 'rect', encoding: { x: { field: 'task', type: 'nominal', sort: run.tasks, title: null }, y: { field: 'cluster', type: 'ordinal' }, color: { field: 'bits', type: 'quantitative', scale: { scheme: 'viridis' }, title: 'bits' }, tooltip: [{ field: 'cluster' }, { field: 'task' }, { field: 'bits' }] } },
      },
      { width: 420, height: 160, title: 'I(rule; H_c) over the trial', data: { values: rule }, mark: { type: 'line', point: true }, encoding: { x: { field: 't', type: 'quantitative', title: 'time step' }, y: { field: 'bits', type: 'quantitative', title: 'bits' }, color: { field: 'cluster', type: 'nominal', scale: { domain: inOrder(rule.map((r) => r.cluster)) }, legend: LEGEND } } },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as Spec;
}

/** Clusters over training: how many, the silhouette against the control's, and each tracked cluster's size. */
function formationSpec(run: RunData): Spec | null {
  const c = run.clusters;
  if (!c || c.labels.length < 2) return null;
  const summaries = run.probes.filter((r) => r.hook === HOOK.clusters && r.quantity === QUANTITY.clusters);
  const sil = summaries.flatMap((r) => [
    { step: r.step, score: r.value, kind: 'network' },
    { step: r.step, score: r.params.silhouetteControl, kind: 'rotated activity (control)' },
  ]);
  const sizes: Array<{ step: number; id: string; units: number }> = [];
  let prev: Int32Array | null = null;
  let prevIds: Int32Array = new Int32Array(0);
  let free = 0;
  for (const { step, labels } of c.labels) {
    const cur = Int32Array.from(labels);
    const k = Math.max(-1, ...cur) + 1;
    const tracked: { ids: Int32Array; nextFree: number } = prev ? trackClusters(prev, prevIds, cur, k, free) : { ids: Int32Array.from({ length: k }, (_, i) => i), nextFree: k };
    for (let j = 0; j < k; j++) sizes.push({ step, id: `#${tracked.ids[j]}`, units: cur.filter((l) => l === j).length });
    prev = cur;
    prevIds = tracked.ids;
    free = tracked.nextFree;
  }
  return {
    $schema: SCHEMA,
    title: `${run.name}: clusters forming over training (identities carried by overlap of member units)`,
    vconcat: [
      { width: 520, height: 150, data: { values: sil }, mark: { type: 'line', point: true }, encoding: { x: { field: 'step', type: 'quantitative', title: 'training step' }, y: { field: 'score', type: 'quantitative', title: 'best silhouette' }, color: { field: 'kind', type: 'nominal', title: null } } },
      { width: 520, height: 200, data: { values: sizes }, mark: 'area', encoding: { x: { field: 'step', type: 'quantitative', title: 'training step' }, y: { field: 'units', type: 'quantitative', stack: true, title: 'units per cluster' }, color: { field: 'id', type: 'nominal', scale: { scheme: 'category20', domain: inOrder(sizes.map((z) => z.id)) }, title: 'cluster', legend: LEGEND } } },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as Spec;
}

export function clusterCharts(run: RunData): NamedSpec[] {
  const out: NamedSpec[] = [];
  const add = (name: string, title: string, spec: Spec | null) => spec && out.push({ name, title, spec });
  add('task-variance', 'Task variance and clusters', varianceMap(run));
  add('silhouette', 'Silhouette against k', silhouetteSpec(run));
  add('ftv', 'Fractional task variance', ftvSpec(run));
  add('lesions', 'Lesions', lesionSpec(run));
  add('cluster-information', 'Information per cluster', clusterInfoSpec(run));
  add('cluster-formation', 'Clusters over training', formationSpec(run));
  return out;
}
