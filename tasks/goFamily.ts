/**
 * The Go task family of Yang et al. 2019 (Go, RT Go, Dly Go and their Anti versions), following
 * docs/yang-tasks.md: one stimulus in ring 1 or 2, a response toward it (Anti: opposite it) at the
 * go cue, which is the fixation offset (Go, Dly Go) or the stimulus onset (RT Go).
 */
import { z } from 'zod';
import { gridDirection, testDirections, testPoint } from './grid.js';
import { inputSize, outputSize } from './layout.js';
import { taskPerf } from './perf.js';
import { wrapAngle } from './ring.js';
import { type Draw, choicesMs, commonTimingShape, fixedMs, rangeMs, rngDraw, steps, timingOf, timingProblem } from './timing.js';
import { type TrialDesign, writeTrials } from './trial.js';
import type { Epoch, PerfResult, Rng, SampleOptions, Task, TaskLayout, TaskMode, TaskSizes, TrialBatch } from './types.js';

type GoVariant = 'fd' | 'rt' | 'dly';

/**
 * Timing of the Go family in ms. Training draws one timing per batch from the ranges or choices;
 * test mode (probe batches, the task-variance grid) uses the fixed values. Override any key with the
 * config's `timing` section.
 */
const goTimingSchema = z.strictObject({
  ...commonTimingShape,
  goStimOnMs: rangeMs(300, 700, 'Go/Anti: stimulus onset'),
  goStimToGoMs: rangeMs(500, 1500, 'Go/Anti: stimulus onset to go cue'),
  goTestStimOnMs: fixedMs(500, 'Go/Anti test: stimulus onset'),
  goTestGoMs: fixedMs(1500, 'Go/Anti test: go cue'),
  rtStimOnMs: rangeMs(500, 2500, 'RT Go/Anti: stimulus onset (= go cue)'),
  rtTestStimOnMs: fixedMs(2000, 'RT Go/Anti test: stimulus onset'),
  dlyStimOnMs: choicesMs([300, 500, 700], 'Dly Go/Anti: stimulus onset'),
  dlyStimMs: choicesMs([200, 400, 600], 'Dly Go/Anti: stimulus duration'),
  dlyDelayMs: choicesMs([200, 400, 800, 1600], 'Dly Go/Anti: delay'),
  dlyTestStimOnMs: fixedMs(500, 'Dly Go/Anti test: stimulus onset'),
  dlyTestStimOffMs: fixedMs(1000, 'Dly Go/Anti test: stimulus offset'),
  dlyTestGoMs: fixedMs(2000, 'Dly Go/Anti test: go cue'),
});
type GoTimingMs = z.output<typeof goTimingSchema>;

/** Timing of one batch, in steps. Fixation input is on over [0, fixOff); stimulus over [stimOn, stimOff). */
interface GoTiming {
  T: number;
  stimOn: number;
  stimOff: number;
  fixOff: number;
  go: number;
  epochs: Record<string, Epoch>;
}

function goTiming(variant: GoVariant, mode: TaskMode, dt: number, draw: Draw, ms: GoTimingMs): GoTiming {
  const resp = steps(ms.responseMs, dt);
  const test = mode === 'test';
  if (variant === 'fd') {
    const stimOn = test ? steps(ms.goTestStimOnMs, dt) : steps(draw.uniform(ms.goStimOnMs[0], ms.goStimOnMs[1]), dt);
    const fixOff = test ? steps(ms.goTestGoMs, dt) : stimOn + steps(draw.uniform(ms.goStimToGoMs[0], ms.goStimToGoMs[1]), dt);
    const T = fixOff + resp;
    return { T, stimOn, stimOff: T, fixOff, go: fixOff, epochs: { fix1: [0, stimOn], stim1: [stimOn, fixOff], go1: [fixOff, T] } };
  }
  if (variant === 'rt') {
    const stimOn = test ? steps(ms.rtTestStimOnMs, dt) : steps(draw.uniform(ms.rtStimOnMs[0], ms.rtStimOnMs[1]), dt);
    const T = stimOn + resp;
    return { T, stimOn, stimOff: T, fixOff: T, go: stimOn, epochs: { fix1: [0, stimOn], go1: [stimOn, T] } };
  }
  const stimOn = test ? steps(ms.dlyTestStimOnMs, dt) : steps(draw.choice(ms.dlyStimOnMs), dt);
  const stimOff = test ? steps(ms.dlyTestStimOffMs, dt) : stimOn + steps(draw.choice(ms.dlyStimMs), dt);
  const fixOff = test ? steps(ms.dlyTestGoMs, dt) : stimOff + steps(draw.choice(ms.dlyDelayMs), dt);
  const T = fixOff + resp;
  return { T, stimOn, stimOff, fixOff, go: fixOff, epochs: { fix1: [0, stimOn], stim1: [stimOn, stimOff], delay1: [stimOff, fixOff], go1: [fixOff, T] } };
}

