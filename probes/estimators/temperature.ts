/**
 * Calibration of held-out class scores by one temperature: an over-confident decoder would push the
 * bound below zero, and one scalar fitted on n held-out scores costs about 1/(2n) nats of optimism
 * (docs/estimators.md section 8). Golden-section search on a log scale over [1/20, 50]: 22 steps
 * narrow ln T to 1e-4 of that range, far below what moves the cross-entropy.
 */

/** Mean cross-entropy of softmax(scores / temp) at the true codes, over `rows` (scores [n, m], by row index). */
export function crossEntropyAt(scores: Float64Array, m: number, codes: Int32Array, rows: ArrayLike<number>, temp: number, losses?: Float64Array): number {
  let sum = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r];
    let mx = -Infinity;
    for (let s = 0; s < m; s++) mx = Math.max(mx, scores[i * m + s] / temp);
    let z0 = 0;
    for (let s = 0; s < m; s++) z0 += Math.exp(scores[i * m + s] / temp - mx);
    const loss = mx + Math.log(z0) - scores[i * m + codes[i]] / temp;
    if (losses) losses[r] = loss;
    sum += loss;
  }
  return sum / rows.length;
}

/** The temperature that minimises the held-out cross-entropy, and that cross-entropy. */
export function calibrate(scores: Float64Array, m: number, codes: Int32Array, rows: ArrayLike<number>, iterations = 22): { temperature: number; crossEntropy: number } {
  const ce = (t: number) => crossEntropyAt(scores, m, codes, rows, t);
  let lo = Math.log(0.05);
  let hi = Math.log(50);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo);
  let b = lo + g * (hi - lo);
  let fa = ce(Math.exp(a));
  let fb = ce(Math.exp(b));
  for (let it = 0; it < iterations; it++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = ce(Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = ce(Math.exp(b));
    }
  }
  const temperature = Math.exp((lo + hi) / 2);
  return { temperature, crossEntropy: ce(temperature) };
}
