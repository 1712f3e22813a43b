/**
 * The matching tasks of Yang et al. 2019 (docs/yang-tasks.md): a sample stimulus, a delay, a test
 * stimulus. DMS / DNMS: respond toward the test stimulus at its onset if the two directions match
 * (DMS) or differ (DNMS), else keep fixating (a no-go trial). DMC / DNMC: the same with "match"
 * meaning the same category (direction below pi, or not). The fixation input stays on all trial: the
 * go cue is the test stimulus's onset.
 */
import { z } from 'zod';
import { gridDirection, testDirections, testPoint } from './grid.js';
import { inputSize, outputSize } from './layout.js';
import { taskPerf } from './perf.js';
import { wrapAngle } from './ring.js';
import { type Draw, choicesMs, commonTimingShape, fixedMs, rngDraw, steps, timingOf, timingProblem } from './timing.js';
import { type TrialDesign, writeTrials } from './trial.js';
import type { Epoch, PerfResult, Rng, SampleOptions, Task, TaskLayout, TaskMode, TaskSizes, TrialBatch } from './types.js';

const matchTimingSchema = z.strictObject({
  ...commonTimingShape,
  matchStim1OnMs: choicesMs([200, 400, 600], 'DMS/DMC: sample onset'),
  matchStim1Ms: choicesMs([200, 400, 600], 'DMS/DMC: sample duration'),
  matchDelayMs: choicesMs([200, 400, 800, 1600], 'DMS/DMC: delay before the test stimulus'),
  dmcResponseMs: choicesMs([200, 400, 600], 'DMC/DNMC: trial end after the test stimulus\'s onset'),
  matchTestStim1Ms: z.tuple([z.number().min(0), z.number().min(0)]).default([500, 1000]).describe('DMS/DMC test: sample [on, off), ms'),
  matchTestStim2OnMs: fixedMs(2200, 'DMS/DMC test: test stimulus onset (= go cue)'),
  matchTestEndMs: fixedMs(2700, 'DMS/DMC test: trial end'),
});
type MatchTimingMs = z.output<typeof matchTimingSchema>;

interface MatchTiming {
  T: number;
  on1: number;
  off1: number;
  go: number;
  epochs: Record<string, Epoch>;
}

function matchTiming(category: boolean, mode: TaskMode, dt: number, draw: Draw, ms: MatchTimingMs): MatchTiming {
  const s = (v: number) => steps(v, dt);
  let on1: number, off1: number, go: number, T: number;
  if (mode === 'test') {
    [on1, off1] = ms.matchTestStim1Ms.map(s);
    go = s(ms.matchTestStim2OnMs);
    T = s(ms.matchTestEndMs);
  } else {
    on1 = s(draw.choice(ms.matchStim1OnMs));
    off1 = on1 + s(draw.choice(ms.matchStim1Ms));
    go = off1 + s(draw.choice(ms.matchDelayMs));
    T = go + s(category ? draw.choice(ms.dmcResponseMs) : ms.responseMs);
  }
  return { T, on1, off1, go, epochs: { fix1: [0, on1], stim1: [on1, off1], delay1: [off1, go], go1: [go, T] } };
}

/** Test grid: (direction of the sample, ring of the sample, ring of the test stimulus). */
const matchGrid = (nDirs: number) => [nDirs, 2, 2];

/** DMC's directions, pi * {0.1, 0.3, ..., 1.9}, and the category of a direction (1 at or above pi). */
const CATEGORY_DIRECTIONS = [0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.3, 1.5, 1.7, 1.9].map((c) => c * Math.PI);
const categoryOf = (theta: number) => (theta >= Math.PI ? 1 : 0);

/**
 * Sample direction i of n on the category test grid: the first half spread over pi * [0.1, 0.9],
 * the second over pi * [1.1, 1.9] (n = 20: pi * (0.10 + 0.08 i) and pi * (1.10 + 0.08 (i - 10)));
 * continuous: uniform within its step, never crossing the category boundary.
 */
function categoryDirection(i: number, n: number, rng: Rng, continuous: boolean | undefined): number {
  const half = n / 2;
  const pos = i < half ? i : i - half;
  const jitter = continuous ? rng.next() - 0.5 : 0;
  return (i < half ? 0.1 : 1.1) * Math.PI + (0.8 * (pos + jitter) * Math.PI) / half;
}

class MatchTask implements Task {
  readonly timingSchema = matchTimingSchema;

  constructor(
    readonly name: string,
    readonly displayName: string,
    readonly ruleIndex: number,
    /** Match by category (DMC/DNMC) rather than direction. */
    readonly category: boolean,
    /** Respond to a non-match (DNMS/DNMC) rather than a match. */
    readonly nonMatch: boolean,
  ) {}

  sizes(layout: TaskLayout): TaskSizes {
    return { nIn: inputSize(layout), nOut: outputSize(layout) };
  }

