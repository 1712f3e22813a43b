/**
 * What an import must satisfy before anything is written, each failure one sentence naming the array
 * and what is wrong (docs/import.md).
 */
import type { Config } from '../config/schema.js';
import { UserError } from '../core/errors.js';
import { inputSize, outputSize } from '../../tasks/layout.js';
import { layoutFor } from '../engine/setup.js';
import type { ActivityImport, WeightsImport } from './types.js';

/** The fewest recorded trials the probes work with (the config's probe batch minimum). */
const MIN_TRIALS = 16;
/** The most stimulus classes a probe batch has. */
const MAX_CLASSES = 64;

function refuse(msg: string): never {
  throw new UserError(`import: ${msg}`);
}

function firstBad(a: ArrayLike<number>): number {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return i;
  return -1;
}

/** "[t, trial, unit] = [3, 7, 12]" for flat index i of a [T, B, W] array. */
function where(i: number, B: number, W: number): string {
  return `[time, trial, unit] = [${Math.floor(i / (B * W))}, ${Math.floor(i / W) % B}, ${i % W}]`;
}

function steps(list: Array<{ step: number }>, what: string): void {
  list.forEach((c, i) => {
    if (!Number.isInteger(c.step) || c.step < 0) refuse(`${what}: checkpoint step ${c.step} is not a non-negative integer`);
    if (i > 0 && c.step <= list[i - 1].step) refuse(`${what}: checkpoint steps must increase (${list[i - 1].step} then ${c.step})`);
  });
}

export function checkActivity(a: ActivityImport): void {
  const { T, B, N } = a;
  if (a.hidden.length === 0) refuse('hidden: no checkpoint of activity');
  // the stimulus counts first: a mismatch there usually means swapped axes, the more useful sentence
  if (a.labels && a.labels.length !== B) refuse(`labels: ${a.labels.length} entries but hidden has ${B} trials: check the axis order of hidden`);
  if (a.directions && a.directions.length !== B) refuse(`directions: ${a.directions.length} entries but hidden has ${B} trials: check the axis order of hidden`);
  if (B < MIN_TRIALS) refuse(`hidden: ${B} trials; the probes need at least ${MIN_TRIALS}`);
  steps(a.hidden, 'hidden');
  for (const h of a.hidden) {
    if (h.data.length !== T * B * N) refuse(`hidden at step ${h.step}: ${h.data.length} values, [time, trial, unit] = [${T}, ${B}, ${N}] needs ${T * B * N}`);
    const bad = firstBad(h.data);
    if (bad >= 0) refuse(`hidden at step ${h.step}: ${h.data[bad]} at ${where(bad, B, N)}; activity must be finite`);
  }
  if (a.outputs) {
    if (a.outputs.length !== a.hidden.length || a.outputs.some((o, i) => o.step !== a.hidden[i].step)) refuse('outputs: give them at the same checkpoints as hidden');
    for (const o of a.outputs) {
      if (o.data.length !== T * B * (a.nOut ?? 0)) refuse(`outputs at step ${o.step}: ${o.data.length} values, [${T}, ${B}, ${a.nOut}] needs ${T * B * (a.nOut ?? 0)}: check the axis order`);
      const bad = firstBad(o.data);
      if (bad >= 0) refuse(`outputs at step ${o.step}: ${o.data[bad]} at ${where(bad, B, a.nOut ?? 1)}; outputs must be finite`);
    }
  }
  if (a.inputs) {
    if (a.inputs.length !== T * B * (a.nIn ?? 0)) refuse(`inputs: ${a.inputs.length} values, [${T}, ${B}, ${a.nIn}] needs ${T * B * (a.nIn ?? 0)}: check the axis order`);
    const bad = firstBad(a.inputs);
    if (bad >= 0) refuse(`inputs: ${a.inputs[bad]} at ${where(bad, B, a.nIn ?? 1)}; inputs must be finite`);
  }
  if (!a.labels && !a.directions) refuse('give the trials\' stimulus: labels (classes) or directions (radians); the probes measure information about it');
  if (a.labels) {
    const bad = a.labels.findIndex((l) => !Number.isInteger(l) || l < 0);
    if (bad >= 0) refuse(`labels: entry ${bad} is ${a.labels[bad]}; labels are classes 0, 1, 2, ...`);
    const classes = new Set(a.labels).size;
    if (classes < 2) refuse('labels: a single class carries no information');
    if (classes > MAX_CLASSES) refuse(`labels: ${classes} classes; the probes take at most ${MAX_CLASSES} (give continuous directions for a continuous stimulus)`);
  }
  if (a.directions) {
    const bad = firstBad(a.directions);
    if (bad >= 0) refuse(`directions: entry ${bad} is ${a.directions[bad]}; directions must be finite angles in radians`);
  }
  for (const [name, [s, e]] of Object.entries(a.epochs ?? {})) {
    if (!(Number.isInteger(s) && Number.isInteger(e) && 0 <= s && s <= e && e <= T)) refuse(`epoch "${name}" [${s}, ${e}) is not within the ${T} recorded steps`);
  }
}

export function checkWeights(w: WeightsImport, config: Config): void {
  const layout = layoutFor(config);
  const [nIn, nOut] = [inputSize(layout), outputSize(layout)];
  if (w.nIn !== nIn) refuse(`W_in has ${w.nIn} inputs; infoscope's tasks give ${nIn} (fixation, two rings of ${layout.ringSize}, ${layout.nRules} rule slots): import activity instead for other inputs`);
  if (w.nOut !== nOut) refuse(`W_out has ${w.nOut} outputs; infoscope's tasks read ${nOut} (fixation and a ring of ${layout.ringSize})`);
  if (!(w.alpha > 0 && w.alpha < 1)) refuse(`alpha = ${w.alpha}; a leaky RNN's alpha = dt / tau lies in (0, 1)`);
  if (w.checkpoints.length === 0) refuse('weights: no checkpoint');
  steps(w.checkpoints, 'weights');
  const N = w.N;
  const want = { wIn: nIn * N, wRec: N * N, b: N, wOut: N * nOut, bOut: nOut };
  for (const c of w.checkpoints) {
    for (const [k, n] of Object.entries(want) as Array<[keyof typeof want, number]>) {
      const arr = c[k];
      if (arr.length !== n) refuse(`${k} at step ${c.step}: ${arr.length} values, ${n} expected for ${N} units`);
      const bad = firstBad(arr);
      if (bad >= 0) refuse(`${k} at step ${c.step}: entry ${bad} is ${arr[bad]}; weights must be finite`);
    }
  }
}
