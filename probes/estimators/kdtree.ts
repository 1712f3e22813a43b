import { insertNeighbour } from './kBest.js';
import { countAround, sortedAxis } from './sortedAxis.js';

/**
 * A kd-tree under the max-norm (L-infinity), the metric of the Kraskov estimators: exact k nearest
 * neighbours and exact range counts. Distances are computed as max_k |a_k - b_k|, exactly as a
 * brute-force scan would, so tree and brute force agree to the last bit.
 */

const LEAF = 12;

export class MaxNormTree {
  readonly n: number;
  readonly d: number;
  private readonly pts: Float64Array;
  /** Point indices, permuted so each node owns a contiguous range. */
  private readonly idx: Int32Array;
  // node arrays (a node is an index into these); built as JS arrays, then frozen into typed arrays
  private start: Int32Array;
  private end: Int32Array;
  private left: Int32Array;
  private right: Int32Array;
  private lo: Float64Array; // bounding boxes, d per node
  private hi: Float64Array;
  /** Coordinates in tree order: a leaf's points are contiguous. */
  private ord: Float64Array;
  private b = { start: [] as number[], end: [] as number[], left: [] as number[], right: [] as number[], lo: [] as number[], hi: [] as number[] };
  // k-NN scratch
  private bestD = new Float64Array(0);
  private bestI = new Int32Array(0);
  private kq = 0;

  constructor(data: Float64Array, n: number, d: number) {
    this.n = n;
    this.d = d;
    this.pts = data;
    this.idx = new Int32Array(n);
    for (let i = 0; i < n; i++) this.idx[i] = i;
    if (n > 0) this.build(0, n);
    this.start = Int32Array.from(this.b.start);
    this.end = Int32Array.from(this.b.end);
    this.left = Int32Array.from(this.b.left);
    this.right = Int32Array.from(this.b.right);
    this.lo = Float64Array.from(this.b.lo);
    this.hi = Float64Array.from(this.b.hi);
    this.b = { start: [], end: [], left: [], right: [], lo: [], hi: [] }; // release the build lists
    this.ord = new Float64Array(n * d);
    for (let m = 0; m < n; m++) this.ord.set(data.subarray(this.idx[m] * d, this.idx[m] * d + d), m * d);
  }

