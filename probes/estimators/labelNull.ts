/**
 * Significance of per-neuron label MI over a neuron x time grid: binned codes of every column, and
 * the permutation null of each neuron's MAXIMUM over time (so that picking a neuron's peak out of T
 * time steps does not inflate the count). The R label permutations are shared by all neurons; a
 * permutation costs one pass of counting because every trial's bin is computed once.
 */
import { equalWidthBins } from './binning.js';
import { estRng, permutation } from './random.js';

/** Column of unit i at step t over trials, from hidden [T, B, N]. */
export function unitColumn(hidden: Float32Array, B: number, N: number, t: number, i: number, out: Float64Array): Float64Array {
  const base = t * B * N + i;
  for (let b = 0; b < B; b++) out[b] = hidden[base + b * N];
  return out;
}

/** Equal-width bin codes of every (neuron, time) column, laid out [N, T, B]. */
export function neuronBinCodes(hidden: Float32Array, T: number, B: number, N: number, bins: number): Uint8Array {
  const codes = new Uint8Array(N * T * B);
  const col = new Float64Array(B);
  for (let i = 0; i < N; i++) {
    for (let t = 0; t < T; t++) equalWidthBins(unitColumn(hidden, B, N, t, i, col), bins, codes, (i * T + t) * B);
  }
  return codes;
}

/** Max over time of binned MI for every neuron under R label permutations: [R, N]. */
export function maxOverTimeNull(codes: Uint8Array, labels: Int32Array, m: number, N: number, T: number, B: number, bins: number, R: number, seed: number): Float32Array {
  return bins === 2 ? maxOverTimeNull2(codes, labels, m, N, T, B, R, seed) : maxOverTimeNullCounts(codes, labels, m, N, T, B, bins, R, seed);
}

function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/**
 * The same null for two bins, bit-parallel: each column's codes are a bitset over trials, each
 * permuted label a bitset too, and the label-by-bin counts are popcounts of their intersections.
 */
function maxOverTimeNull2(codes: Uint8Array, labels: Int32Array, m: number, N: number, T: number, B: number, R: number, seed: number): Float32Array {
  const out = new Float32Array(R * N);
  const rng = estRng(`neuron-null/${seed}`);
  const W = Math.ceil(B / 32);
  const colBits = new Int32Array(N * T * W);
  const ones = new Int32Array(N * T);
  for (let c = 0; c < N * T; c++) {
    for (let b = 0; b < B; b++) {
      if (codes[c * B + b]) {
        colBits[c * W + (b >>> 5)] |= 1 << (b & 31);
        ones[c]++;
      }
    }
  }
  const labCount = new Int32Array(m);
  for (const l of labels) labCount[l]++;
  const plogpTable = new Float64Array(B + 1);
  for (let c = 1; c <= B; c++) plogpTable[c] = (c / B) * Math.log(c / B);
  let hS = 0;
  for (let s = 0; s < m; s++) hS -= plogpTable[labCount[s]];
  const masks = new Int32Array(m * W);
  for (let r = 0; r < R; r++) {
    const perm = permutation(B, rng);
    masks.fill(0);
    for (let b = 0; b < B; b++) {
      const l = labels[perm[b]];
      masks[l * W + (b >>> 5)] |= 1 << (b & 31);
    }
    for (let i = 0; i < N; i++) {
      let best = -Infinity;
      for (let t = 0; t < T; t++) {
        const c = i * T + t;
        const o = c * W;
        const n1 = ones[c];
        let hSB = 0;
        for (let s = 0; s < m; s++) {
          let k1 = 0;
          for (let w = 0; w < W; w++) k1 += popcount(colBits[o + w] & masks[s * W + w]);
          hSB -= plogpTable[k1] + plogpTable[labCount[s] - k1];
        }
        const mi = hS - plogpTable[n1] - plogpTable[B - n1] - hSB;
        if (mi > best) best = mi;
      }
      out[r * N + i] = best;
    }
  }
  return out;
}

/** General number of bins: a joint count table per column. */
function maxOverTimeNullCounts(codes: Uint8Array, labels: Int32Array, m: number, N: number, T: number, B: number, bins: number, R: number, seed: number): Float32Array {
  const out = new Float32Array(R * N);
  const rng = estRng(`neuron-null/${seed}`);
  const joint = new Int32Array(m * bins);
  const binCount = new Int32Array(bins);
  const labCount = new Int32Array(m);
  for (const l of labels) labCount[l]++;
  let hS = 0;
  for (let s = 0; s < m; s++) if (labCount[s] > 0) hS -= (labCount[s] / B) * Math.log(labCount[s] / B);
  // (c / B) ln(c / B) for every count c: no logarithm inside the permutation loop
  const plogpTable = new Float64Array(B + 1);
  for (let c = 1; c <= B; c++) plogpTable[c] = (c / B) * Math.log(c / B);
  const plogp = (c: number) => plogpTable[c];
  for (let r = 0; r < R; r++) {
    const perm = permutation(B, rng);
    const pl = Int32Array.from(perm, (p) => labels[p]);
    for (let i = 0; i < N; i++) {
      let best = -Infinity;
      for (let t = 0; t < T; t++) {
        const base = (i * T + t) * B;
        joint.fill(0);
        binCount.fill(0);
        for (let b = 0; b < B; b++) {
          const c = codes[base + b];
          joint[pl[b] * bins + c]++;
          binCount[c]++;
        }
        let hB = 0;
        for (let c = 0; c < bins; c++) hB -= plogp(binCount[c]);
        let hSB = 0;
        for (let q = 0; q < m * bins; q++) hSB -= plogp(joint[q]);
        const mi = hS + hB - hSB;
        if (mi > best) best = mi;
      }
      out[r * N + i] = best;
    }
  }
  return out;
}

