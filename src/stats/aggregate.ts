/**
 * Across seeds, per setting: the mean and 95 % t interval of every scalar summary, banded curves
 * (mean and interval at each x), and for every pair of settings a seed-level permutation test with
 * effect sizes. Pure: takes run summaries, returns the summary.json object.
 */
import type { SweepMetric } from './metrics.js';
import type { RunSummary } from './runSummary.js';
import { type MeanInterval, cliffsDelta, hedgesG, meanInterval, permutationTest } from './stats.js';

export interface MetricSummary extends MeanInterval {
  /** Per-run values in the order of `runs` (null: no value, e.g. a target never reached). */
  values: Array<number | null>;
  /** For the "to target" summaries: how many runs reached the target (the mean is over those). */
  reached?: number;
}

export interface BandPoint {
  x: number;
  mean: number;
  lo: number | null;
  hi: number | null;
  n: number;
}

interface SettingSummary {
  id: string;
  label: string;
  params: Record<string, unknown>;
  /** Run folder names (under runs/) of this setting, one per seed. */
  runs: string[];
  status: Record<string, string>;
  /** Runs that entered the summaries (completed ones; all present ones in a live view). */
  used: string[];
  metrics: Partial<Record<SweepMetric, MetricSummary>>;
  /** How far mi_response_end can be trusted: its estimator, whether it is a bound, the verdicts of its runs. */
  miResponseEnd: { estimator: string | null; bound: string | null; verdicts: Record<string, number> };
  curves: { perf: BandPoint[]; loss: BandPoint[]; layer: Record<string, BandPoint[]>; peak_time_hist: BandPoint[] };
}

interface Comparison {
  a: string;
  b: string;
  metric: SweepMetric;
  /** Mean of a minus mean of b over the values that entered (null when a side has none). */
  diff: number | null;
  p: number | null;
  statistic: 'mean' | 'rank' | null;
  exact: boolean | null;
  hedgesG: number | null;
  cliffsDelta: number | null;
  n: [number, number];
}

export interface SweepSummary {
  sweep: string;
  id: string;
  targetPerf: number;
  /** True once every run of the plan has finished (completed or diverged). */
  complete: boolean;
  writtenAt: string;
  settings: SettingSummary[];
  /** The estimator each layer quantity (and I(H;Y) at the end of the response) is read from, for every run alike. */
  layerEstimators: EstimatorChoice;
  comparisons: Comparison[];
  diverged: string[];
  missing: string[];
}

const TO_TARGET: ReadonlySet<SweepMetric> = new Set(['steps_to_target', 'wall_to_target_s']);

/** Which estimator the sweep reads each layer quantity from. */
type EstimatorChoice = Record<string, string>;

/**
 * One estimator per layer quantity for the whole sweep: the one the reliability protocol distrusts
 * least summed over all runs (binning of 256 units is saturated by construction; the decoder
 * measures I(S;H) only), ties broken by the layer hook's order of estimators.
 */
export function chooseEstimators(runs: Iterable<RunSummary>, order: readonly string[] = []): EstimatorChoice {
  const cost = new Map<string, Map<string, number>>();
  for (const r of runs) {
    for (const [q, ests] of Object.entries(r.layer)) {
      const m = cost.get(q) ?? cost.set(q, new Map()).get(q) as Map<string, number>;
      for (const [e, v] of Object.entries(ests)) m.set(e, (m.get(e) ?? 0) + v.cost);
    }
  }
  const rank = (e: string) => (order.indexOf(e) < 0 ? order.length : order.indexOf(e));
  const out: EstimatorChoice = {};
  for (const [q, m] of cost) out[q] = [...m.entries()].sort((a, b) => a[1] - b[1] || rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]))[0][0];
  return out;
}

/** The value a run contributes to a summary; Infinity for "never reached" (tests rank it last). */
function metricValue(r: RunSummary, m: SweepMetric, choice: EstimatorChoice = {}): number | null {
  switch (m) {
    case 'mi_response_end': {
      const e = choice['I(H;Y)'];
      return (e ? r.mi_response_end[e]?.value : null) ?? null;
    }
    case 'steps_to_target':
    case 'wall_to_target_s':
      return r[m] ?? (r.status === 'completed' ? Infinity : null);
    default:
      return r[m] ?? null;
  }
}

function verdictsOf(runs: RunSummary[], estimator: string | null): SettingSummary['miResponseEnd'] {
  const verdicts: Record<string, number> = {};
  let bound: string | null = null;
  for (const r of runs) {
    const e = estimator ? r.mi_response_end[estimator] : undefined;
    if (!e) continue;
    verdicts[e.reliability ?? 'none'] = (verdicts[e.reliability ?? 'none'] ?? 0) + 1;
    bound = e.bound ?? bound;
  }
  return { estimator, bound, verdicts };
}

export function band(curves: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): BandPoint[] {
  const byX = new Map<number, number[]>();
  for (const c of curves) for (const [x, y] of c) if (Number.isFinite(y)) (byX.get(x) ?? byX.set(x, []).get(x) as number[]).push(y);
  return [...byX.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([x, ys]) => {
      const m = meanInterval(ys);
      return { x, mean: m.mean, lo: m.ci95?.[0] ?? null, hi: m.ci95?.[1] ?? null, n: m.n };
    });
}

/** Summaries that cannot leave a range: their t interval is clipped to it (coverage can only grow). */
const RANGE: Partial<Record<SweepMetric, [number, number]>> = { final_perf: [0, 1] };

