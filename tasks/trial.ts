/**
 * From a family's design of a batch (timing, stimuli, response per trial) to the TrialBatch every
 * task returns: inputs, targets and cost mask written by one set of rules (docs/yang-tasks.md).
 *
 * - Inputs: fixation 1 on [0, fixOff); each stimulus adds strength x its ring bump into the ring it
 *   is shown in over [on, off) (two stimuli in one ring superpose); the task's rule unit is 1 for the
 *   whole trial; then input noise on every unit.
 * - Targets: fixation output 0.8 before the go cue and 0.05 after; the response ring 0.05 plus the
 *   unscaled bump around the response direction after the go cue. A no-go trial keeps the fixation
 *   target 0.8 and the ring at 0.05 for the whole trial.
 * - Cost mask: 0 over the unscored start, 1 until the go cue, 0 during the grace period, 5 after;
 *   the fixation output's column twice that. The same for go and no-go trials.
 */
import { FIX_TARGET, RING_PEAK, TARGET_BASELINE, ringEncode } from './ring.js';
import { inputSize, outputSize } from './layout.js';
import type { Epoch, Rng, TaskLayout, TaskMode, TrialBatch } from './types.js';

/** Weight of errors after the grace period, and the extra factor on the fixation output. */
const RESPONSE_WEIGHT = 5;
const FIXATION_WEIGHT = 2;

/** A stimulus of a batch: shown over [on, off) at dir[b], with strength[b * nRings + r] in ring r + 1 (0: not shown there). */
export interface Stimulus {
  on: number;
  off: number;
  dir: Float64Array;
  strength: Float64Array;
}

/** What a family decides about a batch; writeTrials turns it into arrays. Its per-trial facts are the batch's own (TrialBatch documents them). */
export interface TrialDesign extends Pick<TrialBatch, 'respDir' | 'respond' | 'modality' | 'dirIndex' | 'gridIndex' | 'match' | 'category'> {
  task: string;
  mode: TaskMode;
  ruleIndex: number;
  B: number;
  T: number;
  /** Fixation input on over [0, fixOff). */
  fixOff: number;
  /** The go cue: the response is due from here. */
  go: number;
  epochs: Record<string, Epoch>;
  stimuli: Stimulus[];
}

/** The per-trial facts a batch carries besides its arrays, for a batch made elsewhere (benchmarks, imports, tests). */
export function blankFacts(B: number): Pick<TrialBatch, 'stimDir' | 'stimDir2' | 'strength' | 'respDir' | 'respond' | 'modality' | 'dirIndex' | 'gridIndex' | 'match' | 'category'> {
  return {
    stimDir: new Float64Array(B),
    stimDir2: new Float64Array(B).fill(NaN),
    strength: new Float64Array(B * 4),
    respDir: new Float64Array(B),
    respond: new Uint8Array(B).fill(1),
    modality: new Int32Array(B),
    dirIndex: new Int32Array(B).fill(-1),
    gridIndex: new Int32Array(B).fill(-1),
    match: new Int8Array(B).fill(-1),
    category: new Int8Array(2 * B).fill(-1),
  };
}

/** Unscored start and grace period of the cost mask, in ms. */
interface MaskTiming {
  unscoredMs: number;
  graceMs: number;
}

export function writeTrials(d: TrialDesign, layout: TaskLayout, mask: MaskTiming, rng: Rng, noise: boolean): TrialBatch {
  const { B: n, T } = d;
  const { dt, ringSize, nRings } = layout;
  if (d.ruleIndex >= layout.nRules) throw new RangeError(`task ${d.task} needs rule slot ${d.ruleIndex} but the layout has ${layout.nRules}`);
  const nIn = inputSize(layout);
  const nOut = outputSize(layout);
  const x = new Float32Array(T * n * nIn);
  const y = new Float32Array(T * n * nOut).fill(TARGET_BASELINE);
  const cMask = new Float32Array(T * n * nOut);
  const ruleUnit = 1 + nRings * ringSize + d.ruleIndex;
  const preOn = Math.floor(mask.unscoredMs / dt);
  const postOn = d.go + Math.floor(mask.graceMs / dt);
  const pattern = new Float32Array(ringSize);
  const resp = new Float32Array(ringSize);

  for (let b = 0; b < n; b++) {
    for (let t = 0; t < T; t++) {
      const xi = (t * n + b) * nIn;
      if (t < d.fixOff) x[xi] = 1;
      x[xi + ruleUnit] = 1;
    }
    for (const s of d.stimuli) {
      for (let r = 0; r < nRings; r++) {
        const g = s.strength[b * nRings + r];
        if (g === 0) continue;
        pattern.fill(0);
        ringEncode(s.dir[b], ringSize, g === 1 ? RING_PEAK : RING_PEAK * g, pattern);
        const start = 1 + r * ringSize;
        for (let t = s.on; t < s.off; t++) {
          const xi = (t * n + b) * nIn + start;
          for (let k = 0; k < ringSize; k++) x[xi + k] += pattern[k];
        }
      }
    }
    const go = d.respond[b] === 1;
    if (go) {
      resp.fill(0);
      ringEncode(d.respDir[b], ringSize, RING_PEAK, resp);
    }
    for (let t = 0; t < T; t++) {
      const yi = (t * n + b) * nOut;
      if (t < d.go || !go) y[yi] = FIX_TARGET;
      else for (let k = 0; k < ringSize; k++) y[yi + 1 + k] = TARGET_BASELINE + resp[k];
      const w = t < preOn ? 0 : t < d.go ? 1 : t < postOn ? 0 : RESPONSE_WEIGHT;
      cMask[yi] = w * FIXATION_WEIGHT;
      for (let k = 1; k < nOut; k++) cMask[yi + k] = w;
    }
  }
  if (noise) rng.addNormal(x, layout.inputNoiseSd);

  const strength = new Float64Array(n * 2 * nRings);
  d.stimuli.forEach((s, j) => {
    for (let b = 0; b < n; b++) for (let r = 0; r < nRings; r++) strength[(b * 2 + j) * nRings + r] = s.strength[b * nRings + r];
  });
  return {
    task: d.task,
    mode: d.mode,
    T,
    B: n,
    nIn,
    nOut,
    x,
    y,
    cMask,
    goStep: d.go,
    epochs: d.epochs,
    stimDir: d.stimuli[0].dir,
    stimDir2: d.stimuli[1]?.dir ?? new Float64Array(n).fill(NaN),
    strength,
    respDir: d.respDir,
    respond: d.respond,
    modality: d.modality,
    dirIndex: d.dirIndex,
    gridIndex: d.gridIndex,
    match: d.match,
    category: d.category,
  };
}
