/** Trials [from, to) of a time-major batch, as a batch of its own (copies; time-major layout kept). */
import type { TrialBatch } from '../../src/core/contracts.js';

function rows(src: Float32Array, T: number, B: number, width: number, from: number, to: number): Float32Array {
  const n = to - from;
  const out = new Float32Array(T * n * width);
  for (let t = 0; t < T; t++) out.set(src.subarray((t * B + from) * width, (t * B + to) * width), t * n * width);
  return out;
}

export function sliceTrials(batch: TrialBatch, from: number, to: number): TrialBatch {
  const { T, B, nIn, nOut } = batch;
  if (!(0 <= from && from < to && to <= B)) throw new RangeError(`trial range [${from}, ${to}) is outside a batch of ${B}`);
  return {
    ...batch,
    B: to - from,
    x: rows(batch.x, T, B, nIn, from, to),
    y: rows(batch.y, T, B, nOut, from, to),
    cMask: rows(batch.cMask, T, B, nOut, from, to),
    stimDir: batch.stimDir.slice(from, to),
    stimDir2: batch.stimDir2.slice(from, to),
    strength: batch.strength.slice(4 * from, 4 * to),
    respDir: batch.respDir.slice(from, to),
    respond: batch.respond.slice(from, to),
    modality: batch.modality.slice(from, to),
    dirIndex: batch.dirIndex.slice(from, to),
    gridIndex: batch.gridIndex.slice(from, to),
    match: batch.match.slice(from, to),
    category: batch.category.slice(2 * from, 2 * to),
  };
}
