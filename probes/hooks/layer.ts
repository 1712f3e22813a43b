/**
 * Layer MI over time: at every time step t of the probe batch,
 *   I(S; H_t)    stimulus direction (labels) vs the hidden layer
 *   I(X_t; H_t)  the input at t vs the hidden layer
 *   I(H_t; Y_t)  the hidden layer vs the readout
 * Estimators: the cross-validated decoder bound (for I(S; H_t): the default that holds up on a
 * 256-unit layer, docs/estimators.md section 8), binning (bins per unit, equal width over the
 * observed range), the Kolchinsky-Tracey bounds on T = H + N(0, s2 I) (I(X;T) read as
 * H(T) - H(T|X) for a deterministic map, as in information-plane work), and mixed KSG. The last
 * three reproduce published analyses; in 256 dimensions they saturate or lose most of the
 * information, and their records say so. Every record carries the reliability protocol
 * (probes/estimators/reliability.ts): corrected value, interval, ceiling, bound, verdict.
 */
import { symbolMI, symbolsOf } from '../estimators/binning.js';
import { kdeEntropyFromDistances, kdeNoiseEntropy, pairwiseSqDist } from '../estimators/kde.js';
import { labelInfo, mixedLabelMIFromDistances, pairwiseMaxDist } from '../estimators/labelColumn.js';
import { estRng } from '../estimators/random.js';
import { type ReliabilityReport, isSaturated, reliabilityProtocol } from '../estimators/reliability.js';
import { type Samples, takeRows } from '../estimators/types.js';
import { type DecodedReport, decoded, reportRecord } from './decoded.js';
import { hiddenAt, hiddenConditionalEntropy, hiddenDistances, hiddenEntropiesOnRows, hiddenEntropy, inputAt, labelGroups, memo, outputAt } from './activity.js';
import { binsOption, checkK, kOption, noiseVarOption } from './options.js';
import { HOOK, QUANTITY as Q } from './records.js';
import type { ProbeContext, ProbeHook, ProbeOutput, ProbeRecord } from './types.js';
import { z } from 'zod';

export const layerOptionsSchema = z.strictObject({ bins: binsOption(), noiseVar: noiseVarOption(), k: kOption() });
type LayerOptions = z.output<typeof layerOptionsSchema>;

