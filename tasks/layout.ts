/**
 * The run's stimulus layout and time grid: the config's `stimulus` section, its defaults, and the
 * TaskLayout every task of the run samples with. The defaults are the reference's (Yang et al. 2019;
 * docs/yang-tasks.md): the time grid of src/core/timeGrid.ts, input noise sigma_x = 0.01 scaled by
 * sqrt(2 tau / dt), two 32-unit input rings, 20 rule slots.
 */
import { z } from 'zod';
import { REFERENCE_TIME } from '../src/core/timeGrid.js';
import type { TaskLayout } from './types.js';

export const stimulusSchema = z
  .strictObject({
    dt: z.number().positive().max(1000).default(REFERENCE_TIME.dt).describe('time step of the trial grid, ms'),
    tau: z.number().positive().default(REFERENCE_TIME.tau).describe('time constant of the run, ms: alpha = dt / tau is the leaky RNN\'s leak and scales the input noise (per-step sd = sigmaX * sqrt(2 tau / dt))'),
    sigmaX: z.number().min(0).default(0.01).describe('input noise sigma_x'),
    nRules: z.number().int().min(6).max(64).default(20).describe('rule input slots (20 in the reference rule set)'),
  })
  .refine((s) => s.dt < s.tau, { message: 'dt must be smaller than tau', path: ['dt'] });

type StimulusOptions = z.output<typeof stimulusSchema>;

const RING_SIZE = 32;
const N_RINGS = 2;

export function layoutFromOptions(o: StimulusOptions, timing: TaskLayout['timing'] = {}): TaskLayout {
  const alpha = o.dt / o.tau;
  return { ringSize: RING_SIZE, nRings: N_RINGS, nRules: o.nRules, dt: o.dt, tau: o.tau, inputNoiseSd: o.sigmaX * Math.sqrt(2 / alpha), timing };
}

/** The reference layout (every default), for tests and scripts. */
export const defaultLayout: TaskLayout = layoutFromOptions(stimulusSchema.parse({}));

export function inputSize(layout: TaskLayout): number {
  return 1 + layout.nRings * layout.ringSize + layout.nRules;
}

export function outputSize(layout: TaskLayout): number {
  return 1 + layout.ringSize;
}
