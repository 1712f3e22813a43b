/**
 * Distributions with known MI, for checking an estimator on data like one's own before trusting it
 * (in the spirit of the BMI benchmark, Czyz et al., NeurIPS 2023). MI is invariant under
 * per-variable diffeomorphisms, so the transformed cases keep their base case's truth.
 */
import { logDetSpd } from './gaussian.js';
import { type EstRng, estRng } from './random.js';
import { digamma, lnGamma, normalCdf } from './special.js';
import type { Labels, Samples } from './types.js';

export interface CalibrationCase {
  name: string;
  /** True MI in nats. */
  truth: number;
  sample(n: number, seed: number): { x: Samples; y: Samples | Labels };
}

/** Draw (X, Y) jointly Gaussian: X ~ N(0, I_dx), Y = W X + sigma eps. */
function linearGaussian(w: Float64Array, dx: number, dy: number, sigma: number, n: number, r: EstRng): { x: Samples; y: Samples } {
  const x = new Float64Array(n * dx);
  const y = new Float64Array(n * dy);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < dx; a++) x[i * dx + a] = r.normal();
    for (let b = 0; b < dy; b++) {
      let v = sigma * r.normal();
      for (let a = 0; a < dx; a++) v += w[b * dx + a] * x[i * dx + a];
      y[i * dy + b] = v;
    }
  }
  return { x: { n, d: dx, data: x }, y: { n, d: dy, data: y } };
}

/** I(X; WX + sigma eps) = (1/2) ln det(I + W W^T / sigma^2). */
function linearGaussianMI(w: Float64Array, dx: number, dy: number, sigma: number): number {
  const m = new Float64Array(dy * dy);
  for (let a = 0; a < dy; a++) {
    for (let b = 0; b < dy; b++) {
      let s = 0;
      for (let k = 0; k < dx; k++) s += w[a * dx + k] * w[b * dx + k];
      m[a * dy + b] = s / (sigma * sigma) + (a === b ? 1 : 0);
    }
  }
  return 0.5 * logDetSpd(m, dy);
}

function sparseW(d: number, rho: number): Float64Array {
  // coordinate j of Y depends on coordinate j of X only, with correlation rho (sigma = sqrt(1 - rho^2))
  const w = new Float64Array(d * d);
  for (let j = 0; j < d; j++) w[j * d + j] = rho;
  return w;
}

function denseW(dx: number, dy: number, scale: number, seed: number): Float64Array {
  const r = estRng(`dense/${seed}`);
  return new Float64Array(dx * dy).map(() => (scale * r.normal()) / Math.sqrt(dx));
}

function gaussianCase(name: string, w: Float64Array, dx: number, dy: number, sigma: number): CalibrationCase {
  return { name, truth: linearGaussianMI(w, dx, dy, sigma), sample: (n, seed) => linearGaussian(w, dx, dy, sigma, n, estRng(`${name}/${seed}`)) };
}

/** Entropy of a d-dimensional Student-t with nu degrees of freedom minus (1/2) ln det(scale). */
function tEntropyOffset(nu: number, d: number): number {
  return (d / 2) * Math.log(nu * Math.PI) + lnGamma(nu / 2) - lnGamma((nu + d) / 2) + ((nu + d) / 2) * (digamma((nu + d) / 2) - digamma(nu / 2));
}

