/**
 * Exact max-norm k nearest neighbours of 2-D points (scalar x, scalar y) by box-assisted search on a
 * uniform grid (the method of the KSG paper): about two points per cell, rings of cells searched
 * outward until no unvisited cell can hold a closer point. About 16 distance evaluations per query
 * on Gaussian data instead of a tree walk.
 */
export class Grid2D {
  private readonly G: number;
  private readonly x0: number;
  private readonly y0: number;
  private readonly hx: number;
  private readonly hy: number;
  private readonly start: Int32Array;
  /** Point indices, and their coordinates, in cell order (for locality). */
  private readonly order: Int32Array;
  private readonly px: Float64Array;
  private readonly py: Float64Array;
  private readonly cellOf: Int32Array;

  constructor(
    private readonly x: Float64Array,
    private readonly y: Float64Array,
  ) {
    const n = x.length;
    let x0 = Infinity,
      x1 = -Infinity,
      y0 = Infinity,
      y1 = -Infinity;
    for (let i = 0; i < n; i++) {
      x0 = Math.min(x0, x[i]);
      x1 = Math.max(x1, x[i]);
      y0 = Math.min(y0, y[i]);
      y1 = Math.max(y1, y[i]);
    }
    const G = Math.max(1, Math.floor(2 * Math.sqrt(n)));
    this.G = G;
    this.x0 = x0;
    this.y0 = y0;
    this.hx = (x1 - x0) / G || 1;
    this.hy = (y1 - y0) / G || 1;
    const cellOf = new Int32Array(n);
    const count = new Int32Array(G * G + 1);
    for (let i = 0; i < n; i++) {
      const cx = Math.min(G - 1, Math.floor((x[i] - x0) / this.hx));
      const cy = Math.min(G - 1, Math.floor((y[i] - y0) / this.hy));
      cellOf[i] = cy * G + cx;
      count[cellOf[i] + 1]++;
    }
    for (let c = 0; c < G * G; c++) count[c + 1] += count[c];
    this.start = count.slice();
    const fill = count.slice();
    this.order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.order[fill[cellOf[i]]++] = i;
    this.px = new Float64Array(n);
    this.py = new Float64Array(n);
    for (let m = 0; m < n; m++) {
      this.px[m] = x[this.order[m]];
      this.py[m] = y[this.order[m]];
    }
    this.cellOf = cellOf;
  }

  /** k nearest neighbours of point i (excluded): distances ascending into outD, indices into outI. */
  knn(i: number, k: number, outD: Float64Array, outI: Int32Array): void {
    const { G, start, order, px, py } = this;
    const xi = this.x[i];
    const yi = this.y[i];
    const c = this.cellOf[i];
    const cx = c % G;
    const cy = (c - cx) / G;
    for (let m = 0; m < k; m++) {
      outD[m] = Infinity;
      outI[m] = -1;
    }
    let worst = Infinity;
    for (let r = 1; ; r++) {
      const ylo = cy - r;
      const yhi = cy + r;
      const xlo = cx - r;
      const xhi = cx + r;
      const gx0 = xlo < 0 ? 0 : xlo;
      const gx1 = xhi >= G ? G - 1 : xhi;
      for (let gy = ylo < 0 ? 0 : ylo; gy <= yhi && gy < G; gy++) {
        // ring r = 1 is the whole 3 x 3 block; from r = 2 on the ring's top and bottom rows are whole
        // runs of cells, contiguous in `order`, and middle rows contribute their two end cells
        const whole = r === 1 || gy === ylo || gy === yhi;
        for (let part = 0; part < (whole ? 1 : 2); part++) {
          let a = 0;
          let b = 0;
          if (whole) {
            a = start[gy * G + gx0];
            b = start[gy * G + gx1 + 1];
          } else {
            const gx = part === 0 ? xlo : xhi;
            if (gx < 0 || gx >= G) continue;
            a = start[gy * G + gx];
            b = start[gy * G + gx + 1];
          }
          for (let m = a; m < b; m++) {
            const dx = Math.abs(px[m] - xi);
            const dy = Math.abs(py[m] - yi);
            const d = dx > dy ? dx : dy;
            if (d < worst) {
              const p = order[m];
              if (p === i) continue;
              let q = k - 1;
              while (q > 0 && outD[q - 1] > d) {
                outD[q] = outD[q - 1];
                outI[q] = outI[q - 1];
                q--;
              }
              outD[q] = d;
              outI[q] = p;
              worst = outD[k - 1];
            }
          }
        }
      }
      if (xlo <= 0 && ylo <= 0 && xhi >= G - 1 && yhi >= G - 1) return; // whole grid seen
      // any point outside the searched block is at least this far from (xi, yi)
      const bound = Math.min(
        xlo > 0 ? xi - (this.x0 + xlo * this.hx) : Infinity,
        xhi < G - 1 ? this.x0 + (xhi + 1) * this.hx - xi : Infinity,
        ylo > 0 ? yi - (this.y0 + ylo * this.hy) : Infinity,
        yhi < G - 1 ? this.y0 + (yhi + 1) * this.hy - yi : Infinity,
      );
      if (worst <= bound) return;
    }
  }
}
