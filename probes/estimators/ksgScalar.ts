/**
 * KSG estimators for a scalar x and a scalar y: the case of single neurons, and the one to be fast.
 *
 * Both variables are sorted once. The sorts serve two things:
 * - a grid in rank space (equal-frequency columns and rows), whose cells hold about the same
 *   number of points whatever the marginals look like (Gaussian, heavy-tailed, skewed), so that
 *   the joint k-NN search reads a 3 x 3 block of cells, ~10 candidates, and rarely a few more.
 *   Cell edges are sample values, which keeps the search exact: a point outside the searched
 *   cells is at least |edge - x_i| or |edge - y_i| away. Queries run in cell order, so that the
 *   cells a query reads were just read by the one before;
 * - the marginal counts, searched in the sorted values from each point's own position, in order
 *   of position (walking through memory), starting from a guess (radius times the local density
 *   of the point's grid column) that is usually within a few places.
 *
 * Results equal a brute-force O(n^2) KSG up to the order of a floating-point sum.
 */
import { insertNeighbour } from './kBest.js';
import { type Workspace, buildGrid, workspace } from './ksgGrid.js';
import { countAround } from './sortedAxis.js';

/**
 * Sum over positions p of psi[count(p) + shift], count(p) = #{q != p : |a[q] - a[p]| < radius[p]}
 * (or <= with strict false). Positions in order, so that the searches walk through memory.
 */
function sumPsiOfCounts(
  a: Float64Array,
  n: number,
  radius: Float64Array,
  strict: boolean,
  rate: Float64Array,
  lineOf: Int32Array,
  psi: Float64Array,
  shift: number,
): number {
  let acc = 0;
  for (let p = 0; p < n; p++) acc += psi[countAround(a, n, p, radius[p], strict, radius[p] * rate[lineOf[p]]) + shift];
  return acc;
}


/**
 * For every point, the radii of its marginal counts, stored by rank in radX and radY: the distance
 * to its k-th nearest neighbour (max-norm) for KSG-1; for KSG-2 the largest x and y distances
 * to its k nearest neighbours.
 */
