/**
 * What a sweep keeps of one finished run: scalar summaries (final perf, steps and wall time to the
 * target perf, I(H;Y) at the end of the response epoch, peak-time statistics) and the curves that
 * get banded across seeds. Read from the run folder only, so it works on runs still training too.
 * MI values are in bits.
 */
import { z } from 'zod';
import { HOOK, QUANTITY } from '../runfolder/schema.js';
import { type RunData, loadRun } from '../runfolder/loadRun.js';
import { type Verdict, runStatusSchema } from '../runfolder/schema.js';
import { displayStatus, lastEvaluated } from '../runfolder/runFolder.js';
import { BITS_PER_NAT as BITS } from '../core/units.js';

/** Final loss: the mean training loss over this many last steps (one step's loss is noisy). */
const FINAL_LOSS_STEPS = 20;

const point = z.tuple([z.number(), z.number()]);

/** How much a verdict counts against an estimator when choosing which one a summary reads. */
/** How much each verdict counts against an estimator when a sweep picks one per quantity (a floor is better than a biased number, worse than an ok one). */
const VERDICT_COST: Record<Verdict, number> = { ok: 0, 'lower-only': 0.5, biased: 1, unstable: 3, saturated: 4 };

const runSummarySchema = z.object({
  id: z.string(),
  seed: z.number().int(),
  model: z.string(),
  status: runStatusSchema.or(z.literal('damaged')),
  step: z.number().int(),
  final_perf: z.number().nullable(),
  final_loss: z.number().nullable(),
  /** First evaluated step with perf >= target; null if never reached. */
  steps_to_target: z.number().nullable(),
  wall_to_target_s: z.number().nullable(),
  wall_s: z.number(),
  train_s: z.number(),
  /** I(H;Y) at the last time step of the response epoch, last checkpoint, per estimator (with its verdict and bound). */
  mi_response_end: z.record(
    z.string(),
    z.object({ value: z.number().nullable(), ci95: z.tuple([z.number(), z.number().nullable()]).nullable(), reliability: z.string().nullable(), bound: z.enum(['lower', 'upper']).nullable(), t: z.number().int(), step: z.number().int() }),
  ),
  /** Median peak time (time steps) of the neurons significant under the neuron hook's null, last checkpoint. */
  peak_time_median: z.number().nullable(),
  /** Mean over neurons of each neuron's peak I(S; h_i(t)), bits. */
  peak_mi_mean: z.number().nullable(),
  /** Share of all neurons whose peak falls at each time step (length T), last checkpoint. */
  peak_time_hist: z.array(z.number()).nullable(),
  /** Clusters hook, last checkpoint it ran: how many clusters, the best silhouette, the rotation control's. */
  n_clusters: z.number().nullable(),
  silhouette: z.number().nullable(),
  silhouette_control: z.number().nullable(),
  /** Share of the units counted in FTV whose |FTV| >= 0.8 (the two outer bins on each side), averaged over the pairs: specialisation. */
  ftv_extreme_share: z.number().nullable(),
  curves: z.object({
    perf: z.array(point),
    loss: z.array(point),
  }),
  /** The layer hook's order of estimators (ties in the sweep's choice of estimator follow it). */
  layerOrder: z.array(z.string()),
  /** Layer MI at the last checkpoint: quantity -> estimator -> [t, bits] and the summed verdict cost. */
  layer: z.record(z.string(), z.record(z.string(), z.object({ curve: z.array(point), cost: z.number() }))),
});
export type RunSummary = z.infer<typeof runSummarySchema>;

function finite(v: number | null | undefined): number | null {
  return v !== null && v !== undefined && Number.isFinite(v) ? v : null;
}

/** The loss curve, thinned to the mean loss per evaluation interval. */
function lossCurve(r: RunData): Array<[number, number]> {
  const every = Math.max(1, r.config.evalEvery);
  const out: Array<[number, number]> = [];
  let sum = 0;
  let n = 0;
  for (const m of r.metrics) {
    if (m.loss !== null && Number.isFinite(m.loss)) {
      sum += m.loss;
      n++;
    }
    if (m.step % every === 0 && n > 0) {
      out.push([m.step, sum / n]);
      sum = 0;
      n = 0;
    }
  }
  if (n > 0) out.push([r.metrics[r.metrics.length - 1].step, sum / n]);
  return out;
}

/** FTV bins with |FTV| >= 0.8 of the 20 on [-1, 1]: the two outermost on each side. */
const EXTREME_BINS = [0, 1, 18, 19];

function clusterSummary(r: RunData): Pick<RunSummary, 'n_clusters' | 'silhouette' | 'silhouette_control' | 'ftv_extreme_share'> {
  const recs = r.probes.filter((p) => p.hook === HOOK.clusters && p.quantity === QUANTITY.clusters);
  const last = recs.sort((a, b) => a.step - b.step).pop();
  let extreme: number | null = null;
  const ftv = r.clusters?.last.ftv;
  if (ftv && ftv.length >= 20) {
    const shares: number[] = [];
    for (let p = 0; p < ftv.length / 20; p++) {
      const h = ftv.subarray(20 * p, 20 * p + 20);
      const total = h.reduce((a, b) => a + b, 0);
      if (total > 0) shares.push(EXTREME_BINS.reduce((a, b) => a + h[b], 0) / total);
    }
    if (shares.length) extreme = shares.reduce((a, b) => a + b, 0) / shares.length;
  }
  return {
    n_clusters: last ? finite(last.params.k as number) : null,
    silhouette: last ? finite(last.value) : null,
    silhouette_control: last ? finite(last.params.silhouetteControl as number) : null,
    ftv_extreme_share: extreme,
  };
}

