/** The Go family's performance measure (docs/go-tasks.md), on network outputs and a batch's targets. */
import { circularDistance, popVectorDecode } from './ring.js';
import type { PerfResult, TrialBatch } from './types.js';

/** Largest angular error still counted as correct: 0.2 pi (36 degrees). */
const PERF_TOLERANCE = 0.2 * Math.PI;

/**
 * Reference rule: at the last time step the fixation output is at most 0.5 and the population-vector
 * direction of the output ring lies within 0.2 pi of the target direction. The strict variant also
 * requires fixation to be held over the scored part of the pre-go period ([cost-mask start, go)).
 */
export function goPerf(output: Float32Array, batch: TrialBatch): PerfResult {
  const { T, B, nOut, goStep } = batch;
  if (output.length !== T * B * nOut) throw new RangeError(`output has ${output.length} values, expected T*B*nOut = ${T * B * nOut}`);
  const correct = new Uint8Array(B);
  let nCorrect = 0;
  let nStrict = 0;
  const last = T - 1;
  for (let b = 0; b < B; b++) {
    const o = (last * B + b) * nOut;
    const released = output[o] <= 0.5;
    const dir = popVectorDecode(output, o + 1, nOut - 1);
    const ok = released && circularDistance(dir, batch.respDir[b]) < PERF_TOLERANCE;
    correct[b] = ok ? 1 : 0;
    if (!ok) continue;
    nCorrect++;
    let held = true;
    for (let t = 0; t < goStep && held; t++) {
      const i = (t * B + b) * nOut;
      if (batch.cMask[i] > 0 && output[i] <= 0.5) held = false;
    }
    if (held) nStrict++;
  }
  return { perf: nCorrect / B, perfStrict: nStrict / B, correct };
}
