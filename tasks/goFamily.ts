/**
 * The Go task family of Yang et al. 2019 (Go, RT Go, Dly Go and their Anti versions), following
 * docs/go-tasks.md: 85 inputs (fixation, two 32-unit rings, 20 rule slots), 33 outputs
 * (fixation, 32-unit ring), sigmoid-friendly targets (0.05 / 0.8 / 0.85), cost mask with a grace
 * period after the go cue, and input noise on every input unit.
 */
import { FIX_TARGET, RING_PEAK, TARGET_BASELINE, ringEncode, wrapAngle } from './ring.js';
import { z } from 'zod';
import { inputSize, outputSize } from './layout.js';
import { goPerf } from './perf.js';
import type { Epoch, PerfResult, Rng, SampleOptions, Task, TaskLayout, TaskMode, TaskSizes, TrialBatch } from './types.js';

type GoVariant = 'fd' | 'rt' | 'dly';

/** Timing of one batch, in steps. Fixation input is on over [0, fixOff); stimulus over [stimOn, stimOff). */
interface GoTiming {
  T: number;
  stimOn: number;
  stimOff: number;
  fixOff: number;
  go: number;
  epochs: Record<string, Epoch>;
}

const range = (lo: number, hi: number, what: string) =>
  z
    .tuple([z.number().min(0), z.number().min(0)])
    .refine(([a, b]) => a <= b, { message: 'must be [low, high] with low <= high' })
    .default([lo, hi])
    .describe(`${what}: uniform in [low, high] ms (training)`);
const choices = (xs: number[], what: string) => z.array(z.number().min(0)).min(1).default(xs).describe(`${what}: one of these ms, drawn per batch (training)`);
const ms = (v: number, what: string) => z.number().min(0).default(v).describe(`${what}, ms`);

/**
 * Timing of the Go family in ms (docs/go-tasks.md). Training draws one timing per batch from the
 * ranges or choices; test mode (probe batches) uses the fixed values, so time steps align across
 * trials and checkpoints. Override any key with the config's `timing` section.
 */
const goTimingSchema = z.strictObject({
  responseMs: ms(500, 'every trial ends this long after the go cue'),
  unscoredMs: ms(100, 'the first part of a trial that is never scored'),
  graceMs: ms(100, 'no cost this long after the go cue (time to respond)'),
  goStimOnMs: range(300, 700, 'Go/Anti: stimulus onset'),
  goStimToGoMs: range(500, 1500, 'Go/Anti: stimulus onset to go cue'),
  goTestStimOnMs: ms(500, 'Go/Anti test: stimulus onset'),
  goTestGoMs: ms(1500, 'Go/Anti test: go cue'),
  rtStimOnMs: range(500, 2500, 'RT Go/Anti: stimulus onset (= go cue)'),
  rtTestStimOnMs: ms(2000, 'RT Go/Anti test: stimulus onset'),
  dlyStimOnMs: choices([300, 500, 700], 'Dly Go/Anti: stimulus onset'),
  dlyStimMs: choices([200, 400, 600], 'Dly Go/Anti: stimulus duration'),
  dlyDelayMs: choices([200, 400, 800, 1600], 'Dly Go/Anti: delay'),
  dlyTestStimOnMs: ms(500, 'Dly Go/Anti test: stimulus onset'),
  dlyTestStimOffMs: ms(1000, 'Dly Go/Anti test: stimulus offset'),
  dlyTestGoMs: ms(2000, 'Dly Go/Anti test: go cue'),
});
type GoTimingMs = z.output<typeof goTimingSchema>;

/** Weight of errors after the grace period, and the extra factor on the fixation output. */
const RESPONSE_WEIGHT = 5;
const FIXATION_WEIGHT = 2;

const steps = (ms: number, dt: number) => Math.floor(ms / dt);
const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();
const choice = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(rng.next() * xs.length))];

/** Parsed timing per layout.timing object (a layout is made once per run). */
const parsed = new WeakMap<object, GoTimingMs>();
function goTimingOf(layout: TaskLayout): GoTimingMs {
  let t = parsed.get(layout.timing);
  if (!t) {
    const known = Object.fromEntries(Object.entries(layout.timing).filter(([k]) => k in goTimingSchema.shape));
    t = goTimingSchema.parse(known);
    parsed.set(layout.timing, t);
  }
  return t;
}

