/** Special functions and small numeric helpers. */

const EULER = 0.5772156649015329;

/** Digamma psi(x) for x > 0: recurrence up to x >= 10, then the asymptotic series (truncation error < 1e-14 there). */
export function digamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`digamma needs x > 0, got ${x}`);
  let r = 0;
  while (x < 10) {
    r -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return r + Math.log(x) - 0.5 / x - f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f / 132))));
}

/** psi(n) for n = 0..max as a table (index 0 unused): psi(1) = -gamma, psi(n+1) = psi(n) + 1/n. */
export function digammaTable(max: number): Float64Array {
  const t = new Float64Array(max + 1);
  t[0] = NaN;
  if (max >= 1) t[1] = -EULER;
  for (let n = 1; n < max; n++) t[n + 1] = t[n] + 1 / n;
  return t;
}

/** Stable log(sum(exp(v))). */
export function logSumExp(v: ArrayLike<number>, from = 0, to = v.length): number {
  let m = -Infinity;
  for (let i = from; i < to; i++) if (v[i] > m) m = v[i];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = from; i < to; i++) s += Math.exp(v[i] - m);
  return m + Math.log(s);
}

/** First index in sorted a with a[i] > v (upper bound). */
export function upperBound(a: Float64Array, v: number, lo = 0, hi = a.length): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function quantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Median of unsorted values (the mean of the two middle ones for an even count). */
export function median(xs: ArrayLike<number>): number {
  return quantile(Array.from(xs).sort((a, b) => a - b), 0.5);
}

/** Standard normal CDF (Abramowitz-Stegun 7.1.26 through erf is too coarse; use erfc by continued series). */
export function normalCdf(v: number): number {
  // complementary error function, W. J. Cody's rational approximation is overkill here: a high-order
  // series for |v| < 3 and the asymptotic form beyond is accurate to ~1e-12, enough for a margin transform
  const z = Math.abs(v) / Math.SQRT2;
  let erfc: number;
  if (z < 3) {
    let sum = z;
    let term = z;
    for (let k = 1; k < 200; k++) {
      term *= (-z * z) / k;
      sum += term / (2 * k + 1);
      if (Math.abs(term) < 1e-17) break;
    }
    erfc = 1 - (2 / Math.sqrt(Math.PI)) * sum;
  } else {
    let s = 1;
    let t = 1;
    for (let k = 1; k < 8; k++) {
      t *= -(2 * k - 1) / (2 * z * z);
      s += t;
    }
    erfc = (Math.exp(-z * z) / (z * Math.sqrt(Math.PI))) * s;
  }
  return v >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/** ln Gamma by Lanczos (g = 7, 9 terms): ~1e-15 relative. */
export function lnGamma(z: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (z < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - lnGamma(1 - z);
  z -= 1;
  let a = c[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}
