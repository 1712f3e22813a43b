/**
 * Layers whose information is carried the ways trained networks carry it, with a truth computed
 * from the exact posterior (layerFamilies.ts): a stimulus (8 classes, 32 classes, 2 XOR classes, or a continuous
 * direction theta) against a 256-unit layer of rates h = softplus(g), where the pre-activation g
 * has a density we can write down. Softplus is a bijection applied unit by unit, so I(S; H) =
 * I(S; G) and the truth is computed on g:
 *
 *   I(S; G) = E[ ln p(g | s) - ln E_s' p(g | s') ]      (Monte Carlo on fresh draws; for theta the
 *                                                         inner mean is a quadrature on a grid)
 *
 * Families: classes that differ in the gain of a subspace (a covariance code); antipodal classes
 * (each class a mixture of +m and -m); XOR sign codes; a sparse code (3 of 256 units tuned, the
 * others noisier); heavy tails (Student-t noise shared by all units, or per unit); many classes;
 * a continuous direction at two strengths; and a null of each shape.
 */
import { estRng, type EstRng } from './random.js';

export const D = 256;
/** Points of the quadrature over theta for the continuous truth. */
export const GRID = 720;
export const softplus = (v: number) => (v > 30 ? v : Math.log1p(Math.exp(v)));

/** What a family defines: how to draw g for a stimulus, and ln p(g | stimulus) up to a constant shared by all stimuli. */
export interface Family {
  name: string;
  /** Classes, or 0 for a continuous direction theta in [0, 2 pi). */
  m: number;
  draw(stim: number, r: EstRng, g: Float64Array): void;
  logLik(g: Float64Array, stim: number): number;
}

/** Random matrix [rows, cols] with N(0, 1 / cols) entries. */
function gaussianMatrix(rows: number, cols: number, r: EstRng): Float64Array {
  return Float64Array.from({ length: rows * cols }, () => r.normal() / Math.sqrt(cols));
}

const ring = (s: number, m: number): number[] => [Math.cos((2 * Math.PI * s) / m), Math.sin((2 * Math.PI * s) / m), s % 2 === 0 ? 0.5 : -0.5];

/** Isotropic Gaussian noise around class means mu(s) (the ring of the older layer cases). */
function ringMeans(m: number, gain: number, r: EstRng): Float64Array {
  const a = gaussianMatrix(D, 3, r);
  const c = Float64Array.from({ length: D }, () => 0.5 * r.normal());
  const mu = new Float64Array(m * D);
  for (let s = 0; s < m; s++) {
    const u = ring(s, m);
    for (let j = 0; j < D; j++) mu[s * D + j] = c[j] + gain * (a[j * 3] * u[0] + a[j * 3 + 1] * u[1] + a[j * 3 + 2] * u[2]);
  }
  return mu;
}

function sqDistTo(g: Float64Array, mu: Float64Array, off: number): number {
  let s = 0;
  for (let j = 0; j < D; j++) s += (g[j] - mu[off + j]) ** 2;
  return s;
}

/** Classes differ in the variance of a 3-D subspace: g = c + gain_s A z + sigma e; equal means. */
export function gainCode(name: string, m: number, gains: number[]): Family {
  const r = estRng(`family/${name}`);
  const k = 3;
  const a = gaussianMatrix(D, k, r);
  const c = Float64Array.from({ length: D }, () => 0.5 * r.normal());
  // Sigma_s = I + g_s^2 A A^T; by Woodbury, ln p = -1/2 [v^T v - g^2 v^T A (I + g^2 A^T A)^-1 A^T v] - 1/2 ln det(I + g^2 A^T A)
  const ata = new Float64Array(k * k);
  for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) for (let j = 0; j < D; j++) ata[p * k + q] += a[j * k + p] * a[j * k + q];
  const inv: Float64Array[] = [];
  const logDet: number[] = [];
  for (const gs of gains) {
    const mm = Float64Array.from(ata, (v, i) => gs * gs * v + (i % (k + 1) === 0 ? 1 : 0));
    const { inverse, logDet: ld } = invert3(mm);
    inv.push(inverse);
    logDet.push(ld);
  }
  return {
    name,
    m,
    draw(s, rr, g) {
      const z = [rr.normal(), rr.normal(), rr.normal()];
      for (let j = 0; j < D; j++) g[j] = c[j] + gains[s] * (a[j * k] * z[0] + a[j * k + 1] * z[1] + a[j * k + 2] * z[2]) + rr.normal();
    },
    logLik(g, s) {
      let vv = 0;
      const atv = [0, 0, 0];
      for (let j = 0; j < D; j++) {
        const v = g[j] - c[j];
        vv += v * v;
        for (let p = 0; p < k; p++) atv[p] += a[j * k + p] * v;
      }
      let quad = 0;
      for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) quad += atv[p] * inv[s][p * k + q] * atv[q];
      return -0.5 * (vv - gains[s] * gains[s] * quad) - 0.5 * logDet[s];
    },
  };
}

