/**
 * Information plane: (I(X; H), I(H; Y)) at each checkpoint, so the trajectory over training can be
 * drawn. Kolchinsky-Tracey bound on T = H + N(0, s2 I) at every time step of the probe batch,
 * averaged over the trial; Y is the stimulus direction (what the response must encode).
 */
import { kdeNoiseEntropy } from '../estimators/kde.js';
import { hiddenConditionalEntropy, hiddenEntropiesOnRows, hiddenEntropy, labelGroups } from './activity.js';
import { estRng } from '../estimators/random.js';
import { reliabilityProtocol } from '../estimators/reliability.js';
import { noiseVarOption } from './options.js';
import { HOOK, QUANTITY } from './records.js';
import type { ProbeContext, ProbeHook, ProbeOutput } from './types.js';
import { z } from 'zod';

export const infoplaneOptionsSchema = z.strictObject({ noiseVar: noiseVarOption() });
type InfoplaneOptions = z.output<typeof infoplaneOptionsSchema>;

export const infoplaneHook: ProbeHook = {
  name: HOOK.infoplane,
  description: '(I(X;H), I(H;Y)) per checkpoint, averaged over the trial',
  estimators: ['kde-upper', 'kde-lower'],
  defaultEstimators: ['kde-upper'],
  optionsSchema: infoplaneOptionsSchema,
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const { noiseVar } = options as InfoplaneOptions;
    const { T, N, B } = ctx.activity;
    const groups = labelGroups(ctx);
    const rng = estRng(`infoplane-protocol/${ctx.seed}/${ctx.step}`);
    const lnClasses = Math.log(groups.length);
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
      // the same two trial averages on parts of the trials, for the reliability ladder
      const onRows = (rows: Int32Array): [number, number] => {
        let x = 0;
        let y = 0;
        for (let t = 0; t < T; t++) {
          const [h, cond] = hiddenEntropiesOnRows(ctx, t, noiseVar, bound, groups, rows);
          x += h - kdeNoiseEntropy(N, noiseVar);
          y += h - cond;
        }
        return [x / T, y / T];
      };
      const protocol = (value: number, which: 0 | 1, b: 'lower' | 'upper' | null, ceiling: number) => {
        const r = reliabilityProtocol((rows) => onRows(rows)[which], B, { value, bound: b, ceiling, rng, strata: ctx.labels, minPart: 2 * groups.length });
        return { corrected: r.corrected, ...(r.ci95 ? { ci95: r.ci95 } : {}), ceiling: r.ceiling, bound: r.bound, reliability: r.reliability, reasons: r.reasons };
      };
      return [
        // I(X;T) of a deterministic layer is bounded by the KT bound used; I(T;S) is a difference of bounds
        { step: ctx.step, hook: HOOK.infoplane, estimator: est, quantity: QUANTITY.inputLayer, value: ix / T, ...protocol(ix / T, 0, bound, Math.log(B)), params },
        { step: ctx.step, hook: HOOK.infoplane, estimator: est, quantity: QUANTITY.layerOutput, value: iy / T, ...protocol(iy / T, 1, null, lnClasses), params },
      ];
    });
    return { records, arrays: [] };
  },
};
