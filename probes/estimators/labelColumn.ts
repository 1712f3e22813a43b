/**
 * Fast paths for the question the neuron probe asks N x T times: how much does one scalar column
 * (a unit's rate at one time step, over trials) tell about a discrete label (the stimulus)?
 * Same estimators as binning.ts and mixed.ts, specialised to a scalar and labels 0..m-1, with no
 * per-call allocation beyond a few small arrays: about 10-20 us per column at n = 200.
 */
import { equalWidthBins } from './binning.js';
import { digammaTable } from './special.js';

/** Bin codes of the column being counted, kept between calls (the neuron probe makes N x T of them). */
let codeScratch = new Int32Array(0);

interface LabelInfo {
  labels: Int32Array;
  /** Number of label values (labels are 0..m-1). */
  m: number;
  /** Samples per label. */
  counts: Int32Array;
}

export function labelInfo(labels: Int32Array): LabelInfo {
  let m = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] < 0 || !Number.isInteger(labels[i])) throw new RangeError('labels must be integers >= 0');
    m = Math.max(m, labels[i] + 1);
  }
  const counts = new Int32Array(m);
  for (let i = 0; i < labels.length; i++) counts[labels[i]]++;
  return { labels, m, counts };
}

/**
 * Plug-in I(S; B) with B the column cut into `bins` equal-width bins over its observed range
 * (a constant column carries 0). Optional Miller-Madow correction.
 */
export function binnedLabelMI(values: ArrayLike<number>, info: LabelInfo, bins: number, millerMadow = false, scratch = new Int32Array(info.m * bins)): number {
  const n = values.length;
  if (codeScratch.length < n) codeScratch = new Int32Array(n);
  if (!equalWidthBins(values, bins, codeScratch)) return 0;
  const joint = scratch;
  joint.fill(0, 0, info.m * bins);
  for (let i = 0; i < n; i++) joint[info.labels[i] * bins + codeScratch[i]]++;
  let hB = 0;
  let hSB = 0;
  let occB = 0;
  let occSB = 0;
  for (let b = 0; b < bins; b++) {
    let c = 0;
    for (let s = 0; s < info.m; s++) {
      const cs = joint[s * bins + b];
      c += cs;
      if (cs > 0) {
        occSB++;
        hSB -= (cs / n) * Math.log(cs / n);
      }
    }
    if (c > 0) {
      occB++;
      hB -= (c / n) * Math.log(c / n);
    }
  }
  let hS = 0;
  let occS = 0;
  for (let s = 0; s < info.m; s++) {
    if (info.counts[s] > 0) {
      occS++;
      hS -= (info.counts[s] / n) * Math.log(info.counts[s] / n);
    }
  }
  const plugin = hS + hB - hSB;
  return millerMadow ? plugin - (occSB - occB - occS + 1) / (2 * n) : plugin;
}

let psiCache = digammaTable(1024);
function psiTable(n: number): Float64Array {
  if (psiCache.length <= n + 1) psiCache = digammaTable(2 * n + 2);
  return psiCache;
}

/**
 * Gao et al. (2017) mixed KSG between a scalar column and labels (0 / infinity metric on labels),
 * exactly as mixedKsgRaw computes it for d = 1: per point the k-th same-label neighbour distance rho
 * (k capped at the label's count - 1; labels seen once are skipped); ties (rho = 0) counted
 * explicitly. Returns nats.
 */