  gridShape(directions: number): number[] {
    return matchGrid(directions);
  }

  perf(output: Float32Array, batch: TrialBatch): PerfResult {
    return taskPerf(output, batch);
  }

  checkTiming(layout: TaskLayout): string | null {
    const ms = timingOf(matchTimingSchema, layout);
    return timingProblem(this.name, (mode, draw) => matchTiming(this.category, mode, layout.dt, draw, ms));
  }

  sample(n: number, rng: Rng, mode: TaskMode, layout: TaskLayout, opts: SampleOptions = {}): TrialBatch {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`batch size must be a positive integer, got ${n}`);
    const ms = timingOf(matchTimingSchema, layout);
    const draw = rngDraw(rng);
    const tm = matchTiming(this.category, mode, layout.dt, draw, ms);
    const dir1 = new Float64Array(n);
    const dir2 = new Float64Array(n);
    const ring1 = new Int32Array(n);
    const ring2 = new Int32Array(n);
    const match = new Int8Array(n);
    const dirIndex = new Int32Array(n).fill(-1);
    const gridIndex = new Int32Array(n).fill(-1);
    if (mode === 'test') {
      // every test trial asks for a response: DMS and DMC show a match, DNMS and DNMC a non-match
      const nDirs = testDirections(opts);
      if (this.category && nDirs % 2 !== 0) throw new RangeError(`${this.name} test grids need an even number of directions (half per category), got ${nDirs}`);
      const shape = matchGrid(nDirs);
      for (let b = 0; b < n; b++) {
        const point = testPoint(b, shape);
        gridIndex[b] = point.gridIndex;
        const [i, m1, m2] = point.indices;
        dirIndex[b] = i;
        dir1[b] = this.category ? categoryDirection(i, nDirs, rng, opts.continuous) : gridDirection(i, nDirs, rng, opts.continuous);
        dir2[b] = this.nonMatch ? wrapAngle(dir1[b] + Math.PI) : dir1[b];
        [ring1[b], ring2[b]] = [m1 + 1, m2 + 1];
        match[b] = this.nonMatch ? 0 : 1;
      }
    } else {
      // the rings of both stimuli are drawn once per batch
      const m1 = rng.next() < 0.5 ? 1 : 2;
      const m2 = rng.next() < 0.5 ? 1 : 2;
      for (let b = 0; b < n; b++) {
        [ring1[b], ring2[b]] = [m1, m2];
        if (this.category) {
          dir1[b] = draw.choice(CATEGORY_DIRECTIONS);
          dir2[b] = draw.choice(CATEGORY_DIRECTIONS);
          match[b] = categoryOf(dir1[b]) === categoryOf(dir2[b]) ? 1 : 0;
        } else {
          match[b] = rng.next() < 0.5 ? 1 : 0;
          dir1[b] = draw.uniform(0, 2 * Math.PI);
          const away = draw.uniform(Math.PI / 9, (17 * Math.PI) / 9) * (rng.next() < 0.5 ? 1 : -1);
          dir2[b] = match[b] ? dir1[b] : wrapAngle(dir1[b] + away);
        }
      }
    }
    const s1 = new Float64Array(2 * n);
    const s2 = new Float64Array(2 * n);
    const respond = new Uint8Array(n);
    const category = new Int8Array(2 * n).fill(-1);
    for (let b = 0; b < n; b++) {
      s1[2 * b + ring1[b] - 1] = 1;
      s2[2 * b + ring2[b] - 1] = 1;
      respond[b] = match[b] === (this.nonMatch ? 0 : 1) ? 1 : 0;
      if (this.category) [category[2 * b], category[2 * b + 1]] = [categoryOf(dir1[b]), categoryOf(dir2[b])];
    }
    const design: TrialDesign = {
      task: this.name,
      mode,
      ruleIndex: this.ruleIndex,
      B: n,
      T: tm.T,
      fixOff: tm.T,
      go: tm.go,
      epochs: tm.epochs,
      stimuli: [
        { on: tm.on1, off: tm.off1, dir: dir1, strength: s1 },
        { on: tm.go, off: tm.T, dir: dir2, strength: s2 },
      ],
      // the response is toward the test stimulus
      respDir: dir2,
      respond,
      modality: ring1,
      dirIndex,
      gridIndex,
      match,
      category,
    };
    return writeTrials(design, layout, ms, rng, opts.noise ?? true);
  }
}

/** The four matching tasks with their rule slots in the reference's rule set. */
export const matchFamily: readonly MatchTask[] = [
  new MatchTask('dms', 'DMS', 16, false, false),
  new MatchTask('dnms', 'DNMS', 17, false, true),
  new MatchTask('dmc', 'DMC', 18, true, false),
  new MatchTask('dnmc', 'DNMC', 19, true, true),
];
