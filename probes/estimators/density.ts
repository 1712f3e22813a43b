/**
 * The densities the continuous decoder scores a held-out stimulus with (regression.ts): von Mises
 * around a predicted direction, Gaussian around a predicted value, each mixed with a floor; and the
 * Kozachenko-Leonenko entropy of a one-dimensional sample.
 */
import { digamma } from './special.js';

/** A share of uniform density mixed into every prediction: one wild trial cannot cost more than ln(1 / share) nats. */
const FLOOR = 0.01;


/** ln I0(kappa), the von Mises normaliser (Abramowitz & Stegun 9.8.1-2: relative error below 2e-7). */
export function logI0(kappa: number): number {
  const k = Math.abs(kappa);
  if (k < 3.75) {
    const t = (k / 3.75) ** 2;
    return Math.log(1 + t * (3.5156229 + t * (3.0899424 + t * (1.2067492 + t * (0.2659732 + t * (0.0360768 + t * 0.0045813))))));
  }
  const t = 3.75 / k;
  const p = 0.39894228 + t * (0.01328592 + t * (0.00225319 + t * (-0.00157565 + t * (0.00916281 + t * (-0.02057706 + t * (0.02635537 + t * (-0.01647633 + t * 0.00392377)))))));
  return k - 0.5 * Math.log(k) + Math.log(p);
}

/** -ln q(theta) for a von Mises of concentration kappa, given cos(theta - mu), mixed with the uniform floor. */
function lossAt(cosDiff: number, kappa: number): number {
  // ln[(1 - f) e^{k c - ln I0(k)} + f] - ln 2 pi, stably
  const a = Math.log1p(-FLOOR) + kappa * cosDiff - logI0(kappa);
  const b = Math.log(FLOOR);
  const mx = Math.max(a, b);
  return Math.log(2 * Math.PI) - (mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx)));
}

/** -ln q(x) for a Gaussian (mean m, sd s) mixed with a wide Gaussian floor (sd 10 s). */
function gaussLoss(x: number, m: number, s: number): number {
  const z = (x - m) / s;
  const a = Math.log1p(-FLOOR) - 0.5 * z * z - Math.log(s * Math.sqrt(2 * Math.PI));
  const b = Math.log(FLOOR) - 0.5 * (z / 10) ** 2 - Math.log(10 * s * Math.sqrt(2 * Math.PI));
  const mx = Math.max(a, b);
  return -(mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx)));
}

/** The density model fitted on (prediction, truth) pairs of an inner validation set. */
interface Density {
  loss(pred: Float64Array, x: number): number;
}

/**
 * Circular: kappa = exp(a + b ln r), r the length of the predicted (cos, sin): a longer prediction
 * is a surer one. b in {0, 1}, a by golden-section search, on the validation pairs.
 */
export function fitCircular(preds: Float64Array, xs: Float64Array): Density {
  const n = xs.length;
  const c = new Float64Array(n);
  const lr = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    c[i] = Math.cos(xs[i] - Math.atan2(preds[2 * i + 1], preds[2 * i]));
    lr[i] = Math.log(Math.max(1e-6, Math.hypot(preds[2 * i], preds[2 * i + 1])));
  }
  const total = (a: number, b: number) => {
    let s = 0;
    for (let i = 0; i < n; i++) s += lossAt(c[i], Math.exp(Math.min(12, a + b * lr[i])));
    return s;
  };
  let best = { a: 0, b: 0, v: Infinity };
  for (const b of [0, 1]) {
    let lo = -5;
    let hi = 8;
    const g = (Math.sqrt(5) - 1) / 2;
    let x1 = hi - g * (hi - lo);
    let x2 = lo + g * (hi - lo);
    let f1 = total(x1, b);
    let f2 = total(x2, b);
    for (let it = 0; it < 16; it++) {
      if (f1 < f2) {
        hi = x2;
        x2 = x1;
        f2 = f1;
        x1 = hi - g * (hi - lo);
        f1 = total(x1, b);
      } else {
        lo = x1;
        x1 = x2;
        f1 = f2;
        x2 = lo + g * (hi - lo);
        f2 = total(x2, b);
      }
    }
    const a = (lo + hi) / 2;
    const v = total(a, b);
    if (v < best.v) best = { a, b, v };
  }
  return { loss: (p, x) => lossAt(Math.cos(x - Math.atan2(p[1], p[0])), Math.exp(Math.min(12, best.a + best.b * Math.log(Math.max(1e-6, Math.hypot(p[0], p[1])))))) };
}

/** On the line: a Gaussian with the validation residuals' spread. */
export function fitLinear(preds: Float64Array, xs: Float64Array): Density {
  let ss = 0;
  for (let i = 0; i < xs.length; i++) ss += (xs[i] - preds[i]) ** 2;
  const s = Math.sqrt(ss / xs.length) || 1e-6;
  return { loss: (p, x) => gaussLoss(x, p[0], s) };
}

/** Kozachenko-Leonenko entropy of a 1-D sample (k = 3), on the line or on the circle [0, 2 pi). */
export function entropy1d(values: Float64Array, circular: boolean): number {
  const n = values.length;
  const k = Math.min(3, n - 1);
  const v = Float64Array.from(values).sort();
  let acc = 0;
  for (let i = 0; i < n; i++) {
    // the k-th nearest distance among the sorted neighbours on both sides (wrapping on the circle)
    let lo = i - 1;
    let hi = i + 1;
    let dist = 0;
    const at = (j: number) => (circular ? v[((j % n) + n) % n] + 2 * Math.PI * Math.floor(j / n) : j < 0 ? -Infinity : j >= n ? Infinity : v[j]);
    for (let c = 0; c < k; c++) {
      const dl = v[i] - at(lo);
      const dh = at(hi) - v[i];
      if (dl <= dh) {
        dist = dl;
        lo--;
      } else {
        dist = dh;
        hi++;
      }
    }
    acc += Math.log(2 * dist);
  }
  return digamma(n) - digamma(k) + acc / n;
}