function summarizeMetric(runs: RunSummary[], m: SweepMetric, choice: EstimatorChoice): MetricSummary {
  const raw = runs.map((r) => metricValue(r, m, choice));
  const vals = raw.map((v) => (v === null || !Number.isFinite(v) ? null : v));
  const out: MetricSummary = { ...meanInterval(vals.filter((v): v is number => v !== null)), values: vals };
  const range = RANGE[m];
  if (range && out.ci95) out.ci95 = [Math.max(range[0], out.ci95[0]), Math.min(range[1], out.ci95[1])];
  if (TO_TARGET.has(m)) out.reached = vals.filter((v) => v !== null).length;
  return out;
}

function summarizeSetting(setting: { id: string; label: string; params: Record<string, unknown> }, runIds: string[], summaries: ReadonlyMap<string, RunSummary>, metrics: readonly SweepMetric[], choice: EstimatorChoice, live = false): SettingSummary {
  const present = runIds.map((id) => summaries.get(id)).filter((r): r is RunSummary => r !== undefined);
  const used = present.filter((r) => r.status === 'completed' || (live && r.status !== 'diverged' && r.status !== 'damaged'));
  return {
    id: setting.id,
    label: setting.label,
    params: setting.params,
    runs: runIds,
    status: Object.fromEntries(runIds.map((id) => [id, summaries.get(id)?.status ?? 'missing'])),
    used: used.map((r) => r.id),
    metrics: Object.fromEntries(metrics.map((m) => [m, summarizeMetric(used, m, choice)])),
    miResponseEnd: verdictsOf(used, choice['I(H;Y)'] ?? null),
    curves: {
      perf: band(used.map((r) => r.curves.perf)),
      loss: band(used.map((r) => r.curves.loss)),
      layer: Object.fromEntries(Object.entries(choice).map(([q, e]) => [q, band(used.map((r) => r.layer[q]?.[e]?.curve ?? []))])),
      peak_time_hist: band(used.map((r) => (r.peak_time_hist ?? []).map((v, t) => [t, v] as [number, number]))),
    },
  };
}

/** Every pair of settings (at most 8 settings: beyond that a table of pairs stops being readable). */
function compareSettings(settings: SettingSummary[], summaries: ReadonlyMap<string, RunSummary>, metrics: readonly SweepMetric[], choice: EstimatorChoice = {}): Comparison[] {
  if (settings.length < 2 || settings.length > 8) return [];
  const out: Comparison[] = [];
  const valuesOf = (s: SettingSummary, m: SweepMetric) =>
    s.used.map((id) => metricValue(summaries.get(id) as RunSummary, m, choice)).filter((v): v is number => v !== null && !Number.isNaN(v));
  for (let i = 0; i < settings.length; i++) {
    for (let j = i + 1; j < settings.length; j++) {
      for (const m of metrics) {
        const a = valuesOf(settings[i], m);
        const b = valuesOf(settings[j], m);
        const t = permutationTest(a, b);
        const fa = a.filter(Number.isFinite);
        const fb = b.filter(Number.isFinite);
        out.push({
          a: settings[i].id,
          b: settings[j].id,
          metric: m,
          diff: fa.length && fb.length ? fa.reduce((s, x) => s + x, 0) / fa.length - fb.reduce((s, x) => s + x, 0) / fb.length : null,
          p: t?.p ?? null,
          statistic: t?.statistic ?? null,
          exact: t?.exact ?? null,
          hedgesG: hedgesG(a, b),
          cliffsDelta: cliffsDelta(a, b),
          n: [a.length, b.length],
        });
      }
    }
  }
  return out;
}

/** The summary.json object of a sweep from the summaries of the runs that exist so far. */
/**
 * What aggregation needs of a plan: settings and which run belongs to which. A sweep's plan
 * (SweepPlan), its sweep.json (SweepFile) and compare's groups of run folders all have this shape.
 */
export interface AggregationPlan {
  spec: { name: string; metrics: readonly SweepMetric[]; targetPerf: number };
  id: string;
  settings: ReadonlyArray<{ id: string; label: string; params: Record<string, unknown> }>;
  runs: ReadonlyArray<{ id: string; setting: string }>;
}

export function aggregateSweep(plan: AggregationPlan, summaries: ReadonlyMap<string, RunSummary>, opts: { live?: boolean; estimatorOrder?: readonly string[] } = {}): SweepSummary {
  const metrics = plan.spec.metrics;
  const choice = chooseEstimators(summaries.values(), opts.estimatorOrder ?? [...summaries.values()][0]?.layerOrder);
  const settings = plan.settings.map((s) =>
    summarizeSetting(
      s,
      plan.runs.filter((r) => r.setting === s.id).map((r) => r.id),
      summaries,
      metrics,
      choice,
      opts.live,
    ),
  );
  const finished = (id: string) => ['completed', 'diverged'].includes(summaries.get(id)?.status ?? '');
  return {
    sweep: plan.spec.name,
    id: plan.id,
    targetPerf: plan.spec.targetPerf,
    complete: plan.runs.every((r) => finished(r.id)),
    writtenAt: new Date().toISOString(),
    settings,
    layerEstimators: choice,
    comparisons: compareSettings(settings, summaries, metrics, choice),
    diverged: plan.runs.filter((r) => summaries.get(r.id)?.status === 'diverged').map((r) => r.id),
    missing: plan.runs.filter((r) => !summaries.has(r.id)).map((r) => r.id),
  };
}
