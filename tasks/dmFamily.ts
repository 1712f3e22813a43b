/**
 * The decision-making tasks of Yang et al. 2019 (docs/yang-tasks.md): two stimuli in opposite-ish
 * directions, respond toward the stronger. DM 1 / 2 show both in one ring; Ctx DM 1 / 2 show both
 * rings and attend one; MultSen DM sums the two rings. The Dly versions show the stimuli one after
 * the other with a delay between and after them.
 */
import { z } from 'zod';
import { gridDirection, testDirections, testPoint } from './grid.js';
import { inputSize, outputSize } from './layout.js';
import { taskPerf } from './perf.js';
import { wrapAngle } from './ring.js';
import { type Draw, choicesMs, commonTimingShape, fixedMs, rangeMs, rngDraw, steps, timingOf, timingProblem } from './timing.js';
import { type Stimulus, type TrialDesign, writeTrials } from './trial.js';
import type { Epoch, PerfResult, Rng, SampleOptions, Task, TaskLayout, TaskMode, TaskSizes, TrialBatch } from './types.js';

/** dm: both stimuli in one ring; ctx: both rings, one attended; multi: both rings, summed. */
type DmKind = 'dm' | 'ctx' | 'multi';

const dmTimingSchema = z.strictObject({
  ...commonTimingShape,
  dmStimOnMs: rangeMs(100, 400, 'DM: stimulus onset'),
  dmStimMs: choicesMs([400, 800, 1600], 'DM: stimulus duration (the go cue follows)'),
  dmTestStimOnMs: fixedMs(500, 'DM test: stimulus onset'),
  dmTestGoMs: fixedMs(2000, 'DM 1/2 test: go cue'),
  dmTestEndMs: fixedMs(2500, 'DM 1/2 test: trial end'),
  ctxDmTestGoMs: fixedMs(1500, 'Ctx DM, MultSen DM test: go cue'),
  ctxDmTestEndMs: fixedMs(2000, 'Ctx DM, MultSen DM test: trial end'),
  dlyDmStim1OnMs: choicesMs([200, 400, 600], 'Dly DM: first stimulus onset'),
  dlyDmStimMs: choicesMs([200, 400, 600], 'Dly DM: duration of each stimulus (drawn for each)'),
  dlyDmDelay1Ms: choicesMs([200, 400, 800, 1600], 'Dly DM: delay between the stimuli'),
  dlyDmDelay2Ms: rangeMs(100, 300, 'Dly DM: delay from the second stimulus to the go cue'),
  dlyDmTestStim1Ms: z.tuple([z.number().min(0), z.number().min(0)]).default([500, 1000]).describe('Dly DM test: first stimulus [on, off), ms'),
  dlyDmTestStim2Ms: z.tuple([z.number().min(0), z.number().min(0)]).default([2000, 2500]).describe('Dly DM test: second stimulus [on, off), ms'),
  dlyDmTestGoMs: fixedMs(2700, 'Dly DM 1/2 test: go cue'),
  dlyDmTestEndMs: fixedMs(3000, 'Dly DM 1/2 test: trial end'),
  ctxDlyDmTestGoMs: fixedMs(3000, 'Ctx Dly DM, MultSen Dly DM test: go cue'),
  ctxDlyDmTestEndMs: fixedMs(3500, 'Ctx Dly DM, MultSen Dly DM test: trial end'),
});
type DmTimingMs = z.output<typeof dmTimingSchema>;

/** Coherences (half the strength difference) of training trials: undelayed, delayed. */
const COHERENCES = [0.01, 0.02, 0.04, 0.08];
const DELAYED_COHERENCES = [0.08, 0.16, 0.32];
/** Strength levels of the test grid: the first stimulus's strength for index j (the second has 2 - that). */
const testStrength = (j: number, delayed: boolean, kind: DmKind) => (delayed && kind === 'dm' ? (1.0 * j) / 5 + 0.5 : (0.4 * j) / 5 + 0.8);
const STRENGTH_LEVELS = 5;

interface DmTiming {
  T: number;
  go: number;
  on: [number, number];
  off: [number, number];
  epochs: Record<string, Epoch>;
}