/** Inverse and log-determinant of a 3 x 3 symmetric positive-definite matrix. */
function invert3(a: Float64Array): { inverse: Float64Array; logDet: number } {
  const [a0, a1, a2, a3, a4, a5, a6, a7, a8] = a;
  const c0 = a4 * a8 - a5 * a7;
  const c1 = a5 * a6 - a3 * a8;
  const c2 = a3 * a7 - a4 * a6;
  const det = a0 * c0 + a1 * c1 + a2 * c2;
  const inverse = Float64Array.from([c0, a2 * a7 - a1 * a8, a1 * a5 - a2 * a4, c1, a0 * a8 - a2 * a6, a2 * a3 - a0 * a5, c2, a1 * a6 - a0 * a7, a0 * a4 - a1 * a3], (v) => v / det);
  return { inverse, logDet: Math.log(det) };
}

/** Each class a mixture of c + mu_s and c - mu_s (equal weights) plus isotropic noise: every class mean is c. */
export function antipodal(name: string, m: number, gain: number): Family {
  const r = estRng(`family/${name}`);
  const mu = ringMeans(m, gain, r);
  const c = new Float64Array(D);
  for (let s = 0; s < m; s++) for (let j = 0; j < D; j++) c[j] += mu[s * D + j] / m;
  for (let s = 0; s < m; s++) for (let j = 0; j < D; j++) mu[s * D + j] -= c[j];
  return {
    name,
    m,
    draw(s, rr, g) {
      const sign = rr.uniform() < 0.5 ? -1 : 1;
      for (let j = 0; j < D; j++) g[j] = c[j] + sign * mu[s * D + j] + rr.normal();
    },
    logLik(g, s) {
      let dot = 0;
      let nn = 0;
      for (let j = 0; j < D; j++) {
        dot += (g[j] - c[j]) * mu[s * D + j];
        nn += mu[s * D + j] ** 2;
      }
      // ln [ (e^{dot} + e^{-dot}) / 2 ] - |mu|^2 / 2, stably
      const ad = Math.abs(dot);
      return ad + Math.log1p(Math.exp(-2 * ad)) - Math.LN2 - nn / 2;
    },
  };
}

/** Two classes by the sign of a product: class 0 at (+a, +a) or (-a, -a), class 1 at (+a, -a) or (-a, +a), in a random plane. */
export function xor(name: string, a: number): Family {
  const r = estRng(`family/${name}`);
  // two random unit vectors: the plane of the code
  const unit = (v: Float64Array) => {
    const norm = Math.hypot(...v);
    return v.map((x) => x / norm);
  };
  const e1 = unit(gaussianMatrix(D, 1, r));
  const e2 = unit(gaussianMatrix(D, 1, r));
  const c = Float64Array.from({ length: D }, () => 0.5 * r.normal());
  const comps = [
    [[1, 1], [-1, -1]],
    [[1, -1], [-1, 1]],
  ];
  let e11 = 0;
  let e22 = 0;
  let e12 = 0;
  for (let j = 0; j < D; j++) {
    e11 += e1[j] * e1[j];
    e22 += e2[j] * e2[j];
    e12 += e1[j] * e2[j];
  }
  return {
    name,
    m: 2,
    draw(s, rr, g) {
      const [u, v] = comps[s][rr.uniform() < 0.5 ? 0 : 1];
      for (let j = 0; j < D; j++) g[j] = c[j] + a * (u * e1[j] + v * e2[j]) + rr.normal();
    },
    logLik(g, s) {
      let p1 = 0;
      let p2 = 0;
      for (let j = 0; j < D; j++) {
        p1 += (g[j] - c[j]) * e1[j];
        p2 += (g[j] - c[j]) * e2[j];
      }
      // -|v - a(u e1 + v e2)|^2 / 2 without the |v|^2 every component shares
      const lp = comps[s].map(([u, v]) => a * (u * p1 + v * p2) - 0.5 * a * a * (e11 + e22 + 2 * u * v * e12));
      const mx = Math.max(...lp);
      return mx + Math.log(lp.reduce((acc, x) => acc + Math.exp(x - mx), 0));
    },
  };
}