function neighbourRadii(ws: Workspace, n: number, G: number, k: number, algorithm: 1 | 2): void {
  const { pxy, prx, pry, lineOf, start, xEdge, yEdge, runs, radX, radY } = ws;
  const bestD = new Float64Array(k);
  const bestP = new Int32Array(k);
  const last = k - 1;
  for (let m = 0; m < n; m++) {
    const xi = pxy[2 * m];
    const yi = pxy[2 * m + 1];
    const cx = lineOf[prx[m]];
    const cy = lineOf[pry[m]];
    for (let q = 0; q <= last; q++) bestD[q] = Infinity;
    let worst = Infinity;
    let d0 = Infinity;
    let d1 = Infinity;
    let d2 = Infinity;
    let p0 = -1;
    let p1 = -1;
    let p2 = -1;
    // phase 1: the 3 x 3 block of cells around the point's; phase 2: every cell that can hold a
    // point closer than the k-th distance found in phase 1
    let r = 1;
    let bx0 = cx > 0 ? cx - 1 : 0;
    let bx1 = cx + 1 < G - 1 ? cx + 1 : G - 1;
    let by0 = cy > 0 ? cy - 1 : 0;
    let by1 = cy + 1 < G - 1 ? cy + 1 : G - 1;
    let nr = 0;
    for (let gy = by0; gy <= by1; gy++) {
      runs[nr++] = start[gy * G + bx0];
      runs[nr++] = start[gy * G + bx1 + 1];
    }
    let phase = 1;
    for (let j = 0; ; j += 2) {
      if (j === nr) {
        if (phase === 2) break;
        if (worst === Infinity && !(bx0 === 0 && by0 === 0 && bx1 === G - 1 && by1 === G - 1)) {
          // fewer than k others in the block (sparse corner): widen it and scan it again, whole
          r++;
          bx0 = cx > r ? cx - r : 0;
          bx1 = cx + r < G - 1 ? cx + r : G - 1;
          by0 = cy > r ? cy - r : 0;
          by1 = cy + r < G - 1 ? cy + r : G - 1;
          for (let q = 0; q <= last; q++) bestD[q] = Infinity;
          d0 = d1 = d2 = Infinity;
          nr = 0;
          j = -2;
          for (let gy = by0; gy <= by1; gy++) {
            runs[nr++] = start[gy * G + bx0];
            runs[nr++] = start[gy * G + bx1 + 1];
          }
          continue;
        }
        phase = 2;
        // columns left of c0 hold values <= xEdge[c0], at distance >= xi - xEdge[c0] >= worst
        // (computed as a distance is, so that rounding cannot let a closer point slip through);
        // likewise right of c1, below r0 and above r1
        const w = worst;
        // most queries stop here: nothing outside the block is closer than the block's own edges
        if (
          (bx0 === 0 || xi - xEdge[bx0] >= w) &&
          (bx1 === G - 1 || xEdge[bx1 + 1] - xi >= w) &&
          (by0 === 0 || yi - yEdge[by0] >= w) &&
          (by1 === G - 1 || yEdge[by1 + 1] - yi >= w)
        ) {
          break;
        }
        let c0 = cx;
        while (c0 > 0 && xi - xEdge[c0] < w) c0--;
        let c1 = cx;
        while (c1 < G - 1 && xEdge[c1 + 1] - xi < w) c1++;
        let r0 = cy;
        while (r0 > 0 && yi - yEdge[r0] < w) r0--;
        let r1 = cy;
        while (r1 < G - 1 && yEdge[r1 + 1] - yi < w) r1++;
        if (c0 >= bx0 && c1 <= bx1 && r0 >= by0 && r1 <= by1) break;
        nr = 0;
        j = -2;
        for (let gy = r0; gy <= r1; gy++) {
          const row = gy * G;
          if (gy < by0 || gy > by1) {
            runs[nr++] = start[row + c0];
            runs[nr++] = start[row + c1 + 1];
          } else {
            // the parts of the row left and right of the block already scanned
            if (c0 < bx0) {
              runs[nr++] = start[row + c0];
              runs[nr++] = start[row + bx0];
            }
            if (c1 > bx1) {
              runs[nr++] = start[row + bx1 + 1];
              runs[nr++] = start[row + c1 + 1];
            }
          }
        }
        continue;
      }
      const b = runs[j + 1];
      if (k === 3) {
        // the default k, kept in registers: a third faster than the general insertion below
        for (let s = runs[j]; s < b; s++) {
          const dx = Math.abs(pxy[2 * s] - xi);
          const dy = Math.abs(pxy[2 * s + 1] - yi);
          const d = dx > dy ? dx : dy;
          if (d < d2 && s !== m) {
            if (d < d1) {
              d2 = d1;
              p2 = p1;
              if (d < d0) {
                d1 = d0;
                p1 = p0;
                d0 = d;
                p0 = s;
              } else {
                d1 = d;
                p1 = s;
              }
            } else {
              d2 = d;
              p2 = s;
            }
          }
        }
        worst = d2;
        continue;
      }
      for (let s = runs[j]; s < b; s++) {
        const dx = Math.abs(pxy[2 * s] - xi);
        const dy = Math.abs(pxy[2 * s + 1] - yi);
        const d = dx > dy ? dx : dy;
        if (d < worst && s !== m) worst = insertNeighbour(bestD, bestP, k, d, s);
      }
    }
    if (k === 3) {
      bestP[0] = p0;
      bestP[1] = p1;
      bestP[2] = p2;
    }
    if (algorithm === 1) {
      radX[prx[m]] = worst;
      radY[pry[m]] = worst;
    } else {
      let ex = 0;
      let ey = 0;
      for (let q = 0; q <= last; q++) {
        const s = bestP[q];
        const dx = Math.abs(pxy[2 * s] - xi);
        const dy = Math.abs(pxy[2 * s + 1] - yi);
        if (dx > ex) ex = dx;
        if (dy > ey) ey = dy;
      }
      radX[prx[m]] = ex;
      radY[pry[m]] = ey;
    }
  }
}

/**
 * KSG-1 (algorithm 1) or KSG-2 of scalar samples x and y (same length n > k), max-norm, no
 * scaling or jitter (the caller's business).
 */
export function ksgScalar(x: Float64Array, y: Float64Array, k: number, algorithm: 1 | 2): number {
  const n = x.length;
  const ws = workspace(n);
  const G = buildGrid(ws, x, y);
  neighbourRadii(ws, n, G, k, algorithm);
  // KSG-1: psi(n_x + 1), n_x counted strictly within the radius; KSG-2: psi(n_x), counted inclusively
  const strict = algorithm === 1;
  const shift = algorithm === 1 ? 1 : 0;
  const { psi } = ws;
  const acc =
    sumPsiOfCounts(ws.xs, n, ws.radX, strict, ws.xRate, ws.lineOf, psi, shift) +
    sumPsiOfCounts(ws.ys, n, ws.radY, strict, ws.yRate, ws.lineOf, psi, shift);
  const base = algorithm === 1 ? psi[k] + psi[n] : psi[k] - 1 / k + psi[n];
  return base - acc / n;
}
