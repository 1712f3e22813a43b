/** The performance measure every task of the reference uses (docs/yang-tasks.md), on network outputs and a batch's targets. */
import { circularDistance, popVectorDecode } from './ring.js';
import type { PerfResult, TrialBatch } from './types.js';

/** Largest angular error still counted as correct: 0.2 pi (36 degrees). */
const PERF_TOLERANCE = 0.2 * Math.PI;
/** The fixation output above this means the network fixates. */
const FIXATING = 0.5;

/**
 * Reference rule, on the last time step only: a go trial is correct if the network has released
 * fixation (fixation output at most 0.5) and the population-vector direction of the output ring lies
 * within 0.2 pi of the target; a no-go trial is correct if it still fixates. The strict variant also
 * requires fixation over the scored part of the pre-go period ([cost-mask start, go)) of a go trial,
 * and over every scored step of a no-go trial.
 */
export function taskPerf(output: Float32Array, batch: TrialBatch): PerfResult {
  const { T, B, nOut, goStep } = batch;
  if (output.length !== T * B * nOut) throw new RangeError(`output has ${output.length} values, expected T*B*nOut = ${T * B * nOut}`);
  const correct = new Uint8Array(B);
  let nCorrect = 0;
  let nStrict = 0;
  const last = T - 1;
  for (let b = 0; b < B; b++) {
    const o = (last * B + b) * nOut;
    const go = batch.respond[b] === 1;
    const ok = go ? output[o] <= FIXATING && circularDistance(popVectorDecode(output, o + 1, nOut - 1), batch.respDir[b]) < PERF_TOLERANCE : output[o] > FIXATING;
    correct[b] = ok ? 1 : 0;
    if (!ok) continue;
    nCorrect++;
    let held = true;
    for (let t = 0, end = go ? goStep : T; t < end && held; t++) {
      const i = (t * B + b) * nOut;
      if (batch.cMask[i] > 0 && output[i] <= FIXATING) held = false;
    }
    if (held) nStrict++;
  }
  return { perf: nCorrect / B, perfStrict: nStrict / B, correct };
}
