/**
 * What a probe hook returns, as data: the record schema (one line of probes.jsonl), the names of the
 * built-in hooks and of the quantities they measure, and the names of the arrays they write. Writers
 * (hooks, the engine) and readers (run folder, charts, reports) use these constants, never literals.
 */
import { z } from 'zod';
import { VERDICTS } from '../estimators/verdicts.js';

export { VERDICTS };

export const HOOK = { layer: 'layer', neuron: 'neuron', infoplane: 'infoplane' } as const;

export const QUANTITY = {
  /** Stimulus direction (its class on the probe grid) vs the hidden layer. */
  stimulusLayer: 'I(S;H)',
  /** The continuous stimulus direction theta vs the hidden layer (probe batches with continuous directions). */
  directionLayer: 'I(θ;H)',
  /** The input at t vs the hidden layer. */
  inputLayer: 'I(X;H)',
  /** The hidden layer vs the readout (or, in the information plane, the stimulus). */
  layerOutput: 'I(H;Y)',
  /** A per-hook summary record (the neuron hook's count of significant neurons). */
  summary: 'summary',
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
  value: z.number().nullable(),
  /** 95 % interval for the true MI (reliability protocol; one-sided for bounds: see `bound`). */
  ci95: z.tuple([z.number(), z.number()]).optional(),
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
  /** 'train' when recorded during training, 'posthoc' by `infoscope probe`. */
  origin: z.enum(['train', 'posthoc']).optional(),
});
export type ProbeRecord = z.output<typeof probeRecordSchema>;

/** Array stems of the neuron hook: the [N, T] MI matrix and the [N, 2] peak table of an estimator. */
export function neuronArrayName(estimator: string, part: 'mi' | 'peak'): string {
  return part === 'mi' ? `neuron-${estimator}` : `neuron-${estimator}-peak`;
}

export function parseNeuronArrayName(stem: string): { estimator: string; part: 'mi' | 'peak' } | null {
  const m = /^neuron-([a-z0-9-]+?)(-peak)?$/.exec(stem);
  return m ? { estimator: m[1], part: m[2] ? 'peak' : 'mi' } : null;
}
