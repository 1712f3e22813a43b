/**
 * Per-neuron MI with the stimulus, I(S; h_i(t)), for every unit i and time step t: an [N, T] matrix
 * per estimator (arrays/step-<n>-neuron-<estimator>.npy), each neuron's peak time and peak MI
 * (arrays/step-<n>-neuron-<estimator>-peak.npy, [N, 2]: time step, nats), the span of time steps
 * whose MI is within two noise sds of the peak (...-peak-span.npy, [N, 2]: first, last; the noise is
 * the unit's MI spread over the fixation epoch, before any stimulus), and a summary record. With
 * continuous probe directions, the estimator 'direction' gives I(theta; h_i(t)) by Gaussian-copula
 * MI (estimators/directionColumn.ts).
 *
 * Significance (binning): the max-over-time label-permutation null of estimators/labelNull.ts;
 * p_i = (1 + #{max_perm >= peak_i}) / (1 + R), significant if p_i < alpha; the p-values and their
 * Benjamini-Hochberg adjusted q-values per neuron in ...-neuron-binning-pq.npy ([N, 2]).
 */
import { binnedLabelMI, labelInfo, mixedLabelMI } from '../estimators/labelColumn.js';
import { estimatorDefaults as D } from '../estimators/defaults.js';
import { maxOverTimeNull, neuronBinCodes, unitColumn } from '../estimators/labelNull.js';
import { benjaminiHochberg, bhAdjusted, maxStatisticThreshold } from '../estimators/multipleComparisons.js';
import { directionMI, directionTargets } from '../estimators/directionColumn.js';
import { median, quantile } from '../estimators/special.js';
import { binsOption, checkK, kOption } from './options.js';
import { HOOK, QUANTITY, neuronArrayName } from './records.js';
import type { ProbeArray, ProbeContext, ProbeHook, ProbeOutput, ProbeRecord } from './types.js';
import { z } from 'zod';

export const neuronOptionsSchema = z.strictObject({
  bins: binsOption(),
  k: kOption(),
  permutations: z.number().int().min(1).max(100_000).default(D.neuronPermutations).describe('label permutations of the max-over-time null (binning)'),
  alpha: z.number().gt(0).lt(1).default(D.alpha).describe('significance level of the null'),
});
type NeuronOptions = z.output<typeof neuronOptionsSchema>;

/** Peak time (first maximum) and peak value of each row of an [N, T] matrix. */
function peaks(mi: Float32Array, N: number, T: number): { time: Int32Array; value: Float32Array } {
  const time = new Int32Array(N);
  const value = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    let best = -Infinity;
    for (let t = 0; t < T; t++) {
      const v = mi[i * T + t];
      if (v > best) {
        best = v;
        time[i] = t;
      }
    }
    value[i] = best;
  }
  return { time, value };
}