  private build(s: number, e: number): number {
    const bld = this.b;
    const node = bld.start.length;
    const { d, pts, idx } = this;
    bld.start.push(s);
    bld.end.push(e);
    bld.left.push(-1);
    bld.right.push(-1);
    let bestDim = 0;
    let bestSpread = -1;
    for (let k = 0; k < d; k++) {
      let mn = Infinity;
      let mx = -Infinity;
      for (let i = s; i < e; i++) {
        const v = pts[idx[i] * d + k];
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      bld.lo.push(mn);
      bld.hi.push(mx);
      if (mx - mn > bestSpread) {
        bestSpread = mx - mn;
        bestDim = k;
      }
    }
    if (e - s <= LEAF || bestSpread === 0) return node;
    const mid = (s + e) >>> 1;
    this.select(s, e - 1, mid, bestDim);
    const l = this.build(s, mid);
    const r = this.build(mid, e);
    bld.left[node] = l;
    bld.right[node] = r;
    return node;
  }

  /** Quickselect on idx[s..e] by coordinate `dim` so that idx[m] holds the m-th smallest. */
  private select(s: number, e: number, m: number, dim: number): void {
    const { idx, pts, d } = this;
    while (e > s) {
      const pv = pts[idx[(s + e) >>> 1] * d + dim];
      let i = s;
      let j = e;
      while (i <= j) {
        while (pts[idx[i] * d + dim] < pv) i++;
        while (pts[idx[j] * d + dim] > pv) j--;
        if (i <= j) {
          const t = idx[i];
          idx[i] = idx[j];
          idx[j] = t;
          i++;
          j--;
        }
      }
      if (m <= j) e = j;
      else if (m >= i) s = i;
      else return;
    }
  }

  /** L-inf distance from point q (row offset qo in qs) to the point at tree position m. */
  private dist(qs: Float64Array, qo: number, m: number): number {
    const d = this.d;
    const ord = this.ord;
    let r = 0;
    const po = m * d;
    for (let k = 0; k < d; k++) {
      const v = Math.abs(qs[qo + k] - ord[po + k]);
      if (v > r) r = v;
    }
    return r;
  }

  /** L-inf distance from q to a node's bounding box (0 inside). */
  private boxDist(node: number, qs: Float64Array, qo: number): number {
    const { d } = this;
    let m = 0;
    const b = node * d;
    for (let k = 0; k < d; k++) {
      const q = qs[qo + k];
      const v = q < this.lo[b + k] ? this.lo[b + k] - q : q > this.hi[b + k] ? q - this.hi[b + k] : 0;
      if (v > m) m = v;
    }
    return m;
  }

  /** Largest L-inf distance from q to any corner of a node's box. */
  private boxFar(node: number, qs: Float64Array, qo: number): number {
    const { d } = this;
    let m = 0;
    const b = node * d;
    for (let k = 0; k < d; k++) {
      const q = qs[qo + k];
      const v = Math.max(Math.abs(q - this.lo[b + k]), Math.abs(this.hi[b + k] - q));
      if (v > m) m = v;
    }
    return m;
  }

  /**
   * The k nearest neighbours of point `self` (excluded), as (distances ascending, indices).
   * Written into the given arrays (length >= k).
   */
  knn(self: number, k: number, outD: Float64Array, outI: Int32Array): void {
    if (this.bestD.length < k) {
      this.bestD = new Float64Array(k);
      this.bestI = new Int32Array(k);
    }
    this.bestD.fill(Infinity, 0, k);
    this.bestI.fill(-1, 0, k);
    this.kq = k;
    this.knnNode(0, this.pts, self * this.d, self);
    outD.set(this.bestD.subarray(0, k));
    outI.set(this.bestI.subarray(0, k));
  }

  private knnNode(node: number, qs: Float64Array, qo: number, self: number): void {
    const k = this.kq;
    const bd = this.bestD;
    if (this.boxDist(node, qs, qo) > bd[k - 1]) return;
    const l = this.left[node];
    if (l < 0) {
      for (let i = this.start[node]; i < this.end[node]; i++) {
        const p = this.idx[i];
        if (p === self) continue;
        const dd = this.dist(qs, qo, i);
        if (dd < bd[k - 1]) insertNeighbour(bd, this.bestI, k, dd, p);
      }
      return;
    }
    const r = this.right[node];
    const dl = this.boxDist(l, qs, qo);
    const dr = this.boxDist(r, qs, qo);
    if (dl <= dr) {
      this.knnNode(l, qs, qo, self);
      this.knnNode(r, qs, qo, self);
    } else {
      this.knnNode(r, qs, qo, self);
      this.knnNode(l, qs, qo, self);
    }
  }

  /** Number of points j != self with dist(self, j) < r (strict) or <= r (inclusive). */
  countWithin(self: number, r: number, strict: boolean): number {
    const c = this.countNode(0, this.pts, self * this.d, r, strict);
    // self is at distance 0: inside unless r = 0 with a strict comparison
    return strict && r <= 0 ? c : c - 1;
  }

  private countNode(node: number, qs: Float64Array, qo: number, r: number, strict: boolean): number {
    const near = this.boxDist(node, qs, qo);
    if (strict ? near >= r : near > r) return 0;
    const far = this.boxFar(node, qs, qo);
    if (strict ? far < r : far <= r) return this.end[node] - this.start[node];
    const l = this.left[node];
    if (l < 0) {
      let c = 0;
      for (let i = this.start[node]; i < this.end[node]; i++) {
        const dd = this.dist(qs, qo, i);
        if (strict ? dd < r : dd <= r) c++;
      }
      return c;
    }
    return this.countNode(l, qs, qo, r, strict) + this.countNode(this.right[node], qs, qo, r, strict);
  }
}

/**
 * Counting neighbours of scalar samples: values sorted once, then from each point's own position the
 * run of values within r is found by walking and galloping outward (counts are small next to n, so
 * this beats two full binary searches). Comparisons are |a - b| < r (or <=), exactly as a brute-force scan.
 */
class SortedCounter {
  readonly sorted: Float64Array;
  /** Position of sample i in `sorted`. */
  readonly rank: Int32Array;

  constructor(values: Float64Array) {
    ({ sorted: this.sorted, rank: this.rank } = sortedAxis(values));
  }

  /** #{j != i : |v_j - v_i| < r} (strict) or <= r, for sample i. */
  countAround(i: number, r: number, strict: boolean): number {
    return countAround(this.sorted, this.sorted.length, this.rank[i], r, strict);
  }
}

/** Counting neighbours within r of sample i in one variable: sorted values for a scalar, a kd-tree otherwise. */
interface NeighbourCounter {
  count(i: number, r: number, strict: boolean): number;
}

export function neighbourCounter(s: { n: number; d: number; data: Float64Array }): NeighbourCounter {
  if (s.d === 1) {
    const c = new SortedCounter(s.data);
    return { count: (i, r, strict) => c.countAround(i, r, strict) };
  }
  const t = new MaxNormTree(s.data, s.n, s.d);
  return { count: (i, r, strict) => t.countWithin(i, r, strict) };
}