export function mixedLabelMI(values: ArrayLike<number>, info: LabelInfo, k: number): number {
  const n = values.length;
  const psi = psiTable(n);
  // Per-label runs sorted by insertion (runs are short: n / m values), then merged into the global
  // order; a comparator sort of indices costs several times more at these sizes.
  const m = info.m;
  const start = new Int32Array(m + 1);
  for (let s = 0; s < m; s++) start[s + 1] = start[s] + info.counts[s];
  const fill = start.slice(0, m);
  const byLabel = new Float64Array(n);
  for (let i = 0; i < n; i++) byLabel[fill[info.labels[i]]++] = values[i];
  for (let s = 0; s < m; s++) {
    for (let q = start[s] + 1; q < start[s + 1]; q++) {
      const v = byLabel[q];
      let j = q - 1;
      while (j >= start[s] && byLabel[j] > v) {
        byLabel[j + 1] = byLabel[j];
        j--;
      }
      byLabel[j + 1] = v;
    }
  }
  const sorted = new Float64Array(n);
  const rankAll = new Int32Array(n); // position in `sorted` of the value at byLabel position q
  const head = start.slice(0, m);
  for (let p = 0; p < n; p++) {
    let best = -1;
    let bv = Infinity;
    for (let s = 0; s < m; s++) {
      if (head[s] < start[s + 1] && (best < 0 || byLabel[head[s]] < bv)) {
        best = s;
        bv = byLabel[head[s]];
      }
    }
    sorted[p] = bv;
    rankAll[head[best]++] = p;
  }
  // Length of the run of equal values each position belongs to (globally and within a label's run),
  // so that tie counts are O(1): rectified units put many exact zeros in one column.
  const runAll = equalRuns(sorted, 0, n, new Int32Array(n));
  const runLabel = new Int32Array(n);
  for (let s = 0; s < m; s++) equalRuns(byLabel, start[s], start[s + 1], runLabel);
  const lnN = Math.log(n);
  let acc = 0;
  let used = 0;
  for (let s = 0; s < m; s++) {
    const a = start[s];
    const b = start[s + 1];
    const cnt = b - a;
    if (cnt < 2) continue;
    const kk = k < cnt - 1 ? k : cnt - 1;
    for (let q = a; q < b; q++) {
      const v = byLabel[q];
      // k-th nearest same-label neighbour: merge outward from q
      let l = q - 1;
      let r = q + 1;
      let rho = 0;
      for (let t = 0; t < kk; t++) {
        const dl = l >= a ? v - byLabel[l] : Infinity;
        const dr = r < b ? byLabel[r] - v : Infinity;
        if (dl <= dr) {
          rho = dl;
          l--;
        } else {
          rho = dr;
          r++;
        }
      }
      const p = rankAll[q];
      used++;
      if (rho === 0) {
        // ties: same-label points with the same value (self included), and all points with it
        acc += psi[runLabel[q]] + lnN - psi[runAll[p]] - psi[cnt];
      } else {
        // all points strictly closer than rho (self included), scanning out from the point's rank
        let nx = 1;
        for (let j = p - 1; j >= 0 && v - sorted[j] < rho; j--) nx++;
        for (let j = p + 1; j < n && sorted[j] - v < rho; j++) nx++;
        acc += psi[kk] + lnN - psi[nx] - psi[cnt];
      }
    }
  }
  return used > 0 ? acc / used : 0;
}

/** out[p] = length of the run of values equal to a[p] within a[from, to) (a sorted there). */
function equalRuns(a: Float64Array, from: number, to: number, out: Int32Array): Int32Array {
  let r = from;
  while (r < to) {
    let e = r + 1;
    while (e < to && a[e] === a[r]) e++;
    for (let j = r; j < e; j++) out[j] = e - r;
    r = e;
  }
  return out;
}

/** Max-norm distances between the rows of an [n x d] matrix (symmetric [n x n]). */
export function pairwiseMaxDist(data: Float64Array, n: number, d: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const oi = i * d;
    for (let j = i + 1; j < n; j++) {
      const oj = j * d;
      let m = 0;
      for (let q = 0; q < d; q++) {
        const v = Math.abs(data[oi + q] - data[oj + q]);
        if (v > m) m = v;
      }
      out[i * n + j] = m;
      out[j * n + i] = m;
    }
  }
  return out;
}

/**
 * Gao et al. mixed KSG between a vector variable and labels from its max-norm distance matrix:
 * the same estimate as mixedKsgRaw(x, labels, k), for when the matrix is shared (a layer's state
 * at one time step).
 */
export function mixedLabelMIFromDistances(dist: Float64Array, n: number, info: LabelInfo, k: number): number {
  const psi = psiTable(n);
  const lnN = Math.log(n);
  const { labels, counts } = info;
  const same: number[] = [];
  let acc = 0;
  let used = 0;
  for (let i = 0; i < n; i++) {
    const cnt = counts[labels[i]];
    if (cnt < 2) continue;
    const kk = k < cnt - 1 ? k : cnt - 1;
    same.length = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) if (j !== i && labels[j] === labels[i]) same.push(dist[row + j]);
    same.sort((a, b) => a - b);
    const rho = same[kk - 1];
    used++;
    if (rho === 0) {
      let kt = 1;
      for (const v of same) if (v === 0) kt++;
      let nx = 1;
      for (let j = 0; j < n; j++) if (j !== i && dist[row + j] === 0) nx++;
      acc += psi[kt] + lnN - psi[nx] - psi[cnt];
    } else {
      let nx = 1;
      for (let j = 0; j < n; j++) if (j !== i && dist[row + j] < rho) nx++;
      acc += psi[kk] + lnN - psi[nx] - psi[cnt];
    }
  }
  return used > 0 ? acc / used : 0;
}
