/**
 * The rank grid the scalar KSG searches on (ksgScalar.ts): both variables sorted once, the points
 * laid out on a G x G grid of equal-frequency columns and rows in cell order, and the buffers of
 * one call kept between calls.
 */
import { argsortScratch, type ArgsortScratch } from './argsort.js';
import { sortedAxis } from './sortedAxis.js';
import { digammaTable } from './special.js';

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
export class Workspace {
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

export function workspace(n: number): Workspace {
  if (kept && kept.cap >= n) return kept;
  const ws = new Workspace(n);
  if (n <= KEEP_UP_TO) kept = ws;
  return ws;
}

/** Sorts x and y into the workspace and lays the points out on a G x G rank grid, in cell order. */
export function buildGrid(ws: Workspace, x: Float64Array, y: Float64Array): number {
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
