/**
 * Discrete-continuous and mixed estimators (docs/estimators.md, section 3).
 *
 * Ross (2014): I(S; C) for discrete labels S and continuous C,
 *   psi(N) - <psi(N_s)> + <psi(k_i)> - <psi(m_i)>, with k_i = min(k, N_s - 1), d_i the k_i-th
 *   same-label neighbour distance and m_i = #{j != i : |c_j - c_i| < d_i} + 1 (the +1 is the
 *   boundary neighbour; scikit-learn's convention). Labels seen once are dropped, as scikit-learn does.
 *
 * Gao, Kannan, Oh, Viswanath (2017) mixed KSG: handles point masses (ReLU zeros, saturation):
 *   < psi(k~_i) + ln N - psi(n_x,i) - psi(n_y,i) >, where rho_i is the k-th joint neighbour
 *   distance; if rho_i = 0, k~_i counts the ties and n_x, n_y count equal values (self included),
 *   else k~_i = k and n_x, n_y count points strictly closer than rho_i (self included). A label
 *   variable uses the 0 / infinity metric (same label or not).
 */
import { MaxNormTree, neighbourCounter } from './kdtree.js';
import { hstack } from './preprocess.js';
import { digamma, digammaTable } from './special.js';
import type { Labels, Samples } from './types.js';

/** Groups of sample indices by label. */
export function groupByLabel(labels: Labels): Map<number, number[]> {
  const g = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    let a = g.get(l);
    if (!a) g.set(l, (a = []));
    a.push(i);
  }
  return g;
}

function rowsOf(s: Samples, idx: number[]): Samples {
  const out = new Float64Array(idx.length * s.d);
  idx.forEach((r, i) => out.set(s.data.subarray(r * s.d, (r + 1) * s.d), i * s.d));
  return { n: idx.length, d: s.d, data: out };
}

/** Per point: distance to its k_i-th same-label neighbour (k_i = min(k, N_s - 1)), and k_i. */
function sameLabelRadii(labels: Labels, c: Samples, k: number, keep: Uint8Array): { radius: Float64Array; ki: Int32Array } {
  const radius = new Float64Array(c.n);
  const ki = new Int32Array(c.n);
  for (const idx of groupByLabel(labels).values()) {
    if (idx.length < 2) continue;
    const sub = rowsOf(c, idx);
    const kk = Math.min(k, idx.length - 1);
    const tree = new MaxNormTree(sub.data, sub.n, sub.d);
    const dist = new Float64Array(kk);
    const nb = new Int32Array(kk);
    idx.forEach((orig, local) => {
      tree.knn(local, kk, dist, nb);
      radius[orig] = dist[kk - 1];
      ki[orig] = kk;
      keep[orig] = 1;
    });
  }
  return { radius, ki };
}

export function rossRaw(labels: Labels, c: Samples, k: number): number {
  const keep = new Uint8Array(c.n);
  const { radius, ki } = sameLabelRadii(labels, c, k, keep);
  const idx: number[] = [];
  for (let i = 0; i < c.n; i++) if (keep[i]) idx.push(i);
  const n = idx.length;
  if (n < 2) return 0;
  // Counting runs over the kept points only (labels seen once are dropped entirely).
  const kept = rowsOf(c, idx);
  const counter = neighbourCounter(kept);
  const groups = groupByLabel(Int32Array.from(idx.map((i) => labels[i])));
  const classSize = new Map<number, number>([...groups].map(([l, a]) => [l, a.length]));
  const psi = digammaTable(n + 1);
  let sNs = 0;
  let sK = 0;
  let sM = 0;
  idx.forEach((orig, local) => {
    sNs += psi[classSize.get(labels[orig]) as number];
    sK += psi[ki[orig]];
    sM += psi[counter.count(local, radius[orig], true) + 1];
  });
  return psi[n] - sNs / n + sK / n - sM / n;
}

/** Gao et al. mixed KSG between x and y (samples, or labels with the 0 / infinity metric). */
export function mixedKsgRaw(x: Samples, y: Samples | Labels, k: number): number {
  const n = x.n;
  const lnN = Math.log(n);
  let acc = 0;
  const cx = neighbourCounter(x);
  if (y instanceof Int32Array) {
    const keep = new Uint8Array(n);
    const { radius, ki } = sameLabelRadii(y, x, k, keep);
    const size = new Map<number, number>([...groupByLabel(y)].map(([l, a]) => [l, a.length]));
    let used = 0;
    for (let i = 0; i < n; i++) {
      if (!keep[i]) continue;
      used++;
      const ny = size.get(y[i]) as number; // same label = distance 0 < rho; other labels are infinitely far
      const rho = radius[i];
      if (rho === 0) {
        // ties: points with the same label and the same x
        const tiesJoint = sameLabelTies(x, y, i) + 1;
        acc += digamma(tiesJoint) + lnN - digamma(cx.count(i, 0, false) + 1) - digamma(ny);
      } else {
        acc += digamma(ki[i]) + lnN - digamma(cx.count(i, rho, true) + 1) - digamma(ny);
      }
    }
    return used > 0 ? acc / used : 0;
  }
  const joint = hstack(x, y);
  const tree = new MaxNormTree(joint.data, n, joint.d);
  const cy = neighbourCounter(y);
  const dist = new Float64Array(k);
  const nb = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    tree.knn(i, k, dist, nb);
    const rho = dist[k - 1];
    if (rho === 0) {
      const kt = tree.countWithin(i, 0, false) + 1;
      acc += digamma(kt) + lnN - digamma(cx.count(i, 0, false) + 1) - digamma(cy.count(i, 0, false) + 1);
    } else {
      acc += digamma(k) + lnN - digamma(cx.count(i, rho, true) + 1) - digamma(cy.count(i, rho, true) + 1);
    }
  }
  return acc / n;
}

function sameLabelTies(x: Samples, y: Labels, i: number): number {
  let c = 0;
  const d = x.d;
  for (let j = 0; j < x.n; j++) {
    if (j === i || y[j] !== y[i]) continue;
    let same = true;
    for (let q = 0; q < d && same; q++) same = x.data[j * d + q] === x.data[i * d + q];
    if (same) c++;
  }
  return c;
}
