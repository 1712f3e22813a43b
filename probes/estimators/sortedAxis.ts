/**
 * A scalar variable sorted once, and counts of the samples within a radius of one of them, found
 * from the sample's own position in the sorted values. Shared by the scalar KSG path and the
 * marginal counters of the other k-NN estimators.
 */
import { argsortFloat64, type ArgsortScratch } from './argsort.js';

/** Sorted copy of the values and the position of every sample in it. */
interface SortedAxis {
  sorted: Float64Array;
  rank: Int32Array;
}

export function sortedAxis(
  values: Float64Array,
  out: SortedAxis = { sorted: new Float64Array(values.length), rank: new Int32Array(values.length) },
  scratch?: ArgsortScratch,
): SortedAxis {
  const order = argsortFloat64(values, scratch);
  const { sorted, rank } = out;
  for (let p = 0; p < values.length; p++) {
    const i = order[p];
    sorted[p] = values[i];
    rank[i] = p;
  }
  return out;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The smallest double above e >= 0 (so that d <= e is exactly d < nextUp(e)). */
function nextUp(e: number): number {
  if (!(e < Infinity)) return e;
  f64[0] = e;
  u64[0] += 1n;
  return f64[0];
}

/** Linear steps from the guess before galloping: the guess is usually this close. */
const WALK = 8;

/**
 * Last position q >= p of sorted `a` with a[q] - a[p] < e (e > 0), searched from q = p + guess:
 * a short walk, then galloping and bisection, so that a bad guess costs O(log n), not O(n).
 */
function lastWithin(a: Float64Array, n: number, p: number, e: number, guess: number): number {
  const v = a[p];
  // NaN (0 * Infinity, on tied values) and overlong guesses give the end of the array
  let q = guess < n - 1 - p ? p + (guess > 0 ? Math.round(guess) : 0) : n - 1;
  let lo: number; // known inside
  let hi: number; // known outside, or n
  if (a[q] - v < e) {
    const stop = q + WALK < n - 1 ? q + WALK : n - 1;
    while (q < stop && a[q + 1] - v < e) q++;
    if (q < stop || q === n - 1) return q;
    lo = q;
    let step = 2;
    hi = lo + step;
    while (hi < n && a[hi] - v < e) {
      lo = hi;
      step += step;
      hi = lo + step;
    }
    if (hi > n) hi = n;
  } else {
    const stop = q - WALK > p ? q - WALK : p;
    while (q > stop && !(a[q - 1] - v < e)) q--;
    if (q > stop) return q - 1;
    hi = q;
    let step = 2;
    lo = hi - step;
    while (lo > p && !(a[lo] - v < e)) {
      hi = lo;
      step += step;
      lo = hi - step;
    }
    if (lo < p) lo = p;
  }
  while (hi - lo > 1) {
    const m = (lo + hi) >>> 1;
    if (a[m] - v < e) lo = m;
    else hi = m;
  }
  return lo;
}

/** First position q <= p of sorted `a` with a[p] - a[q] < e (e > 0), searched from q = p - guess. */
function firstWithin(a: Float64Array, p: number, e: number, guess: number): number {
  const v = a[p];
  let q = guess < p ? p - (guess > 0 ? Math.round(guess) : 0) : 0;
  let lo: number; // known outside, or -1
  let hi: number; // known inside
  if (v - a[q] < e) {
    const stop = q - WALK > 0 ? q - WALK : 0;
    while (q > stop && v - a[q - 1] < e) q--;
    if (q > stop || q === 0) return q;
    hi = q;
    let step = 2;
    lo = hi - step;
    while (lo >= 0 && v - a[lo] < e) {
      hi = lo;
      step += step;
      lo = hi - step;
    }
    if (lo < -1) lo = -1;
  } else {
    const stop = q + WALK < p ? q + WALK : p;
    while (q < stop && !(v - a[q + 1] < e)) q++;
    if (q < stop) return q + 1;
    lo = q;
    let step = 2;
    hi = lo + step;
    while (hi < p && !(v - a[hi] < e)) {
      lo = hi;
      step += step;
      hi = lo + step;
    }
    if (hi > p) hi = p;
  }
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (v - a[m] < e) hi = m;
    else lo = m;
  }
  return hi;
}

/**
 * #{q != p : |a[q] - a[p]| < e} (strict) or <= e in sorted a (length n), going out from position p.
 * `guess`: the expected count on each side, where the searches start. The differences are the
 * distances |a[q] - a[p]| exactly (rounding is symmetric), so counts equal a brute-force scan's.
 */
export function countAround(a: Float64Array, n: number, p: number, e: number, strict: boolean, guess = 0): number {
  const eStrict = strict ? e : nextUp(e);
  if (!(eStrict > 0)) return 0;
  return lastWithin(a, n, p, eStrict, guess) - firstWithin(a, p, eStrict, guess);
}
