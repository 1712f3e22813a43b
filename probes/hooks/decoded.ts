/** The decoder bound as a probe record's parts: what `infoscope estimate --estimator decoder` gives, with its verdict. */
import { estimate } from '../estimators/estimate.js';
import type { ReliabilityReport } from '../estimators/reliability.js';
import { EstimatorInputError, type Samples } from '../estimators/types.js';
import type { ProbeRecord } from './types.js';

export type DecodedReport = ReliabilityReport & { detectable?: number };

/**
 * The decoder on one (x, y) pair: value, parameters and protocol. Input the decoder refuses (too few
 * trials per class for its folds) gives NaN with verdict 'unstable' and the refusal as the reason.
 */
export function decoded(x: Samples | Int32Array, y: Samples | Int32Array, o: { seed: number; sqDist?: (s: Samples) => Float64Array; circular?: boolean; xEntropy?: number }): [number, ProbeRecord['params'], DecodedReport] {
  try {
    const e = estimate(x, y, { estimator: 'decoder', ...o });
    const r = { corrected: e.corrected ?? e.value, ci95: e.ci95 ?? null, ceiling: e.ceiling ?? null, saturated: e.saturated ?? false, bound: e.bound ?? 'lower', reliability: e.reliability ?? 'unstable', reasons: e.reasons ?? [], ladder: e.ladder ?? [], ...(e.detectable !== undefined ? { detectable: e.detectable } : {}) };
    return [e.value, e.params, r];
  } catch (err) {
    if (!(err instanceof EstimatorInputError)) throw err;
    return [NaN, {}, { corrected: NaN, ci95: null, ceiling: null, saturated: false, bound: 'lower', reliability: 'unstable', reasons: [err.message], ladder: [] }];
  }
}

/** A probe record from a report (the fields every hook writes the same way). */
export function reportRecord(base: Pick<ProbeRecord, 'step' | 'hook' | 'estimator' | 'quantity' | 't'>, value: number, params: ProbeRecord['params'], r: DecodedReport): ProbeRecord {
  return {
    ...base,
    value,
    corrected: r.corrected,
    ...(r.ci95 ? { ci95: r.ci95 } : {}),
    ceiling: r.ceiling,
    bound: r.bound,
    reliability: r.reliability,
    reasons: r.reasons,
    ...(r.detectable !== undefined ? { detectable: r.detectable } : {}),
    params,
  };
}