/** Test grid: (direction, ring of the stimulus); the reference's is 20 x 2 = 40 trials. */
const goGrid = (nDirs: number) => [nDirs, 2];

class GoFamilyTask implements Task {
  readonly timingSchema = goTimingSchema;

  constructor(
    readonly name: string,
    readonly displayName: string,
    readonly ruleIndex: number,
    readonly variant: GoVariant,
    readonly anti: boolean,
  ) {}

  sizes(layout: TaskLayout): TaskSizes {
    return { nIn: inputSize(layout), nOut: outputSize(layout) };
  }

  gridShape(directions: number): number[] {
    return goGrid(directions);
  }

  perf(output: Float32Array, batch: TrialBatch): PerfResult {
    return taskPerf(output, batch);
  }

  checkTiming(layout: TaskLayout): string | null {
    const ms = timingOf(goTimingSchema, layout);
    return timingProblem(this.name, (mode, draw) => {
      const tm = goTiming(this.variant, mode, layout.dt, draw, ms);
      return { epochs: { ...tm.epochs, stimulus: [tm.stimOn, tm.stimOff] }, T: tm.T };
    });
  }

  sample(n: number, rng: Rng, mode: TaskMode, layout: TaskLayout, opts: SampleOptions = {}): TrialBatch {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`batch size must be a positive integer, got ${n}`);
    const ms = timingOf(goTimingSchema, layout);
    const tm = goTiming(this.variant, mode, layout.dt, rngDraw(rng), ms);
    const stimDir = new Float64Array(n);
    const respDir = new Float64Array(n);
    const modality = new Int32Array(n);
    const dirIndex = new Int32Array(n).fill(-1);
    const gridIndex = new Int32Array(n).fill(-1);
    if (mode === 'test') {
      const nDirs = testDirections(opts);
      const shape = goGrid(nDirs);
      for (let b = 0; b < n; b++) {
        const point = testPoint(b, shape);
        gridIndex[b] = point.gridIndex;
        const [i, ring] = point.indices;
        dirIndex[b] = i;
        stimDir[b] = gridDirection(i, nDirs, rng, opts.continuous);
        modality[b] = ring + 1;
      }
    } else {
      // the ring is drawn once per batch, like every timing value
      const ring = rng.next() < 0.5 ? 1 : 2;
      for (let b = 0; b < n; b++) {
        stimDir[b] = 2 * Math.PI * rng.next();
        modality[b] = ring;
      }
    }
    const strength = new Float64Array(2 * n);
    for (let b = 0; b < n; b++) {
      respDir[b] = this.anti ? wrapAngle(stimDir[b] + Math.PI) : stimDir[b];
      strength[2 * b + modality[b] - 1] = 1;
    }
    const design: TrialDesign = {
      task: this.name,
      mode,
      ruleIndex: this.ruleIndex,
      B: n,
      T: tm.T,
      fixOff: tm.fixOff,
      go: tm.go,
      epochs: tm.epochs,
      stimuli: [{ on: tm.stimOn, off: tm.stimOff, dir: stimDir, strength }],
      respDir,
      respond: new Uint8Array(n).fill(1),
      modality,
      dirIndex,
      gridIndex,
      match: new Int8Array(n).fill(-1),
      category: new Int8Array(2 * n).fill(-1),
    };
    return writeTrials(design, layout, ms, rng, opts.noise ?? true);
  }
}

/** The six Go-family tasks with their rule indices in the reference 'all' rule set. */
export const goFamily: readonly GoFamilyTask[] = [
  new GoFamilyTask('go', 'Go', 0, 'fd', false),
  new GoFamilyTask('rtgo', 'RT Go', 1, 'rt', false),
  new GoFamilyTask('dlygo', 'Dly Go', 2, 'dly', false),
  new GoFamilyTask('antigo', 'Anti', 3, 'fd', true),
  new GoFamilyTask('antirtgo', 'RT Anti', 4, 'rt', true),
  new GoFamilyTask('antidlygo', 'Dly Anti', 5, 'dly', true),
];
