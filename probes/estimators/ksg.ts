/**
 * Kraskov-Stoegbauer-Grassberger (2004) estimators of I(X; Y) for continuous X and Y, max-norm in
 * every space (formula sheet: ../shared/estimators.md section 2).
 *
 *   KSG-1: psi(k) + psi(N) - < psi(n_x + 1) + psi(n_y + 1) >, n counted strictly inside eps_i
 *   KSG-2: psi(k) - 1/k + psi(N) - < psi(n_x) + psi(n_y) >,   n counted inclusively in eps_x(i), eps_y(i)
 *
 * Neighbour search: a max-norm kd-tree in the joint space, and for the marginals binary search on
 * sorted values (1-D) or a kd-tree (several dimensions); O(N log N) in low dimension.
 */
import { MaxNormTree, SortedCounter } from './kdtree.js';
import { hstack } from './preprocess.js';
import { digammaTable } from './special.js';
import type { Samples } from './types.js';

interface MarginalCounter {
  count(i: number, r: number, strict: boolean): number;
}

function marginalCounter(s: Samples): MarginalCounter {
  if (s.d === 1) {
    const c = new SortedCounter(s.data);
    return { count: (i, r, strict) => c.countWithin(s.data[i], r, strict) };
  }
  const t = new MaxNormTree(s.data, s.n, s.d);
  return { count: (i, r, strict) => t.countWithin(i, r, strict) };
}

function maxNormRow(s: Samples, i: number, j: number): number {
  let m = 0;
  for (let k = 0; k < s.d; k++) {
    const v = Math.abs(s.data[i * s.d + k] - s.data[j * s.d + k]);
    if (v > m) m = v;
  }
  return m;
}

/** KSG on data as given (no scaling, no jitter). */
export function ksgRaw(x: Samples, y: Samples, k: number, algorithm: 1 | 2): number {
  const n = x.n;
  const joint = hstack(x, y);
  const tree = new MaxNormTree(joint.data, n, joint.d);
  const cx = marginalCounter(x);
  const cy = marginalCounter(y);
  const psi = digammaTable(n + 1);
  const dist = new Float64Array(k);
  const nb = new Int32Array(k);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    tree.knn(i, k, dist, nb);
    if (algorithm === 1) {
      const eps = dist[k - 1];
      acc += psi[cx.count(i, eps, true) + 1] + psi[cy.count(i, eps, true) + 1];
    } else {
      let ex = 0;
      let ey = 0;
      for (let m = 0; m < k; m++) {
        ex = Math.max(ex, maxNormRow(x, i, nb[m]));
        ey = Math.max(ey, maxNormRow(y, i, nb[m]));
      }
      acc += psi[cx.count(i, ex, false)] + psi[cy.count(i, ey, false)];
    }
  }
  const base = algorithm === 1 ? psi[k] + psi[n] : psi[k] - 1 / k + psi[n];
  return base - acc / n;
}
