/**
 * Binned (plug-in) MI with an optional Miller-Madow correction (docs/estimators.md, sections 3 and 4).
 * Each continuous column is cut into `bins` bins over its observed range (equal width) or at its
 * quantiles (equal frequency); a multi-dimensional variable becomes one symbol per distinct vector
 * of bin indices (hashed, no dense table). Labels are symbols already.
 */
import { upperBound } from './special.js';
import type { Labels, Samples } from './types.js';

export type BinStrategy = 'equal-width' | 'equal-frequency';

/**
 * Equal-width bins over the observed range of `values`: out[offset + i] = bin of values[i]. A
 * constant column (no width to cut) gets bin 0 everywhere and the function returns false. The one
 * implementation of equal-width binning: binColumns, the label-column fast path and the neuron
 * probe's permutation null all use it.
 */
export function equalWidthBins(values: ArrayLike<number>, bins: number, out: { [i: number]: number }, offset = 0): boolean {
  const n = values.length;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const w = (hi - lo) / bins;
  if (!(w > 0)) {
    for (let i = 0; i < n; i++) out[offset + i] = 0;
    return false;
  }
  for (let i = 0; i < n; i++) out[offset + i] = Math.min(bins - 1, Math.floor((values[i] - lo) / w));
  return true;
}

/** Bin index of every entry, column by column. */
function binColumns(s: Samples, bins: number, strategy: BinStrategy): Int32Array {
  const { n, d, data } = s;
  const out = new Int32Array(n * d);
  const col = new Float64Array(n);
  const codes = new Int32Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) col[i] = data[i * d + j];
    if (strategy === 'equal-width') {
      equalWidthBins(col, bins, codes);
      for (let i = 0; i < n; i++) out[i * d + j] = codes[i];
    } else {
      const sorted = Float64Array.from(col).sort();
      // edges at the 1/bins, 2/bins, ... quantiles
      const edges = new Float64Array(bins - 1);
      for (let b = 1; b < bins; b++) edges[b - 1] = sorted[Math.min(n - 1, Math.floor((b * n) / bins))];
      // bin = number of edges <= v, so equal values always land in the same bin
      for (let i = 0; i < n; i++) out[i * d + j] = upperBound(edges, col[i]);
    }
  }
  return out;
}

/** One symbol id per sample for the vectors of bin indices (or labels). Returns ids and the count of distinct symbols. */
function symbolize(codes: Int32Array, n: number, d: number): { ids: Int32Array; states: number } {
  const ids = new Int32Array(n);
  if (d === 1) {
    const map = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      let id = map.get(codes[i]);
      if (id === undefined) map.set(codes[i], (id = map.size));
      ids[i] = id;
    }
    return { ids, states: map.size };
  }
  // Vectors: a 52-bit hash of the code vector picks a bucket, and an exact comparison with the
  // bucket's members settles collisions, so two different vectors are never merged.
  const buckets = new Map<number, number[]>(); // hash -> representative rows
  const repId: number[] = [];
  let states = 0;
  for (let i = 0; i < n; i++) {
    let h1 = 0x811c9dc5 | 0;
    let h2 = 0x01000193 | 0;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      h1 = Math.imul(h1 ^ codes[o + j], 0x01000193);
      h2 = Math.imul(h2 ^ (codes[o + j] + j), 0x5bd1e995);
    }
    const key = (h1 >>> 0) * 1048576 + (h2 >>> 12);
    let reps = buckets.get(key);
    if (!reps) buckets.set(key, (reps = []));
    let found = -1;
    for (const r of reps) {
      let eq = true;
      for (let j = 0; j < d && eq; j++) eq = codes[r * d + j] === codes[o + j];
      if (eq) {
        found = repId[r];
        break;
      }
    }
    if (found < 0) {
      found = states++;
      reps.push(i);
    }
    repId[i] = found;
    ids[i] = found;
  }
  return { ids, states };
}

function entropyOfCounts(counts: Map<number, number> | Int32Array, n: number): { h: number; occupied: number } {
  let h = 0;
  let occupied = 0;
  const add = (c: number) => {
    if (c > 0) {
      occupied++;
      h -= (c / n) * Math.log(c / n);
    }
  };
  if (counts instanceof Map) counts.forEach(add);
  else counts.forEach(add);
  return { h, occupied };
}

interface BinnedMI {
  plugin: number;
  millerMadow: number;
  statesA: number;
  statesB: number;
  statesAB: number;
}

/** Plug-in and Miller-Madow MI between two symbol sequences. */
export function symbolMI(a: Int32Array, na: number, b: Int32Array, nb: number): BinnedMI {
  const n = a.length;
  const ca = new Int32Array(na);
  const cb = new Int32Array(nb);
  const cab = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    ca[a[i]]++;
    cb[b[i]]++;
    const key = a[i] * nb + b[i];
    cab.set(key, (cab.get(key) ?? 0) + 1);
  }
  const ha = entropyOfCounts(ca, n);
  const hb = entropyOfCounts(cb, n);
  const hab = entropyOfCounts(cab, n);
  const plugin = ha.h + hb.h - hab.h;
  const millerMadow = plugin - (hab.occupied - ha.occupied - hb.occupied + 1) / (2 * n);
  return { plugin, millerMadow, statesA: ha.occupied, statesB: hb.occupied, statesAB: hab.occupied };
}

export function symbolsOf(v: Samples | Labels, bins: number, strategy: BinStrategy): { ids: Int32Array; states: number } {
  if (v instanceof Int32Array) return symbolize(v, v.length, 1);
  return symbolize(binColumns(v, bins, strategy), v.n, v.d);
}
