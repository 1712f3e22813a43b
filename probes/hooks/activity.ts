/** Slices of recorded activity as estimator inputs. */
import type { Samples } from '../estimators/types.js';
import { type KdeBound, kdeEntropyFromDistances, pairwiseSqDist } from '../estimators/kde.js';
import type { ProbeContext } from './types.js';

/** Rows = trials of a time-major [T, B, width] array at step t, as float64 samples. */
function sliceAt(arr: Float32Array, T: number, B: number, width: number, t: number): Samples {
  if (t < 0 || t >= T) throw new RangeError(`time step ${t} outside [0, ${T})`);
  return { n: B, d: width, data: Float64Array.from(arr.subarray(t * B * width, (t + 1) * B * width)) };
}

export function hiddenAt(ctx: ProbeContext, t: number): Samples {
  const a = ctx.activity;
  return memo(ctx, `hidden/${t}`, () => sliceAt(a.hidden, a.T, a.B, a.N, t));
}

export function outputAt(ctx: ProbeContext, t: number): Samples {
  const a = ctx.activity;
  return memo(ctx, `output/${t}`, () => sliceAt(a.output, a.T, a.B, a.nOut, t));
}

export function inputAt(ctx: ProbeContext, t: number): Samples {
  const b = ctx.batch;
  return sliceAt(b.x, b.T, b.B, b.nIn, t);
}

/** Pairwise squared distances of the hidden state at t, computed once per probe pass. */
export function hiddenDistances(ctx: ProbeContext, t: number): Float64Array {
  return memo(ctx, `hiddenDist/${t}`, () => (ctx.sqDist ?? pairwiseSqDist)(hiddenAt(ctx, t)));
}

export function memo<T>(ctx: ProbeContext, key: string, make: () => T): T {
  if (!ctx.memo.has(key)) ctx.memo.set(key, make());
  return ctx.memo.get(key) as T;
}

/** Trial indices grouped by label. */
export function labelGroups(ctx: ProbeContext): number[][] {
  return memo(ctx, 'labelGroups', () => {
    const g = new Map<number, number[]>();
    ctx.labels.forEach((l, i) => {
      if (!g.has(l)) g.set(l, []);
      (g.get(l) as number[]).push(i);
    });
    return [...g.values()];
  });
}

/** KT entropy bound of the hidden state at t (memoised: layer and infoplane hooks share it). */
export function hiddenEntropy(ctx: ProbeContext, t: number, noiseVar: number, bound: KdeBound): number {
  const { B, N } = ctx.activity;
  return memo(ctx, `hiddenH/${t}/${noiseVar}/${bound}`, () => kdeEntropyFromDistances(hiddenDistances(ctx, t), B, N, noiseVar, bound));
}

/** sum_y p(y) H(T | Y = y) for the hidden state at t. */
export function hiddenConditionalEntropy(ctx: ProbeContext, t: number, noiseVar: number, bound: KdeBound, groups: number[][]): number {
  const { B, N } = ctx.activity;
  return memo(ctx, `hiddenHgivenS/${t}/${noiseVar}/${bound}`, () => {
    const dist = hiddenDistances(ctx, t);
    let c = 0;
    for (const g of groups) c += (g.length / B) * kdeEntropyFromDistances(dist, B, N, noiseVar, bound, g);
    return c;
  });
}

/**
 * The KT entropy of the hidden state at t, and its label-conditional, on a subset of the trials
 * (the reliability ladder's parts), from the memoised distances: [H(T), sum_y p(y) H(T | y)].
 */
export function hiddenEntropiesOnRows(ctx: ProbeContext, t: number, noiseVar: number, bound: KdeBound, groups: number[][], rows: Int32Array): [number, number] {
  const { B, N } = ctx.activity;
  const dist = hiddenDistances(ctx, t);
  const member = new Uint8Array(B);
  for (const i of rows) member[i] = 1;
  const idx = Array.from(rows);
  let cond = 0;
  for (const g of groups) {
    const inRows = g.filter((i) => member[i] === 1);
    if (inRows.length > 0) cond += (inRows.length / idx.length) * kdeEntropyFromDistances(dist, B, N, noiseVar, bound, inRows);
  }
  return [kdeEntropyFromDistances(dist, B, N, noiseVar, bound, idx), cond];
}