export const neuronHook: ProbeHook = {
  name: HOOK.neuron,
  description: 'I(S; h_i(t)) for every neuron and time step, peaks, and how many neurons beat their permutation null',
  estimators: ['binning', 'mixed', 'direction'],
  defaultEstimators: ['binning', 'mixed', 'direction'],
  optionsSchema: neuronOptionsSchema,
  check: (o, size) => checkK((o as NeuronOptions).k, size),
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const o = options as NeuronOptions;
    const { T, B, N, hidden } = ctx.activity;
    const info = labelInfo(ctx.labels);
    const col = new Float64Array(B);
    const scratch = new Int32Array(info.m * o.bins);
    const records: ProbeRecord[] = [];
    const arrays: ProbeArray[] = [];
    let significant: Uint8Array | null = null;

    // the direction estimator needs continuous probe directions; without them it is skipped
    const targets = ctx.directions ? directionTargets(ctx.directions) : null;
    const work = new Float64Array(B);
    const fixation = fixationSteps(ctx, T);
    for (const est of estimators) {
      if (est === 'direction' && !targets) continue;
      const mi = new Float32Array(N * T);
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < N; i++) {
          unitColumn(hidden, B, N, t, i, col);
          mi[i * T + t] = est === 'binning' ? binnedLabelMI(col, info, o.bins, false, scratch) : est === 'mixed' ? mixedLabelMI(col, info, o.k) : directionMI(col, targets!, work);
        }
      }
      const pk = peaks(mi, N, T);
      arrays.push({ name: neuronArrayName(est, 'mi'), data: mi, shape: [N, T] });
      arrays.push({ name: neuronArrayName(est, 'span'), data: peakSpans(mi, N, T, pk, fixation), shape: [N, 2] });
      const peakArr = new Float32Array(2 * N);
      for (let i = 0; i < N; i++) {
        peakArr[2 * i] = pk.time[i];
        peakArr[2 * i + 1] = pk.value[i];
      }
      arrays.push({ name: neuronArrayName(est, 'peak'), data: peakArr, shape: [N, 2] });
      const params: ProbeRecord['params'] =
        est === 'binning' ? { bins: o.bins, strategy: 'equal-width', range: 'observed per neuron and step' } : est === 'mixed' ? { k: o.k } : { quantity: 'I(theta; h_i(t))', transform: 'normal scores of mid-ranks; theta as (cos, sin)', biasCorrection: '-1/n' };

      let nullMean = NaN;
      let nFdr = NaN;
      let nFwer = NaN;
      if (est === 'binning') {
        // bin codes once, then the permutation null of the max over time
        const codes = neuronBinCodes(hidden, T, B, N, o.bins);
        const nul = maxOverTimeNull(codes, ctx.labels, info.m, N, T, B, o.bins, o.permutations, ctx.seed);
        significant = new Uint8Array(N);
        const pValues = new Float64Array(N);
        let sum = 0;
        for (let i = 0; i < N; i++) {
          let above = 0;
          for (let r = 0; r < o.permutations; r++) {
            if (nul[r * N + i] >= pk.value[i]) above++;
            sum += nul[r * N + i];
          }
          pValues[i] = (1 + above) / (1 + o.permutations);
          if (pValues[i] < o.alpha) significant[i] = 1;
        }
        nullMean = sum / (N * o.permutations);
        const pq = new Float32Array(2 * N);
        const q = bhAdjusted(pValues);
        for (let i = 0; i < N; i++) {
          pq[2 * i] = pValues[i];
          pq[2 * i + 1] = q[i];
        }
        arrays.push({ name: neuronArrayName(est, 'pq'), data: pq, shape: [N, 2] });
        // across neurons: false discovery rate on the p-values, family-wise error by the max statistic
        nFdr = benjaminiHochberg(pValues, o.alpha).reduce((a, b) => a + b, 0);
        const threshold = maxStatisticThreshold(nul, o.permutations, N, o.alpha);
        nFwer = 0;
        for (let i = 0; i < N; i++) if (pk.value[i] > threshold) nFwer++;
      }
      // peak-time statistics over the neurons significant by the binning null (all neurons if none was computed)
      const times: number[] = [];
      for (let i = 0; i < N; i++) if (!significant || significant[i]) times.push(pk.time[i]);
      times.sort((a, b) => a - b);
      const nSig = significant ? significant.reduce((a, b) => a + b, 0) : NaN;
      records.push({
        step: ctx.step,
        hook: HOOK.neuron,
        estimator: est,
        quantity: est === 'direction' ? QUANTITY.directionSummary : QUANTITY.summary,
        value: nSig,
        params: {
          ...params,
          // the level the counts below use, and the null's mean MI (a count of neurons has no p-value of its own)
          ...(est === 'binning' ? { alpha: o.alpha, permutations: o.permutations, nullMean } : {}),
          neurons: N,
          timeSteps: T,
          significance: significant ? `max-over-time label-permutation null (binning), p < ${o.alpha} per neuron` : 'none',
          significantFdr: nFdr,
          significantFwer: nFwer,
          correction: significant ? `value: neurons with p < ${o.alpha} uncorrected; significantFdr: Benjamini-Hochberg at ${o.alpha} across neurons; significantFwer: max statistic over neurons and time at ${o.alpha}` : 'none',
          peakTimeMedian: times.length ? quantile(times, 0.5) : NaN,
          peakTimeIqr: times.length ? quantile(times, 0.75) - quantile(times, 0.25) : NaN,
          peakMiMedian: median(pk.value),
        },
      });
    }
    return { records, arrays };
  },
};

/** Time steps of the fixation epoch (no stimulus yet): where a unit's MI is estimator noise alone. */
function fixationSteps(ctx: ProbeContext, T: number): [number, number] {
  const fix = Object.entries(ctx.batch.epochs).filter(([name]) => name.startsWith('fix')).map(([, e]) => e);
  const first = fix.sort((a, b) => a[0] - b[0])[0];
  return first && first[1] - first[0] >= 3 ? [first[0], first[1]] : [0, Math.max(3, Math.floor(T / 10))];
}

/**
 * Per neuron, the first and last time step whose MI is within two noise sds of its peak, the noise
 * being the spread of its MI over the fixation epoch: how sure "neuron i peaks at t" is.
 */
function peakSpans(mi: Float32Array, N: number, T: number, pk: { value: Float32Array }, [a, b]: [number, number]): Float32Array {
  const out = new Float32Array(2 * N);
  for (let i = 0; i < N; i++) {
    let m = 0;
    for (let t = a; t < b; t++) m += mi[i * T + t] / (b - a);
    let v = 0;
    for (let t = a; t < b; t++) v += (mi[i * T + t] - m) ** 2 / Math.max(1, b - a - 1);
    const cut = pk.value[i] - 2 * Math.sqrt(v);
    let first = -1;
    let last = -1;
    for (let t = 0; t < T; t++) {
      if (mi[i * T + t] >= cut) {
        if (first < 0) first = t;
        last = t;
      }
    }
    out[2 * i] = first;
    out[2 * i + 1] = last;
  }
  return out;
}