/** Bivariate-block Student-t: (X, Y) = (Z_x, Z_y) / sqrt(chi2_nu / nu) with Z as in the sparse Gaussian case. */
function studentCase(d: number, rho: number, nu: number): CalibrationCase {
  const w = sparseW(d, rho);
  const sigma = Math.sqrt(1 - rho * rho);
  const name = `student-t nu=${nu} ${d}x${d} rho=${rho}`;
  const truth = linearGaussianMI(w, d, d, sigma) + tEntropyOffset(nu, d) + tEntropyOffset(nu, d) - tEntropyOffset(nu, 2 * d);
  return {
    name,
    truth,
    sample(n, seed) {
      const r = estRng(`${name}/${seed}`);
      const { x, y } = linearGaussian(w, d, d, sigma, n, r);
      for (let i = 0; i < n; i++) {
        let chi = 0;
        for (let k = 0; k < nu; k++) chi += r.normal() ** 2;
        const s = 1 / Math.sqrt(chi / nu);
        for (let j = 0; j < d; j++) {
          x.data[i * d + j] *= s;
          y.data[i * d + j] *= s;
        }
      }
      return { x, y };
    },
  };
}

type Transform = (v: number) => number;
const halfCube: Transform = (v) => Math.sign(v) * Math.abs(v) ** 1.5;
function transformed(base: CalibrationCase, label: string, f: Transform): CalibrationCase {
  return {
    name: `${base.name}, ${label}`,
    truth: base.truth,
    sample(n, seed) {
      const { x, y } = base.sample(n, seed);
      const map = (s: Samples): Samples => ({ ...s, data: s.data.map(f) });
      return { x: map(x), y: y instanceof Int32Array ? y : map(y as Samples) };
    },
  };
}

/** I(S; S + sigma N(0,1)) for S uniform on m integer labels, by quadrature. */
function labelNoiseMI(m: number, sigma: number): number {
  const norm = 1 / (sigma * Math.sqrt(2 * Math.PI) * m);
  const pdf = (c: number) => {
    let p = 0;
    for (let s = 0; s < m; s++) p += Math.exp(-0.5 * ((c - s) / sigma) ** 2);
    return p * norm;
  };
  const lo = -10 * sigma;
  const hi = m - 1 + 10 * sigma;
  const steps = 40000;
  const dx = (hi - lo) / steps;
  let h = 0;
  for (let i = 0; i < steps; i++) {
    const p = pdf(lo + (i + 0.5) * dx);
    if (p > 0) h -= p * Math.log(p) * dx;
  }
  return h - 0.5 * Math.log(2 * Math.PI * Math.E * sigma * sigma);
}

function labelCase(m: number, sigma: number): CalibrationCase {
  const name = `label m=${m} + gaussian sigma=${sigma}`;
  return {
    name,
    truth: labelNoiseMI(m, sigma),
    sample(n, seed) {
      const r = estRng(`${name}/${seed}`);
      const s = Int32Array.from({ length: n }, () => r.int(m));
      return { x: { n, d: 1, data: Float64Array.from(s, (v) => v + sigma * r.normal()) }, y: s };
    },
  };
}

export function calibrationCases(): CalibrationCase[] {
  const bi = gaussianCase('gaussian 1x1 rho=0.75', sparseW(1, 0.75), 1, 1, Math.sqrt(1 - 0.75 ** 2));
  const sparse5 = gaussianCase('gaussian sparse 5x5 rho=0.5', sparseW(5, 0.5), 5, 5, Math.sqrt(0.75));
  const dense5 = gaussianCase('gaussian dense 5x5', denseW(5, 5, 1, 1), 5, 5, 1);
  const sparse25 = gaussianCase('gaussian sparse 25x25 rho=0.3', sparseW(25, 0.3), 25, 25, Math.sqrt(1 - 0.09));
  const st = studentCase(1, 0.5, 3);
  return [
    bi,
    gaussianCase('gaussian 1x1 rho=0.5', sparseW(1, 0.5), 1, 1, Math.sqrt(0.75)),
    sparse5,
    dense5,
    sparse25,
    st,
    studentCase(2, 0, 5),
    transformed(bi, 'half-cube', halfCube),
    transformed(bi, 'asinh', Math.asinh),
    transformed(bi, 'uniform margins', normalCdf),
    transformed(sparse5, 'half-cube', halfCube),
    labelCase(8, 0.5),
    labelCase(4, 1),
  ];
}