function dmTiming(kind: DmKind, delayed: boolean, mode: TaskMode, dt: number, draw: Draw, ms: DmTimingMs): DmTiming {
  const s = (v: number) => steps(v, dt);
  const oneRing = kind === 'dm';
  if (!delayed) {
    const test = mode === 'test';
    const on = test ? s(ms.dmTestStimOnMs) : s(draw.uniform(ms.dmStimOnMs[0], ms.dmStimOnMs[1]));
    const go = test ? s(oneRing ? ms.dmTestGoMs : ms.ctxDmTestGoMs) : on + s(draw.choice(ms.dmStimMs));
    const T = test ? s(oneRing ? ms.dmTestEndMs : ms.ctxDmTestEndMs) : go + s(ms.responseMs);
    return { T, go, on: [on, on], off: [go, go], epochs: { fix1: [0, on], stim1: [on, go], go1: [go, T] } };
  }
  let on1: number, off1: number, on2: number, off2: number, go: number, T: number;
  if (mode === 'test') {
    [on1, off1] = ms.dlyDmTestStim1Ms.map(s);
    [on2, off2] = ms.dlyDmTestStim2Ms.map(s);
    go = s(oneRing ? ms.dlyDmTestGoMs : ms.ctxDlyDmTestGoMs);
    T = s(oneRing ? ms.dlyDmTestEndMs : ms.ctxDlyDmTestEndMs);
  } else {
    on1 = s(draw.choice(ms.dlyDmStim1OnMs));
    off1 = on1 + s(draw.choice(ms.dlyDmStimMs));
    on2 = off1 + s(draw.choice(ms.dlyDmDelay1Ms));
    off2 = on2 + s(draw.choice(ms.dlyDmStimMs));
    go = off2 + s(draw.uniform(ms.dlyDmDelay2Ms[0], ms.dlyDmDelay2Ms[1]));
    T = go + s(ms.responseMs);
  }
  const epochs: Record<string, Epoch> = { fix1: [0, on1], stim1: [on1, off1], delay1: [off1, on2], stim2: [on2, off2], delay2: [off2, go], go1: [go, T] };
  return { T, go, on: [on1, on2], off: [off1, off2], epochs };
}

/** Test grid: (direction, strength level in ring 1[, strength level in ring 2]). */
const dmGrid = (kind: DmKind, nDirs: number) => (kind === 'dm' ? [nDirs, STRENGTH_LEVELS] : [nDirs, STRENGTH_LEVELS, STRENGTH_LEVELS]);

/** A pair of strengths mean +- coh: the first stimulus gets mean + coh * sign. */
function drawPair(rng: Rng, draw: Draw, cohs: readonly number[]): [number, number] {
  const mean = draw.uniform(0.8, 1.2);
  const coh = draw.choice(cohs) * (rng.next() < 0.5 ? 1 : -1);
  return [mean + coh, mean - coh];
}

class DmTask implements Task {
  readonly timingSchema = dmTimingSchema;

  /** @param ring the ring shown (dm) or attended (ctx); 0 for multi */
  constructor(
    readonly name: string,
    readonly displayName: string,
    readonly ruleIndex: number,
    readonly kind: DmKind,
    readonly delayed: boolean,
    readonly ring: 0 | 1 | 2,
  ) {}

  sizes(layout: TaskLayout): TaskSizes {
    return { nIn: inputSize(layout), nOut: outputSize(layout) };
  }

  gridShape(directions: number): number[] {
    return dmGrid(this.kind, directions);
  }

  perf(output: Float32Array, batch: TrialBatch): PerfResult {
    return taskPerf(output, batch);
  }

  checkTiming(layout: TaskLayout): string | null {
    const ms = timingOf(dmTimingSchema, layout);
    return timingProblem(this.name, (mode, draw) => {
      const tm = dmTiming(this.kind, this.delayed, mode, layout.dt, draw, ms);
      return { epochs: { ...tm.epochs, 'stimulus 1': [tm.on[0], tm.off[0]], 'stimulus 2': [tm.on[1], tm.off[1]] }, T: tm.T };
    });
  }

