/**
 * The echo-state reservoir's options (the config's `reservoir` section) with their defaults, chosen
 * on the Go family (see the README): leak 0.3 and ridge 1e-4, not ReservoirPy's leak 1 and ridge 0,
 * which with noisy inputs give a readout that fits noise and a reservoir with no memory of a
 * 1-second delay. This schema is the only place these defaults live.
 */
import { z } from 'zod';

export const reservoirOptionsSchema = z.strictObject({
  hidden: z.number().int().min(1).max(4096).default(256).describe('reservoir units'),
  leak: z.number().gt(0).max(1).default(0.3).describe('leak rate a'),
  spectralRadius: z.number().positive().max(10).default(0.9).describe('spectral radius of W'),
  inputScale: z.number().positive().default(1).describe('W_in uniform in [-s, s]'),
  biasScale: z.number().min(0).default(0.2).describe('bias uniform in [-s, s]'),
  density: z.number().gt(0).max(1).default(0.1).describe('fraction of non-zero entries of W'),
  ridge: z.number().min(0).default(1e-4).describe('ridge penalty of the readout'),
  washout: z.number().int().min(0).default(0).describe('time steps at the start of a trial left out of the regression'),
  search: z.boolean().default(false).describe('seeded search over ridge, spectral radius, leak and input scale before training (search.json)'),
});

export type ReservoirOptions = z.output<typeof reservoirOptionsSchema>;
