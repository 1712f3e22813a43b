/**
 * What a probe hook returns, as data: the record schema (one line of probes.jsonl), the names of the
 * built-in hooks and of the quantities they measure, and the names of the arrays they write. Writers
 * (hooks, the engine) and readers (run folder, charts, reports) use these constants, never literals.
 */
import { z } from 'zod';
import { VERDICTS, type Verdict } from '../estimators/verdicts.js';

export { VERDICTS, type Verdict };

export const HOOK = { layer: 'layer', neuron: 'neuron', infoplane: 'infoplane', rule: 'rule', clusters: 'clusters' } as const;

export const QUANTITY = {
  /** Stimulus direction (its class on the probe grid) vs the hidden layer. */
  stimulusLayer: 'I(S;H)',
  /** The continuous stimulus direction theta vs the hidden layer (probe batches with continuous directions). */
  directionLayer: 'I(θ;H)',
  /** Which task the network is doing (the rule input) vs the hidden layer, over every task's probe batch. */
  ruleLayer: 'I(rule;H)',
  /** The clusters hook's summary per checkpoint (value: the best silhouette; params: k, active units, the control's). */
  clusters: 'clusters',
  /** The stimulus direction (class) vs the units of one cluster, per task. */
  stimulusCluster: 'I(S;H_c)',
  /** The choice (which of two stimuli the target follows, DM tasks) vs the units of one cluster. */
  choiceCluster: 'I(choice;H_c)',
  /** Which task vs the units of one cluster, over every task's probe batch. */
  ruleCluster: 'I(rule;H_c)',
  /** The input at t vs the hidden layer. */
  inputLayer: 'I(X;H)',
  /** The hidden layer vs the readout (or, in the information plane, the stimulus). */
  layerOutput: 'I(H;Y)',
  /** A per-hook summary record (the neuron hook's count of significant neurons). */
  summary: 'summary',
  /** The neuron hook's summary of I(theta; h_i(t)), the continuous direction per neuron. */
  directionSummary: 'summary I(θ;h)',
} as const;

const paramValue = z.union([z.number(), z.string(), z.boolean(), z.null()]);

/** One probe result. `value` is in nats; a non-finite value is written as null. */
export const probeRecordSchema = z.object({
  step: z.number().int(),
  hook: z.string(),
  estimator: z.string(),
  /** What was measured: one of QUANTITY for the built-in hooks. */
  quantity: z.string(),
  t: z.number().int().optional(),
  neuron: z.number().int().optional(),
  /** The cluster (clusters hook: its number in this checkpoint's clustering, ordered by preferred task). */
  cluster: z.number().int().optional(),
  value: z.number().nullable(),
  /**
   * 95 % interval for the true MI (reliability protocol; one-sided for bounds: see `bound`). An upper
   * end of null is no upper end: a lower bound of a continuous quantity, which no ceiling caps.
   */
  ci95: z.tuple([z.number(), z.number().nullable()]).optional(),
  /** The value extrapolated to infinite n by the sample-size ladder. */
  corrected: z.number().nullable().optional(),
  /** The most the estimate can be (ln #classes, ln n), or null. */
  ceiling: z.number().nullable().optional(),
  bound: z.enum(['lower', 'upper']).nullable().optional(),
  reliability: z.enum(VERDICTS).optional(),
  /** For a bound not told from zero: the smallest information it would detect at this n (nats). */
  detectable: z.number().optional(),
  /** Why the verdict is not 'ok'. */
  reasons: z.array(z.string()).optional(),
  null: z.object({ mean: z.number().nullable(), p: z.number(), permutations: z.number() }).optional(),
  /** Parameters that shaped the value (bins, noise variance, k, ...). */
  params: z.record(z.string(), paramValue),
  /** The task whose probe batch a record measures; absent for a run hook's record (all tasks at once) and in runs made before tasks were named. */
  task: z.string().optional(),
  /** 'train' when recorded during training, 'posthoc' by `infoscope probe`. */
  origin: z.enum(['train', 'posthoc']).optional(),
});
export type ProbeRecord = z.output<typeof probeRecordSchema>;

/**
 * Array stems of the clusters hook (docs/run-folder.md): task variance [N, tasks] and that of the
 * rotation control, cluster label per unit [N] (-1: inactive), silhouette per k [K, 3] (k, score,
 * the control's score), FTV histograms [pairs, 20] and the control's, lesion effects
 * [clusters + 1, tasks, 2] (perf, loss; row 0 intact).
 */
export const CLUSTER_ARRAYS = {
  taskVariance: 'task-variance',
  taskVarianceRotated: 'task-variance-rotated',
  labels: 'clusters',
  silhouette: 'silhouette',
  ftv: 'ftv',
  ftvRotated: 'ftv-rotated',
  lesions: 'lesions',
} as const;

/**
 * Array stems of the neuron hook: per estimator the [N, T] MI matrix, the [N, 2] peak table (time,
 * nats), the [N, 2] peak span (first and last time step near the peak), and for binning the [N, 2]
 * p- and q-values of its permutation null.
 */
type NeuronPart = 'mi' | 'peak' | 'span' | 'pq';
const SUFFIX: Record<NeuronPart, string> = { mi: '', peak: '-peak', span: '-peak-span', pq: '-pq' };

export function neuronArrayName(estimator: string, part: NeuronPart): string {
  return `neuron-${estimator}${SUFFIX[part]}`;
}

export function parseNeuronArrayName(stem: string): { estimator: string; part: NeuronPart } | null {
  const m = /^neuron-([a-z0-9]+(?:-[a-z0-9]+)*?)(-peak-span|-peak|-pq)?$/.exec(stem);
  if (!m) return null;
  const part = (Object.entries(SUFFIX) as Array<[NeuronPart, string]>).find(([, s]) => s === (m[2] ?? ''))?.[0] ?? 'mi';
  return { estimator: m[1], part };
}
