/**
 * Timing of a task family: the zod builders its timing schema is made of, the conversion from ms
 * to steps, the draws a training batch makes, and the check that an override leaves every epoch
 * inside its trial. A family's timing function takes a Draw, so the same code serves a seeded
 * training batch and the extreme draws the check walks through.
 */
import { z, type ZodObject } from 'zod';
import type { Epoch, Rng, TaskLayout, TaskMode } from './types.js';

/** A U(lo, hi) or a choice among values, in ms: a Rng in training, the extremes when checking. */
export interface Draw {
  uniform(lo: number, hi: number): number;
  choice(xs: readonly number[]): number;
}

/** The seeded draws of a training batch (U(a, b) = a + (b - a) u, a choice = floor(u n)). */
export function rngDraw(rng: Rng): Draw {
  return {
    uniform: (lo, hi) => lo + (hi - lo) * rng.next(),
    choice: (xs) => xs[Math.min(xs.length - 1, Math.floor(rng.next() * xs.length))],
  };
}

/** A value of ms as whole steps, as the reference does: int(ms / dt). */
export const steps = (ms: number, dt: number): number => Math.floor(ms / dt);

export const rangeMs = (lo: number, hi: number, what: string) =>
  z
    .tuple([z.number().min(0), z.number().min(0)])
    .refine(([a, b]) => a <= b, { message: 'must be [low, high] with low <= high' })
    .default([lo, hi])
    .describe(`${what}: uniform in [low, high] ms (training)`);
export const choicesMs = (xs: number[], what: string) => z.array(z.number().min(0)).min(1).default(xs).describe(`${what}: one of these ms, drawn per batch (training)`);
export const fixedMs = (v: number, what: string) => z.number().min(0).default(v).describe(`${what}, ms`);

/** Keys every family shares (same defaults): the response period and the cost mask's two gaps. */
export const commonTimingShape = {
  responseMs: fixedMs(500, 'every trial ends this long after the go cue (training; test grids state their own ends)'),
  unscoredMs: fixedMs(100, 'the first part of a trial that is never scored'),
  graceMs: fixedMs(100, 'no cost this long after the go cue (time to respond)'),
};

const parsed = new WeakMap<object, WeakMap<ZodObject, unknown>>();

/** A family's timing in ms for a layout: its defaults with the config's overrides (parsed once per layout). */
export function timingOf<S extends ZodObject>(schema: S, layout: TaskLayout): z.output<S> {
  let bySchema = parsed.get(layout.timing);
  if (!bySchema) parsed.set(layout.timing, (bySchema = new WeakMap()));
  let t = bySchema.get(schema) as z.output<S> | undefined;
  if (!t) {
    const known = Object.fromEntries(Object.entries(layout.timing).filter(([k]) => k in schema.shape));
    t = schema.parse(known);
    bySchema.set(schema, t);
  }
  return t;
}

/** The draws at the two ends of every range and choice: what the timing check walks through. */
const EXTREME_DRAWS: readonly Draw[] = [
  { uniform: (lo) => lo, choice: (xs) => Math.min(...xs) },
  { uniform: (_lo, hi) => hi, choice: (xs) => Math.max(...xs) },
  { uniform: (lo) => lo, choice: (xs) => Math.max(...xs) },
  { uniform: (_lo, hi) => hi, choice: (xs) => Math.min(...xs) },
];

/** Where a timing breaks its trial: an epoch that ends before it starts or after the trial; null if none. */
function epochProblem(epochs: Record<string, Epoch>, T: number): string | null {
  if (!(T >= 1)) return `the trial has ${T} steps`;
  for (const [name, [a, b]] of Object.entries(epochs)) {
    if (b < a) return `epoch "${name}" ends (step ${b}) before it starts (step ${a})`;
    if (a < 0 || b > T) return `epoch "${name}" [${a}, ${b}) lies outside the trial of ${T} steps`;
  }
  return null;
}

/**
 * A task's first timing problem, named with the task and mode: its test-mode timing and every
 * extreme training draw, each as the epochs (stimuli included) and the trial length it gives.
 */
export function timingProblem(name: string, at: (mode: TaskMode, draw: Draw) => { epochs: Record<string, Epoch>; T: number }): string | null {
  for (const [mode, draw] of [['test', EXTREME_DRAWS[0]], ...EXTREME_DRAWS.map((d) => ['train', d] as const)] as const) {
    const { epochs, T } = at(mode, draw);
    const p = epochProblem(epochs, T);
    if (p) return `${name} (${mode}): ${p}`;
  }
  return null;
}
