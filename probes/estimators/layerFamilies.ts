/**
 * The layer families (families.ts) as calibration cases: their truths, I(S; G) = E[ln p(g | s) -
 * ln E_s' p(g | s')], by Monte Carlo on fresh draws (for theta the inner mean is a quadrature on a
 * grid), and samples of rates h = softplus(g) (softplus is a bijection unit by unit: I(S; H) = I(S; G)).
 */
import type { CalibrationCase } from './calibration.js';
import { D, type Family, GRID, antipodal, directionCode, gainCode, heavyTails, isotropic, softplus, sparse, xor } from './families.js';
import { estRng } from './random.js';
import type { Samples } from './types.js';

function truthOf(f: Family): number {
  const n = f.m === 0 ? 3000 : 20000;
  const r = estRng(`family/${f.name}/truth`);
  const g = new Float64Array(D);
  const grid = f.m === 0 ? Float64Array.from({ length: GRID }, (_, i) => (2 * Math.PI * i) / GRID) : null;
  const lp = new Float64Array(f.m === 0 ? GRID : f.m);
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const stim = grid ? 2 * Math.PI * r.uniform() : i % f.m;
    f.draw(stim, r, g);
    const own = f.logLik(g, stim);
    for (let s = 0; s < lp.length; s++) lp[s] = f.logLik(g, grid ? grid[s] : s);
    let mx = -Infinity;
    for (const v of lp) mx = Math.max(mx, v);
    let z = 0;
    for (const v of lp) z += Math.exp(v - mx);
    acc += own - mx - Math.log(z / lp.length);
  }
  return acc / n;
}

function asCase(f: Family): CalibrationCase & { continuous: boolean } {
  let truth: number | null = null;
  return {
    name: f.name,
    continuous: f.m === 0,
    get truth() {
      truth ??= truthOf(f);
      return truth;
    },
    sample(n: number, seed: number) {
      const r = estRng(`family/${f.name}/${seed}`);
      const x = new Float64Array(n * D);
      const g = new Float64Array(D);
      const labels = new Int32Array(n);
      const theta = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        // balanced classes like a probe batch; a direction drawn uniformly on the circle, independently
        // for every sample (an estimate of h(theta) from the sample assumes independent draws)
        const stim = f.m === 0 ? 2 * Math.PI * r.uniform() : i % f.m;
        if (f.m === 0) theta[i] = stim;
        else labels[i] = stim;
        f.draw(stim, r, g);
        for (let j = 0; j < D; j++) x[i * D + j] = softplus(g[j]);
      }
      const layer: Samples = { n, d: D, data: x };
      return f.m === 0 ? { x: { n, d: 1, data: theta }, y: layer } : { x: layer, y: labels };
    },
  };
}

const families: Family[] = [
  gainCode('gain code, 8 classes', 8, [0.2, 0.35, 0.6, 1, 1.6, 2.5, 4, 6]),
  antipodal('antipodal, 8 classes', 8, 0.3),
  xor('XOR sign code, 2 classes', 2.1),
  sparse('sparse: 3 of 256 units tuned', 8, 2.2, 3),
  heavyTails('Student-t noise shared by all units', 8, 0.22, 3, true),
  heavyTails('Student-t noise per unit', 8, 0.25, 3, false),
  isotropic('32 classes', 32, 0.3),
  directionCode('direction, weak', 0.25, 2),
  directionCode('direction, strong', 0.6, 2),
  isotropic('null: isotropic', 8, 0),
  heavyTails('null: Student-t shared', 8, 0, 3, true),
  sparse('null: sparse-shaped', 8, 0, 3),
  directionCode('null: direction', 0, 2),
];

let cached: Array<CalibrationCase & { continuous: boolean }> | null = null;

/** The families as calibration cases (truths computed once per process, on first use). */
export function layerFamilies(): Array<CalibrationCase & { continuous: boolean }> {
  cached ??= families.map(asCase);
  return cached;
}