export const layerHook: ProbeHook = {
  name: HOOK.layer,
  description: 'I(S;H_t), I(X_t;H_t), I(H_t;Y_t) at every time step, each with its reliability',
  estimators: ['decoder', 'binning', 'kde-upper', 'kde-lower', 'mixed'],
  // binning and kde-lower on request: in a whole layer they sit at their ceilings or depend on the noise variance (docs/probes.md)
  defaultEstimators: ['decoder', 'kde-upper'],
  optionsSchema: layerOptionsSchema,
  check: (o, size) => checkK((o as LayerOptions).k, size),
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const o = options as LayerOptions;
    const { T, N, B } = ctx.activity;
    const records: ProbeRecord[] = [];
    const groups = labelGroups(ctx);
    const labelSymbols = symbolsOf(ctx.labels, 2, 'equal-width');
    const info = labelInfo(ctx.labels);
    const rng = estRng(`layer-protocol/${ctx.seed}/${ctx.step}`);
    const lnClasses = Math.log(info.counts.filter((c) => c > 0).length);
    const protocol = (value: number, f: ((rows: Int32Array) => number) | null, bound: ReliabilityReport['bound'], ceiling: number, preReasons: string[] = []): ReliabilityReport =>
      f
        ? reliabilityProtocol(f, B, { value, bound, ceiling, rng, strata: ctx.labels, minPart: 2 * info.m, preReasons })
        : { corrected: value, ci95: null, ceiling, saturated: isSaturated(value, ceiling), bound, reliability: isSaturated(value, ceiling) ? 'saturated' : 'biased', reasons: preReasons, ladder: [] };
    const rec = (estimator: string, quantity: string, t: number, value: number, params: ProbeRecord['params'], r: DecodedReport) =>
      records.push(reportRecord({ step: ctx.step, hook: HOOK.layer, estimator, quantity, t }, value, params, r));
    const decode = (x: Samples | Int32Array, y: Samples | Int32Array, extra: { circular?: boolean; xEntropy?: number }) => decoded(x, y, { seed: ctx.seed, sqDist: ctx.sqDist, ...extra });
    for (let t = 0; t < T; t++) {
      const h = hiddenAt(ctx, t);
      if (estimators.includes('decoder')) {
        // the estimator `infoscope estimate` runs, with its parameters, protocol and verdict
        rec('decoder', Q.stimulusLayer, t, ...decode(h, ctx.labels, {}));
        if (ctx.directions) rec('decoder', Q.directionLayer, t, ...decode(memo(ctx, 'directions', () => ({ n: B, d: 1, data: ctx.directions as Float64Array })), h, { circular: true, xEntropy: Math.log(2 * Math.PI) }));
      }
      if (estimators.includes('binning')) {
        const params = { bins: o.bins, strategy: 'equal-width', range: 'observed', correction: 'plugin' };
        const mi = (a: Samples | Int32Array, b: Samples | Int32Array) => {
          const sa = symbolsOf(a, o.bins, 'equal-width');
          const sb = symbolsOf(b, o.bins, 'equal-width');
          return symbolMI(sa.ids, sa.states, sb.ids, sb.states).plugin;
        };
        const pick = (v: Samples | Int32Array, rows: Int32Array) => (v instanceof Int32Array ? Int32Array.from(rows, (i) => v[i]) : takeRows(v, rows));
        const x = inputAt(ctx, t);
        const y = outputAt(ctx, t);
        const hs = symbolsOf(h, o.bins, 'equal-width');
        const lnB = Math.log(B);
        const few = [`binning ${N} units into ${o.bins}^${N} cells with ${B} samples: nearly every sample is its own cell`];
        const sh = symbolMI(labelSymbols.ids, labelSymbols.states, hs.ids, hs.states).plugin;
        rec('binning', Q.stimulusLayer, t, sh, params, protocol(sh, (rows) => mi(pick(ctx.labels, rows), pick(h, rows)), null, Math.min(lnB, lnClasses), few));
        const xh = mi(x, h);
        rec('binning', Q.inputLayer, t, xh, params, protocol(xh, (rows) => mi(pick(x, rows), pick(h, rows)), null, lnB, few));
        const hy = mi(h, y);
        rec('binning', Q.layerOutput, t, hy, params, protocol(hy, (rows) => mi(pick(h, rows), pick(y, rows)), null, lnB, few));
      }
      // the readout's distances once for both bounds (the same sums kdeEntropy would form per bound)
      let yDist: Float64Array | null = null;
      for (const bound of ['upper', 'lower'] as const) {
        const name = `kde-${bound}`;
        if (!estimators.includes(name)) continue;
        const params = { noiseVar: o.noiseVar, bound };
        const hT = hiddenEntropy(ctx, t, o.noiseVar, bound);
        const onRows = (rows: Int32Array) => hiddenEntropiesOnRows(ctx, t, o.noiseVar, bound, groups, rows);
        const sh = hT - hiddenConditionalEntropy(ctx, t, o.noiseVar, bound, groups);
        // I(T;S) is a difference of two bounds: an estimate, not a bound
        rec(name, Q.stimulusLayer, t, sh, params, protocol(sh, (rows) => {
          const [h, c] = onRows(rows);
          return h - c;
        }, null, lnClasses));
        const noiseH = kdeNoiseEntropy(N, o.noiseVar);
        const xh = hT - noiseH;
        rec(name, Q.inputLayer, t, xh, params, protocol(xh, (rows) => kdeEntropyFromDistances(hiddenDistances(ctx, t), B, N, o.noiseVar, bound, Array.from(rows)) - noiseH, bound, Math.log(B)));
        const y = outputAt(ctx, t);
        yDist ??= pairwiseSqDist(y);
        const hy = kdeEntropyFromDistances(yDist, y.n, y.d, o.noiseVar, bound) - kdeNoiseEntropy(y.d, o.noiseVar);
        rec(name, Q.layerOutput, t, hy, params, protocol(hy, null, bound, Math.log(B), ['no sample-size ladder for the readout bound']));
      }
      if (estimators.includes('mixed')) {
        const dist = pairwiseMaxDist(h.data, h.n, h.d);
        const v = mixedLabelMIFromDistances(dist, h.n, info, o.k);
        rec('mixed', Q.stimulusLayer, t, v, { k: o.k, metric: 'max-norm' }, protocol(v, null, null, lnClasses, [`k-NN estimation in ${N} dimensions is strongly biased toward 0 (curse of dimensionality); use the decoder bound for a layer`]));
      }
    }
    return { records, arrays: [] };
  },
};