function summarizeRunData(r: RunData, id: string, targetPerf: number): RunSummary {
  const evals = r.metrics.filter((m) => m.perf !== undefined);
  const last = lastEvaluated(r.metrics);
  const hit = evals.find((m) => (m.perf as number) >= targetPerf);
  const losses = r.metrics.map((m) => m.loss).filter((l): l is number => l !== null && Number.isFinite(l));
  const tail = losses.slice(-FINAL_LOSS_STEPS);

  const lastLayerStep = r.probes.reduce((m, q) => (q.hook === HOOK.layer ? Math.max(m, q.step) : m), -1);
  const layerRecords = r.probes.filter((p) => p.hook === HOOK.layer && p.step === lastLayerStep);
  // every estimator's curve per quantity, with how much the reliability protocol distrusts it; the
  // sweep picks one estimator per quantity for all its runs (aggregate.ts), so bands compare alike
  const layer: RunSummary['layer'] = {};
  for (const p of layerRecords) {
    if (p.t === undefined) continue;
    const e = ((layer[p.quantity] ??= {})[p.estimator] ??= { curve: [], cost: 0 });
    e.cost += VERDICT_COST[p.reliability ?? 'unstable'];
    if (p.value !== null) e.curve.push([p.t, p.value * BITS]);
  }
  for (const q of Object.values(layer)) for (const e of Object.values(q)) e.curve.sort((x, y) => x[0] - y[0]);

  const miEnd: RunSummary['mi_response_end'] = {};
  if (r.probeBatch) {
    // the response epoch is the last one (go1 in the Go family); its last probed time step
    const respEnd = Object.values(r.probeBatch.epochs).reduce((m, [, b]) => Math.max(m, b), -Infinity);
    for (const est of Object.keys(layer[QUANTITY.layerOutput] ?? {})) {
      const cands = layerRecords.filter((p) => p.estimator === est && p.quantity === QUANTITY.layerOutput && p.t !== undefined && p.t < respEnd);
      const rec = cands.sort((x, y) => (y.t as number) - (x.t as number))[0];
      if (!rec) continue;
      miEnd[est] = {
        value: rec.value === null ? null : rec.value * BITS,
        ci95: rec.ci95 ? [rec.ci95[0] * BITS, rec.ci95[1] === null ? null : rec.ci95[1] * BITS] : null,
        reliability: rec.reliability ?? null,
        bound: rec.bound ?? null,
        t: rec.t as number,
        step: rec.step,
      };
    }
  }

  const neuronSummaries = r.probes.filter((p) => p.hook === HOOK.neuron && p.quantity === QUANTITY.summary);
  const lastNeuronStep = neuronSummaries.reduce((m, p) => Math.max(m, p.step), -1);
  const atLast = neuronSummaries.filter((p) => p.step === lastNeuronStep);
  const summaryRec = atLast.find((p) => p.estimator === 'binning') ?? atLast[0];
  const matrix = r.neurons.find((m) => m.estimator === summaryRec?.estimator) ?? r.neurons[0];
  let peakMiMean: number | null = null;
  let hist: number[] | null = null;
  if (matrix?.peaks) {
    hist = new Array<number>(matrix.T).fill(0);
    let s = 0;
    for (let i = 0; i < matrix.N; i++) {
      const t = Math.round(matrix.peaks[2 * i]);
      if (t >= 0 && t < matrix.T) hist[t] += 1 / matrix.N;
      s += matrix.peaks[2 * i + 1];
    }
    peakMiMean = (s / matrix.N) * BITS;
  }

  const clusters = clusterSummary(r);
  return {
    id,
    seed: r.config.seed,
    model: r.config.model,
    status: displayStatus(r.paths, r.meta),
    step: r.meta.step,
    final_perf: finite(last?.perf),
    final_loss: tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : null,
    steps_to_target: hit ? hit.step : null,
    wall_to_target_s: hit ? hit.wall_s : null,
    wall_s: r.meta.wallSeconds,
    train_s: r.meta.timing.train_s,
    mi_response_end: miEnd,
    peak_time_median: finite(summaryRec?.params.peakTimeMedian as number | undefined),
    peak_mi_mean: peakMiMean,
    peak_time_hist: hist,
    ...clusters,
    curves: { perf: evals.map((m) => [m.step, m.perf as number]), loss: lossCurve(r) },
    layerOrder: r.config.probes.find((p) => p.hook === HOOK.layer)?.estimators ?? [],
    layer,
  };
}

export function summarizeRun(dir: string, id: string, targetPerf: number): RunSummary {
  return summarizeRunData(loadRun(dir), id, targetPerf);
}
