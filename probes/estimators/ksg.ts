/**
 * Kraskov-Stoegbauer-Grassberger (2004) estimators of I(X; Y) for continuous X and Y, max-norm in
 * every space (docs/estimators.md, section 2).
 *
 *   KSG-1: psi(k) + psi(N) - < psi(n_x + 1) + psi(n_y + 1) >, n counted strictly inside eps_i
 *   KSG-2: psi(k) - 1/k + psi(N) - < psi(n_x) + psi(n_y) >,   n counted inclusively in eps_x(i), eps_y(i)
 *
 * Scalar x and y (single neurons) take the fast path of ksgScalar.ts: a box-assisted grid search
 * as in the KSG paper, on a rank grid. Vectors: a max-norm kd-tree up to 9 joint dimensions, a scan
 * above (where a tree visits most leaves anyway); marginal counts by binary search on sorted
 * values (1-D) or a kd-tree.
 */
import { insertNeighbour } from './kBest.js';
import { MaxNormTree, neighbourCounter } from './kdtree.js';
import { ksgScalar } from './ksgScalar.js';
import { hstack } from './preprocess.js';
import { digammaTable } from './special.js';
import type { Samples } from './types.js';

function maxNormRow(s: Samples, i: number, j: number): number {
  let m = 0;
  for (let k = 0; k < s.d; k++) {
    const v = Math.abs(s.data[i * s.d + k] - s.data[j * s.d + k]);
    if (v > m) m = v;
  }
  return m;
}

/** Joint k-NN search for vector variables: brute force in high dimension, a kd-tree below. */
interface JointSearch {
  knn(i: number, k: number, outD: Float64Array, outI: Int32Array): void;
}

/** Above this joint dimension a kd-tree visits most leaves anyway: scanning is faster. */
const BRUTE_FORCE_DIM = 10;

function jointSearch(x: Samples, y: Samples): JointSearch {
  const joint = hstack(x, y);
  if (joint.d >= BRUTE_FORCE_DIM) return new BruteForceSearch(joint);
  return new MaxNormTree(joint.data, joint.n, joint.d);
}

class BruteForceSearch implements JointSearch {
  constructor(private readonly s: Samples) {}
  knn(i: number, k: number, outD: Float64Array, outI: Int32Array): void {
    const { n, d, data } = this.s;
    outD.fill(Infinity, 0, k);
    outI.fill(-1, 0, k);
    const oi = i * d;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const oj = j * d;
      let m = 0;
      const worst = outD[k - 1];
      for (let q = 0; q < d && m < worst; q++) {
        const v = Math.abs(data[oi + q] - data[oj + q]);
        if (v > m) m = v;
      }
      if (m < worst) insertNeighbour(outD, outI, k, m, j);
    }
  }
}

/** KSG on data as given (no scaling, no jitter). */
export function ksgRaw(x: Samples, y: Samples, k: number, algorithm: 1 | 2): number {
  if (x.d === 1 && y.d === 1) return ksgScalar(x.data, y.data, k, algorithm);
  const n = x.n;
  const tree = jointSearch(x, y);
  const cx = neighbourCounter(x);
  const cy = neighbourCounter(y);
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
