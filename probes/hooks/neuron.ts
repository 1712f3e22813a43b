/**
 * Per-neuron MI with the stimulus, I(S; h_i(t)), for every unit i and time step t: an [N, T] matrix
 * per estimator (arrays/step-<n>-neuron-<estimator>.npy), each neuron's peak time and peak MI
 * (arrays/step-<n>-neuron-<estimator>-peak.npy, [N, 2]: time step, nats), and a summary record.
 *
 * Significance (binning): R label permutations, shared by all neurons; for each, the MAXIMUM over
 * time of the permuted MI, so that picking each neuron's peak out of T time steps does not inflate
 * the count; p_i = (1 + #{max_perm >= peak_i}) / (1 + R), significant if p_i < 0.05. The bin of every
 * trial is computed once, so a permutation costs one pass of counting.
 */
import { binnedLabelMI, labelInfo, mixedLabelMI } from '../estimators/labelColumn.js';
import { estRng, permutation } from '../estimators/random.js';
import { quantile } from '../estimators/special.js';
import type { ProbeArray, ProbeContext, ProbeHook, ProbeOutput, ProbeRecord } from './types.js';

export interface NeuronOptions {
  bins: number;
  k: number;
  /** Permutations of the max-over-time null (binning). */
  permutations: number;
  alpha: number;
}

export const neuronDefaults: NeuronOptions = { bins: 2, k: 3, permutations: 50, alpha: 0.05 };

/** Column of unit i at step t over trials, from hidden [T, B, N]. */
function column(hidden: Float32Array, B: number, N: number, t: number, i: number, out: Float64Array): Float64Array {
  const base = t * B * N + i;
  for (let b = 0; b < B; b++) out[b] = hidden[base + b * N];
  return out;
}

/** Peak time (first maximum) and peak value of each row of an [N, T] matrix. */
export function peaks(mi: Float32Array, N: number, T: number): { time: Int32Array; value: Float32Array } {
  const time = new Int32Array(N);
  const value = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    let best = -Infinity;
    for (let t = 0; t < T; t++) {
      const v = mi[i * T + t];
      if (v > best) {
        best = v;
        time[i] = t;
      }
    }
    value[i] = best;
  }
  return { time, value };
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

/** Max over time of binned MI for every neuron under R label permutations. */
function maxOverTimeNull(codes: Uint8Array, labels: Int32Array, m: number, N: number, T: number, B: number, bins: number, R: number, seed: number): Float32Array {
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

export const neuronHook: ProbeHook = {
  name: 'neuron',
  description: 'I(S; h_i(t)) for every neuron and time step, peaks, and how many neurons beat their permutation null',
  estimators: ['binning', 'mixed'],
  defaultEstimators: ['binning', 'mixed'],
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const o = { ...neuronDefaults, ...(options as Partial<NeuronOptions>) };
    const { T, B, N, hidden } = ctx.activity;
    const info = labelInfo(ctx.labels);
    const col = new Float64Array(B);
    const scratch = new Int32Array(info.m * o.bins);
    const records: ProbeRecord[] = [];
    const arrays: ProbeArray[] = [];
    let significant: Uint8Array | null = null;

    for (const est of estimators) {
      const mi = new Float32Array(N * T);
      for (let t = 0; t < T; t++) {
        for (let i = 0; i < N; i++) {
          column(hidden, B, N, t, i, col);
          mi[i * T + t] = est === 'binning' ? binnedLabelMI(col, info, o.bins, false, scratch) : mixedLabelMI(col, info, o.k);
        }
      }
      const pk = peaks(mi, N, T);
      arrays.push({ name: `neuron-${est}`, data: mi, shape: [N, T] });
      const peakArr = new Float32Array(2 * N);
      for (let i = 0; i < N; i++) {
        peakArr[2 * i] = pk.time[i];
        peakArr[2 * i + 1] = pk.value[i];
      }
      arrays.push({ name: `neuron-${est}-peak`, data: peakArr, shape: [N, 2] });
      const params: ProbeRecord['params'] = est === 'binning' ? { bins: o.bins, strategy: 'equal-width', range: 'observed per neuron and step' } : { k: o.k };

      let nullMean = NaN;
      if (est === 'binning') {
        // bin codes once, then the permutation null of the max over time
        const codes = new Uint8Array(N * T * B);
        for (let i = 0; i < N; i++) {
          for (let t = 0; t < T; t++) {
            column(hidden, B, N, t, i, col);
            let lo = Infinity;
            let hi = -Infinity;
            for (let b = 0; b < B; b++) {
              lo = Math.min(lo, col[b]);
              hi = Math.max(hi, col[b]);
            }
            const w = (hi - lo) / o.bins;
            for (let b = 0; b < B; b++) codes[(i * T + t) * B + b] = w > 0 ? Math.min(o.bins - 1, Math.floor((col[b] - lo) / w)) : 0;
          }
        }
        const nul = o.bins === 2 ? maxOverTimeNull2(codes, ctx.labels, info.m, N, T, B, o.permutations, ctx.seed) : maxOverTimeNull(codes, ctx.labels, info.m, N, T, B, o.bins, o.permutations, ctx.seed);
        significant = new Uint8Array(N);
        let sum = 0;
        for (let i = 0; i < N; i++) {
          let above = 0;
          for (let r = 0; r < o.permutations; r++) {
            if (nul[r * N + i] >= pk.value[i]) above++;
            sum += nul[r * N + i];
          }
          if ((1 + above) / (1 + o.permutations) < o.alpha) significant[i] = 1;
        }
        nullMean = sum / (N * o.permutations);
      }
      // peak-time statistics over the neurons significant by the binning null (all neurons if none was computed)
      const times: number[] = [];
      for (let i = 0; i < N; i++) if (!significant || significant[i]) times.push(pk.time[i]);
      times.sort((a, b) => a - b);
      const nSig = significant ? significant.reduce((a, b) => a + b, 0) : NaN;
      records.push({
        step: ctx.step,
        hook: 'neuron',
        estimator: est,
        quantity: 'summary',
        value: nSig,
        ...(est === 'binning' ? { null: { mean: nullMean, p: o.alpha, permutations: o.permutations } } : {}),
        params: {
          ...params,
          neurons: N,
          timeSteps: T,
          significance: significant ? `max-over-time label-permutation null (binning), p < ${o.alpha}` : 'none',
          peakTimeMedian: times.length ? quantile(times, 0.5) : NaN,
          peakTimeIqr: times.length ? quantile(times, 0.75) - quantile(times, 0.25) : NaN,
          peakMiMedian: quantile(Array.from(pk.value).sort((a, b) => a - b), 0.5),
        },
      });
    }
    return { records, arrays };
  },
};
