/**
 * The Go task family of Yang et al. 2019 (Go, RT Go, Dly Go and their Anti versions), following
 * ../shared/yang-go-spec.md: 85 inputs (fixation, two 32-unit rings, 20 rule slots), 33 outputs
 * (fixation, 32-unit ring), sigmoid-friendly targets (0.05 / 0.8 / 0.85), cost mask with a grace
 * period after the go cue, and input noise on every input unit.
 */
import { FIX_TARGET, RING_PEAK, TARGET_BASELINE, ringEncode, wrapAngle } from './ring.js';
import {
  type Epoch,
  type Rng,
  type SampleOptions,
  type Task,
  type TaskLayout,
  type TaskMode,
  type TrialBatch,
  inputSize,
  outputSize,
} from './types.js';

export type GoVariant = 'fd' | 'rt' | 'dly';

/** Timing of one batch, in steps. Fixation input is on over [0, fixOff); stimulus over [stimOn, stimOff). */
export interface GoTiming {
  T: number;
  stimOn: number;
  stimOff: number;
  fixOff: number;
  go: number;
  epochs: Record<string, Epoch>;
}

/** Every trial ends 500 ms after the go cue. */
const RESPONSE_MS = 500;
/** The first 100 ms are never scored. */
const PRE_ON_MS = 100;
/** No cost for 100 ms after the go cue (time to respond). */
const GRACE_MS = 100;
/** Weight of errors after the grace period, and the extra factor on the fixation output. */
const RESPONSE_WEIGHT = 5;
const FIXATION_WEIGHT = 2;

const steps = (ms: number, dt: number) => Math.floor(ms / dt);
const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng.next();
const choice = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.min(xs.length - 1, Math.floor(rng.next() * xs.length))];

export function goTiming(variant: GoVariant, mode: TaskMode, dt: number, rng: Rng): GoTiming {
  const resp = steps(RESPONSE_MS, dt);
  if (variant === 'fd') {
    const stimOn = mode === 'test' ? steps(500, dt) : steps(uniform(rng, 300, 700), dt);
    const fixOff = mode === 'test' ? steps(1500, dt) : stimOn + steps(uniform(rng, 500, 1500), dt);
    const T = fixOff + resp;
    return { T, stimOn, stimOff: T, fixOff, go: fixOff, epochs: { fix1: [0, stimOn], stim1: [stimOn, fixOff], go1: [fixOff, T] } };
  }
  if (variant === 'rt') {
    const stimOn = mode === 'test' ? steps(2000, dt) : steps(uniform(rng, 500, 2500), dt);
    const T = stimOn + resp;
    return { T, stimOn, stimOff: T, fixOff: T, go: stimOn, epochs: { fix1: [0, stimOn], go1: [stimOn, T] } };
  }
  let stimOn: number, stimOff: number, fixOff: number;
  if (mode === 'test') {
    stimOn = steps(500, dt);
    stimOff = steps(1000, dt);
    fixOff = steps(2000, dt);
  } else {
    stimOn = steps(choice(rng, [300, 500, 700]), dt);
    stimOff = stimOn + steps(choice(rng, [200, 400, 600]), dt);
    fixOff = stimOff + steps(choice(rng, [200, 400, 800, 1600]), dt);
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

export class GoFamilyTask implements Task {
  constructor(
    readonly name: string,
    readonly displayName: string,
    readonly ruleIndex: number,
    readonly variant: GoVariant,
    readonly anti: boolean,
  ) {}

  sample(n: number, rng: Rng, mode: TaskMode, layout: TaskLayout, opts: SampleOptions = {}): TrialBatch {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`batch size must be a positive integer, got ${n}`);
    if (this.ruleIndex >= layout.nRules) {
      throw new RangeError(`task ${this.name} needs rule slot ${this.ruleIndex} but the layout has ${layout.nRules}`);
    }
    const { dt, ringSize } = layout;
    const nIn = inputSize(layout);
    const nOut = outputSize(layout);
    const tm = goTiming(this.variant, mode, dt, rng);
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
        stimDir[b] = (2 * Math.PI * dirIndex[b]) / nDirs;
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
    const preOn = steps(PRE_ON_MS, dt);
    const postOn = tm.go + steps(GRACE_MS, dt);

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
      for (let i = 0; i < x.length; i++) x[i] += sd * rng.normal();
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
