/**
 * Layer MI over time: at every time step t of the probe batch,
 *   I(S; H_t)    stimulus direction (labels) vs the hidden layer
 *   I(X_t; H_t)  the input at t vs the hidden layer
 *   I(H_t; Y_t)  the hidden layer vs the readout
 * Estimators: binning (bins per unit, equal width over the observed range), the Kolchinsky-Tracey
 * bounds on T = H + N(0, s2 I) (I(X;T) read as H(T) - H(T|X) for a deterministic map, as in
 * information-plane work), and mixed KSG (for I(S; H_t), the labelled quantity it is made for).
 */
import { symbolMI, symbolsOf } from '../estimators/binning.js';
import { kdeEntropy, kdeNoiseEntropy } from '../estimators/kde.js';
import { labelInfo, mixedLabelMIFromDistances, pairwiseMaxDist } from '../estimators/labelColumn.js';
import { hiddenAt, hiddenConditionalEntropy, hiddenEntropy, inputAt, labelGroups, outputAt } from './activity.js';
import { binsOption, checkK, kOption, noiseVarOption } from './options.js';
import { HOOK, QUANTITY as Q } from './records.js';
import type { ProbeContext, ProbeHook, ProbeOutput, ProbeRecord } from './types.js';
import { z } from 'zod';

export const layerOptionsSchema = z.strictObject({ bins: binsOption(), noiseVar: noiseVarOption(), k: kOption() });
export type LayerOptions = z.output<typeof layerOptionsSchema>;

export const layerHook: ProbeHook = {
  name: HOOK.layer,
  description: 'I(S;H_t), I(X_t;H_t), I(H_t;Y_t) at every time step',
  estimators: ['binning', 'kde-upper', 'kde-lower', 'mixed'],
  defaultEstimators: ['binning', 'kde-upper', 'kde-lower', 'mixed'],
  optionsSchema: layerOptionsSchema,
  check: (o, size) => checkK((o as LayerOptions).k, size),
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const o = options as LayerOptions;
    const { T, N } = ctx.activity;
    const records: ProbeRecord[] = [];
    const groups = labelGroups(ctx);
    const labelSymbols = symbolsOf(ctx.labels, 2, 'equal-width');
    const info = labelInfo(ctx.labels);
    const rec = (estimator: string, quantity: string, t: number, value: number, params: ProbeRecord['params']) =>
      records.push({ step: ctx.step, hook: HOOK.layer, estimator, quantity, t, value, params });
    for (let t = 0; t < T; t++) {
      const h = hiddenAt(ctx, t);
      if (estimators.includes('binning')) {
        const params = { bins: o.bins, strategy: 'equal-width', range: 'observed', correction: 'plugin' };
        const hs = symbolsOf(h, o.bins, 'equal-width');
        rec('binning', Q.stimulusLayer, t, symbolMI(labelSymbols.ids, labelSymbols.states, hs.ids, hs.states).plugin, params);
        const xs = symbolsOf(inputAt(ctx, t), o.bins, 'equal-width');
        rec('binning', Q.inputLayer, t, symbolMI(xs.ids, xs.states, hs.ids, hs.states).plugin, params);
        const ys = symbolsOf(outputAt(ctx, t), o.bins, 'equal-width');
        rec('binning', Q.layerOutput, t, symbolMI(hs.ids, hs.states, ys.ids, ys.states).plugin, params);
      }
      for (const bound of ['upper', 'lower'] as const) {
        const name = `kde-${bound}`;
        if (!estimators.includes(name)) continue;
        const params = { noiseVar: o.noiseVar, bound };
        const hT = hiddenEntropy(ctx, t, o.noiseVar, bound);
        rec(name, Q.stimulusLayer, t, hT - hiddenConditionalEntropy(ctx, t, o.noiseVar, bound, groups), params);
        rec(name, Q.inputLayer, t, hT - kdeNoiseEntropy(N, o.noiseVar), params);
        const y = outputAt(ctx, t);
        rec(name, Q.layerOutput, t, kdeEntropy(y, o.noiseVar, bound) - kdeNoiseEntropy(y.d, o.noiseVar), params);
      }
      if (estimators.includes('mixed')) {
        const dist = pairwiseMaxDist(h.data, h.n, h.d);
        rec('mixed', Q.stimulusLayer, t, mixedLabelMIFromDistances(dist, h.n, info, o.k), { k: o.k, metric: 'max-norm' });
      }
    }
    return { records, arrays: [] };
  },
};
