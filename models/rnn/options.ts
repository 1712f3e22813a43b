/**
 * The leaky RNN's options (the config's `rnn` section) with their defaults: the reference network
 * of Yang et al. 2019 (docs/yang-tasks.md). This schema is the only place these defaults live. The
 * time constant is the run's (`stimulus.tau`): one tau sets the leak and the input noise.
 */
import { z } from 'zod';
import { activations } from './activations.js';

export const rnnOptionsSchema = z.strictObject({
  hidden: z.number().int().min(1).max(4096).default(256).describe('recurrent units'),
  activation: z.enum(activations).default('softplus').describe('rate nonlinearity'),
  recInit: z.enum(['diag', 'randortho']).default('diag').describe('W_rec init: 0.5 I (paper) or 0.5 x random orthogonal (reference code)'),
  sigmaRec: z.number().min(0).default(0.05).describe('recurrent noise sigma_rec'),
  lr: z.number().positive().max(10).default(0.001).describe('Adam learning rate'),
  gradClip: z.number().min(0).default(1).describe('element-wise gradient clip; 0 disables'),
  l1Rate: z.number().min(0).default(0).describe('L1 penalty on rates'),
  l2Rate: z.number().min(0).default(0).describe('L2 penalty on rates'),
  l1Weight: z.number().min(0).default(0).describe('L1 penalty on weights'),
  l2Weight: z.number().min(0).default(0).describe('L2 penalty on weights'),
});

export type RnnOptions = z.output<typeof rnnOptionsSchema>;