  sample(n: number, rng: Rng, mode: TaskMode, layout: TaskLayout, opts: SampleOptions = {}): TrialBatch {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`batch size must be a positive integer, got ${n}`);
    const ms = timingOf(dmTimingSchema, layout);
    const draw = rngDraw(rng);
    const tm = dmTiming(this.kind, this.delayed, mode, layout.dt, draw, ms);
    const dir1 = new Float64Array(n);
    const dir2 = new Float64Array(n);
    // strengths [B, 2 rings] of each stimulus
    const s1 = new Float64Array(2 * n);
    const s2 = new Float64Array(2 * n);
    const dirIndex = new Int32Array(n).fill(-1);
    const gridIndex = new Int32Array(n).fill(-1);
    const cohs = this.delayed ? DELAYED_COHERENCES : COHERENCES;
    const nDirs = mode === 'test' ? testDirections(opts) : 0;
    const shape = dmGrid(this.kind, nDirs);
    for (let b = 0; b < n; b++) {
      if (mode === 'test') {
        const point = testPoint(b, shape);
        gridIndex[b] = point.gridIndex;
        const [i, j1, j2] = point.indices;
        dirIndex[b] = i;
        dir1[b] = gridDirection(i, nDirs, rng, opts.continuous);
        dir2[b] = wrapAngle(dir1[b] + Math.PI);
        const a = testStrength(j1, this.delayed, this.kind);
        if (this.kind === 'dm') [s1[2 * b + this.ring - 1], s2[2 * b + this.ring - 1]] = [a, 2 - a];
        else {
          const c = testStrength(j2, this.delayed, this.kind);
          [s1[2 * b], s2[2 * b], s1[2 * b + 1], s2[2 * b + 1]] = [a, 2 - a, c, 2 - c];
        }
        continue;
      }
      dir1[b] = draw.uniform(0, 2 * Math.PI);
      dir2[b] = wrapAngle(dir1[b] + draw.uniform(0.5 * Math.PI, 1.5 * Math.PI) * (rng.next() < 0.5 ? 1 : -1));
      if (this.kind === 'dm') [s1[2 * b + this.ring - 1], s2[2 * b + this.ring - 1]] = drawPair(rng, draw, cohs);
      else if (this.kind === 'ctx') {
        [s1[2 * b], s2[2 * b]] = drawPair(rng, draw, cohs);
        [s1[2 * b + 1], s2[2 * b + 1]] = drawPair(rng, draw, cohs);
      } else {
        // one pair; each stimulus's strength split between the rings by a random difference
        const pair = drawPair(rng, draw, cohs);
        for (const [j, st] of [s1, s2].entries()) {
          const diff = pair[j] * draw.uniform(0.2, 0.8) * (rng.next() < 0.5 ? 1 : -1);
          [st[2 * b], st[2 * b + 1]] = [pair[j] + diff / 2, pair[j] - diff / 2];
        }
      }
    }
    const respDir = new Float64Array(n);
    for (let b = 0; b < n; b++) {
      // the reference's rule: the first stimulus only if strictly stronger (ties go to the second)
      const first = this.kind === 'multi' ? s1[2 * b] + s1[2 * b + 1] > s2[2 * b] + s2[2 * b + 1] : s1[2 * b + this.ring - 1] > s2[2 * b + this.ring - 1];
      respDir[b] = first ? dir1[b] : dir2[b];
    }
    const stimuli: Stimulus[] = [
      { on: tm.on[0], off: tm.off[0], dir: dir1, strength: s1 },
      { on: tm.on[1], off: tm.off[1], dir: dir2, strength: s2 },
    ];
    const design: TrialDesign = {
      task: this.name,
      mode,
      ruleIndex: this.ruleIndex,
      B: n,
      T: tm.T,
      fixOff: tm.go,
      go: tm.go,
      epochs: tm.epochs,
      stimuli,
      respDir,
      respond: new Uint8Array(n).fill(1),
      modality: new Int32Array(n).fill(this.ring),
      dirIndex,
      gridIndex,
      match: new Int8Array(n).fill(-1),
      category: new Int8Array(2 * n).fill(-1),
    };
    return writeTrials(design, layout, ms, rng, opts.noise ?? true);
  }
}

/** The ten decision-making tasks with their rule slots in the reference's rule set. */
export const dmFamily: readonly DmTask[] = [
  new DmTask('dm1', 'DM 1', 6, 'dm', false, 1),
  new DmTask('dm2', 'DM 2', 7, 'dm', false, 2),
  new DmTask('ctxdm1', 'Ctx DM 1', 8, 'ctx', false, 1),
  new DmTask('ctxdm2', 'Ctx DM 2', 9, 'ctx', false, 2),
  new DmTask('multidm', 'MultSen DM', 10, 'multi', false, 0),
  new DmTask('dlydm1', 'Dly DM 1', 11, 'dm', true, 1),
  new DmTask('dlydm2', 'Dly DM 2', 12, 'dm', true, 2),
  new DmTask('ctxdlydm1', 'Ctx Dly DM 1', 13, 'ctx', true, 1),
  new DmTask('ctxdlydm2', 'Ctx Dly DM 2', 14, 'ctx', true, 2),
  new DmTask('multidlydm', 'MultSen Dly DM', 15, 'multi', true, 0),
];
