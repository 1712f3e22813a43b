/**
 * Information plane: (I(X; H), I(H; Y)) at each checkpoint, so the trajectory over training can be
 * drawn. Kolchinsky-Tracey bound on T = H + N(0, s2 I) at every time step of the probe batch,
 * averaged over the trial; Y is the stimulus direction (what the response must encode).
 */
import { kdeNoiseEntropy } from '../estimators/kde.js';
import { hiddenConditionalEntropy, hiddenEntropy, labelGroups } from './activity.js';
import { noiseVarOption } from './options.js';
import { HOOK, QUANTITY } from './records.js';
import type { ProbeContext, ProbeHook, ProbeOutput } from './types.js';
import { z } from 'zod';

export const infoplaneOptionsSchema = z.strictObject({ noiseVar: noiseVarOption() });
export type InfoplaneOptions = z.output<typeof infoplaneOptionsSchema>;

export const infoplaneHook: ProbeHook = {
  name: HOOK.infoplane,
  description: '(I(X;H), I(H;Y)) per checkpoint, averaged over the trial',
  estimators: ['kde-upper', 'kde-lower'],
  defaultEstimators: ['kde-upper'],
  optionsSchema: infoplaneOptionsSchema,
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const { noiseVar } = options as InfoplaneOptions;
    const { T, N } = ctx.activity;
    const groups = labelGroups(ctx);
    const records = estimators.flatMap((est) => {
      const bound = est === 'kde-lower' ? 'lower' : 'upper';
      let ix = 0;
      let iy = 0;
      for (let t = 0; t < T; t++) {
        const hT = hiddenEntropy(ctx, t, noiseVar, bound);
        ix += hT - kdeNoiseEntropy(N, noiseVar);
        iy += hT - hiddenConditionalEntropy(ctx, t, noiseVar, bound, groups);
      }
      const params = { noiseVar, bound, summary: 'mean over the time steps of the probe trial', Y: 'stimulus direction' };
      return [
        { step: ctx.step, hook: HOOK.infoplane, estimator: est, quantity: QUANTITY.inputLayer, value: ix / T, params },
        { step: ctx.step, hook: HOOK.infoplane, estimator: est, quantity: QUANTITY.layerOutput, value: iy / T, params },
      ];
    });
    return { records, arrays: [] };
  },
};