function goTiming(variant: GoVariant, mode: TaskMode, dt: number, rng: Rng, ms: GoTimingMs = goTimingSchema.parse({})): GoTiming {
  const resp = steps(ms.responseMs, dt);
  if (variant === 'fd') {
    const stimOn = mode === 'test' ? steps(ms.goTestStimOnMs, dt) : steps(uniform(rng, ms.goStimOnMs[0], ms.goStimOnMs[1]), dt);
    const fixOff = mode === 'test' ? steps(ms.goTestGoMs, dt) : stimOn + steps(uniform(rng, ms.goStimToGoMs[0], ms.goStimToGoMs[1]), dt);
    const T = fixOff + resp;
    return { T, stimOn, stimOff: T, fixOff, go: fixOff, epochs: { fix1: [0, stimOn], stim1: [stimOn, fixOff], go1: [fixOff, T] } };
  }
  if (variant === 'rt') {
    const stimOn = mode === 'test' ? steps(ms.rtTestStimOnMs, dt) : steps(uniform(rng, ms.rtStimOnMs[0], ms.rtStimOnMs[1]), dt);
    const T = stimOn + resp;
    return { T, stimOn, stimOff: T, fixOff: T, go: stimOn, epochs: { fix1: [0, stimOn], go1: [stimOn, T] } };
  }
  let stimOn: number, stimOff: number, fixOff: number;
  if (mode === 'test') {
    stimOn = steps(ms.dlyTestStimOnMs, dt);
    stimOff = steps(ms.dlyTestStimOffMs, dt);
    fixOff = steps(ms.dlyTestGoMs, dt);
  } else {
    stimOn = steps(choice(rng, ms.dlyStimOnMs), dt);
    stimOff = stimOn + steps(choice(rng, ms.dlyStimMs), dt);
    fixOff = stimOff + steps(choice(rng, ms.dlyDelayMs), dt);
  }
  const T = fixOff + resp;
  return {
    T,
    stimOn,
    stimOff,
    fixOff,
    go: fixOff,
    epochs: { fix1: [0, stimOn], stim1: [stimOn, stimOff], delay1: [stimOff, fixOff], go1: [fixOff, T] },
  };
}

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

  perf(output: Float32Array, batch: TrialBatch): PerfResult {
    return goPerf(output, batch);
  }

  sample(n: number, rng: Rng, mode: TaskMode, layout: TaskLayout, opts: SampleOptions = {}): TrialBatch {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`batch size must be a positive integer, got ${n}`);
    if (this.ruleIndex >= layout.nRules) {
      throw new RangeError(`task ${this.name} needs rule slot ${this.ruleIndex} but the layout has ${layout.nRules}`);
    }
    const { dt, ringSize } = layout;
    const nIn = inputSize(layout);
    const nOut = outputSize(layout);
    const ms = goTimingOf(layout);
    const tm = goTiming(this.variant, mode, dt, rng, ms);
    const { T } = tm;

    const stimDir = new Float64Array(n);
    const respDir = new Float64Array(n);
    const modality = new Int32Array(n);
    const dirIndex = new Int32Array(n).fill(-1);
    const nDirs = opts.directions ?? 8;
    if (mode === 'test' && (!Number.isInteger(nDirs) || nDirs < 1)) throw new RangeError(`directions must be a positive integer, got ${nDirs}`);
    // In training the modality is drawn once per batch, like every timing value.
    const batchModality = mode === 'train' ? (rng.next() < 0.5 ? 1 : 2) : 0;
    for (let b = 0; b < n; b++) {
      if (mode === 'test') {
        dirIndex[b] = b % nDirs;
        stimDir[b] = opts.continuous ? wrapAngle((2 * Math.PI * (dirIndex[b] + rng.next() - 0.5)) / nDirs) : (2 * Math.PI * dirIndex[b]) / nDirs;
        modality[b] = (Math.floor(b / nDirs) % 2) + 1;
      } else {
        stimDir[b] = 2 * Math.PI * rng.next();
        modality[b] = batchModality;
      }
      respDir[b] = this.anti ? wrapAngle(stimDir[b] + Math.PI) : stimDir[b];
    }

    const x = new Float32Array(T * n * nIn);
    const y = new Float32Array(T * n * nOut).fill(TARGET_BASELINE);
    const cMask = new Float32Array(T * n * nOut);
    const stimPattern = new Float32Array(ringSize);
    const respPattern = new Float32Array(ringSize);
    const ruleUnit = 1 + layout.nRings * ringSize + this.ruleIndex;
    const preOn = steps(ms.unscoredMs, dt);
    const postOn = tm.go + steps(ms.graceMs, dt);

    for (let b = 0; b < n; b++) {
      stimPattern.fill(0);
      ringEncode(stimDir[b], ringSize, RING_PEAK, stimPattern);
      respPattern.fill(0);
      ringEncode(respDir[b], ringSize, RING_PEAK, respPattern);
      const ringStart = 1 + (modality[b] - 1) * ringSize;
      for (let t = 0; t < T; t++) {
        const xi = (t * n + b) * nIn;
        if (t < tm.fixOff) x[xi] = 1;
        if (t >= tm.stimOn && t < tm.stimOff) {
          for (let k = 0; k < ringSize; k++) x[xi + ringStart + k] += stimPattern[k];
        }
        x[xi + ruleUnit] = 1;

        const yi = (t * n + b) * nOut;
        if (t < tm.go) {
          y[yi] = FIX_TARGET;
        } else {
          for (let k = 0; k < ringSize; k++) y[yi + 1 + k] = TARGET_BASELINE + respPattern[k];
        }
        const w = t < preOn ? 0 : t < tm.go ? 1 : t < postOn ? 0 : RESPONSE_WEIGHT;
        cMask[yi] = w * FIXATION_WEIGHT;
        for (let k = 1; k < nOut; k++) cMask[yi + k] = w;
      }
    }

    if (opts.noise ?? true) {
      const sd = layout.inputNoiseSd;
      rng.addNormal(x, sd);
    }

    return {
      task: this.name,
      mode,
      T,
      B: n,
      nIn,
      nOut,
      x,
      y,
      cMask,
      goStep: tm.go,
      epochs: tm.epochs,
      stimDir,
      respDir,
      modality,
      dirIndex,
    };
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