/** Means tuned in `tuned` units only (a ring in 3 of them); every other unit noisier (sd `loud`). */
export function sparse(name: string, m: number, gain: number, loud: number): Family {
  const r = estRng(`family/${name}`);
  const tuned = [17, 101, 203];
  const sd = Float64Array.from({ length: D }, (_, j) => (tuned.includes(j) ? 1 : loud));
  const c = Float64Array.from({ length: D }, () => 0.5 * r.normal());
  const mu = new Float64Array(m * D);
  for (let s = 0; s < m; s++) {
    for (let j = 0; j < D; j++) mu[s * D + j] = c[j];
    tuned.forEach((j, i) => (mu[s * D + j] += gain * Math.cos((2 * Math.PI * s) / m - (2 * Math.PI * i) / 3)));
  }
  return {
    name,
    m,
    draw(s, rr, g) {
      for (let j = 0; j < D; j++) g[j] = mu[s * D + j] + sd[j] * rr.normal();
    },
    logLik(g, s) {
      let acc = 0;
      for (const j of tuned) acc -= 0.5 * ((g[j] - mu[s * D + j]) / sd[j]) ** 2;
      return acc;
    },
  };
}

/** Student-t noise (nu degrees of freedom): one scale shared by every unit of a trial, or each unit its own. */
export function heavyTails(name: string, m: number, gain: number, nu: number, shared: boolean): Family {
  const r = estRng(`family/${name}`);
  const mu = ringMeans(m, gain, r);
  const chi2 = (rr: EstRng) => {
    let s = 0;
    for (let i = 0; i < nu; i++) s += rr.normal() ** 2;
    return s;
  };
  return {
    name,
    m,
    draw(s, rr, g) {
      const w = shared ? Math.sqrt(nu / chi2(rr)) : 0;
      for (let j = 0; j < D; j++) g[j] = mu[s * D + j] + (shared ? w : Math.sqrt(nu / chi2(rr))) * rr.normal();
    },
    logLik(g, s) {
      if (shared) return (-(nu + D) / 2) * Math.log1p(sqDistTo(g, mu, s * D) / nu);
      let acc = 0;
      for (let j = 0; j < D; j++) acc -= ((nu + 1) / 2) * Math.log1p((g[j] - mu[s * D + j]) ** 2 / nu);
      return acc;
    },
  };
}

/** Isotropic Gaussian noise around ring means: the older layer cases' shape, here with many classes. */
export function isotropic(name: string, m: number, gain: number): Family {
  const mu = ringMeans(m, gain, estRng(`family/${name}`));
  return {
    name,
    m,
    draw(s, rr, g) {
      for (let j = 0; j < D; j++) g[j] = mu[s * D + j] + rr.normal();
    },
    logLik: (g, s) => -0.5 * sqDistTo(g, mu, s * D),
  };
}

/** A continuous direction: von Mises tuning curves with random preferred directions, isotropic noise. */
export function directionCode(name: string, gain: number, kappa: number): Family {
  const r = estRng(`family/${name}`);
  const pref = Float64Array.from({ length: D }, () => 2 * Math.PI * r.uniform());
  const c = Float64Array.from({ length: D }, () => 0.5 * r.normal() - 1);
  const mean = (theta: number, j: number) => c[j] + gain * Math.exp(kappa * (Math.cos(theta - pref[j]) - 1));
  // the means on the quadrature grid, once (the truth evaluates them GRID times per draw)
  const onGrid = new Float64Array(GRID * D);
  for (let i = 0; i < GRID; i++) for (let j = 0; j < D; j++) onGrid[i * D + j] = mean((2 * Math.PI * i) / GRID, j);
  return {
    name,
    m: 0,
    draw(theta, rr, g) {
      for (let j = 0; j < D; j++) g[j] = mean(theta, j) + rr.normal();
    },
    logLik(g, theta) {
      const i = Math.round((theta * GRID) / (2 * Math.PI));
      if (Math.abs(theta - (2 * Math.PI * i) / GRID) < 1e-12) return -0.5 * sqDistTo(g, onGrid, (i % GRID) * D);
      let acc = 0;
      for (let j = 0; j < D; j++) acc -= 0.5 * (g[j] - mean(theta, j)) ** 2;
      return acc;
    },
  };
}

