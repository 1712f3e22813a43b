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
import { argsortScratch, type ArgsortScratch } from './argsort.js';
import { insertNeighbour } from './kBest.js';
import { countAround, sortedAxis } from './sortedAxis.js';
import { digammaTable } from './special.js';

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
 * Points per cell under independence: the 3 x 3 block then holds ~9 candidates for k = 3, and
 * about a third of the queries look into a few more cells. Timings were flat from 0.5 to 1 and
 * worse outside.
 */
const POINTS_PER_CELL = 1;

/**
 * Buffers of one call, kept between calls: a fresh typed array of 10^4 doubles costs tens of
 * microseconds, and a call needs twenty. Sized up on demand, never down, and not kept for very
 * large n. JavaScript is single-threaded and ksgScalar does not re-enter, so one set is enough.
 */
class Workspace {
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  readonly rankX: Int32Array;
  readonly rankY: Int32Array;
  /** The grid line (column or row) of each rank. */
  readonly lineOf: Int32Array;
  readonly cell: Int32Array;
  /** Points in cell order: coordinates interleaved (x, y), and ranks. */
  readonly pxy: Float64Array;
  readonly prx: Int32Array;
  readonly pry: Int32Array;
  readonly sort: ArgsortScratch;
  readonly psi: Float64Array;
  /** Marginal radius of every point, by its rank in x and in y. */
  readonly radX: Float64Array;
  readonly radY: Float64Array;
  /** Per cell: first position in cell order (G^2 + 1 entries). */
  start = new Int32Array(0);
  fill = new Int32Array(0);
  /** Per column (row): its smallest value, and its points per unit length. */
  xEdge = new Float64Array(0);
  yEdge = new Float64Array(0);
  xRate = new Float64Array(0);
  yRate = new Float64Array(0);
  runs = new Int32Array(0);

  constructor(readonly cap: number) {
    this.xs = new Float64Array(cap);
    this.ys = new Float64Array(cap);
    this.rankX = new Int32Array(cap);
    this.rankY = new Int32Array(cap);
    this.lineOf = new Int32Array(cap);
    this.cell = new Int32Array(cap);
    this.pxy = new Float64Array(2 * cap);
    this.prx = new Int32Array(cap);
    this.pry = new Int32Array(cap);
    this.sort = argsortScratch(cap);
    this.psi = digammaTable(cap + 1);
    this.radX = new Float64Array(cap);
    this.radY = new Float64Array(cap);
  }

  sizeGrid(G: number): void {
    if (this.start.length < G * G + 1) {
      this.start = new Int32Array(G * G + 1);
      this.fill = new Int32Array(G * G);
    }
    if (this.xEdge.length < G + 1) {
      this.xEdge = new Float64Array(G + 1);
      this.yEdge = new Float64Array(G + 1);
      this.xRate = new Float64Array(G + 1);
      this.yRate = new Float64Array(G + 1);
      this.runs = new Int32Array(4 * G + 4);
    }
  }
}

const KEEP_UP_TO = 1 << 17;
let kept: Workspace | null = null;

function workspace(n: number): Workspace {
  if (kept && kept.cap >= n) return kept;
  const ws = new Workspace(n);
  if (n <= KEEP_UP_TO) kept = ws;
  return ws;
}

/** Sorts x and y into the workspace and lays the points out on a G x G rank grid, in cell order. */
function buildGrid(ws: Workspace, x: Float64Array, y: Float64Array): number {
  const n = x.length;
  const { xs, ys, rankX, rankY, lineOf, cell, pxy, prx, pry } = ws;
  sortedAxis(x, { sorted: xs, rank: rankX }, ws.sort);
  sortedAxis(y, { sorted: ys, rank: rankY }, ws.sort);
  // Dependence crowds points into the cells near the diagonal (a Gaussian copula with rho = 0.6
  // puts 1.6 times as many others in a point's cell as independence does; rho = 0.99, 6 times),
  // and the 3 x 3 block reads them all. So count once on the nominal grid, and if a point's cell
  // holds too many others on average, refine the grid by the square root of the excess.
  let G = Math.max(1, Math.round(Math.sqrt(n / POINTS_PER_CELL)));
  for (let attempt = 0; ; attempt++) {
    ws.sizeGrid(G);
    const { start } = ws;
    for (let p = 0; p < n; p++) lineOf[p] = Math.floor((p * G) / n);
    start.fill(0, 0, G * G + 1);
    for (let i = 0; i < n; i++) {
      const c = lineOf[rankY[i]] * G + lineOf[rankX[i]];
      cell[i] = c;
      start[c + 1]++;
    }
    if (attempt === 1) break;
    let sq = 0;
    for (let c = 1; c <= G * G; c++) sq += start[c] * start[c];
    const others = sq / n - 1; // mean number of other points in a point's cell
    const Gmax = Math.floor(Math.sqrt(16 * n));
    if (!(others > 1.5 * POINTS_PER_CELL) || G >= Gmax) break;
    G = Math.min(Gmax, Math.round(G * Math.sqrt(others / POINTS_PER_CELL)));
  }
  const { start, fill, xEdge, yEdge, xRate, yRate } = ws;
  // column c holds ranks ceil(c n / G) ... ceil((c + 1) n / G) - 1
  for (let c = 0; c < G; c++) {
    const r0 = Math.ceil((c * n) / G);
    const r1 = Math.ceil(((c + 1) * n) / G) - 1;
    xEdge[c] = xs[r0];
    yEdge[c] = ys[r0];
    xRate[c] = (r1 - r0) / (xs[r1] - xs[r0]);
    yRate[c] = (r1 - r0) / (ys[r1] - ys[r0]);
  }
  xEdge[G] = Infinity;
  yEdge[G] = Infinity;
  for (let c = 0; c < G * G; c++) {
    start[c + 1] += start[c];
    fill[c] = start[c];
  }
  for (let i = 0; i < n; i++) {
    const m = fill[cell[i]]++;
    pxy[2 * m] = x[i];
    pxy[2 * m + 1] = y[i];
    prx[m] = rankX[i];
    pry[m] = rankY[i];
  }
  return G;
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
