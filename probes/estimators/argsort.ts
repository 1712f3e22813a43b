/**
 * Stable argsort of float64 values by LSD radix sort on their bits (11-bit digits, passes whose
 * digit is the same for every key skipped): O(n), several times faster than a comparison sort of
 * typed arrays in V8 at the sample sizes of the k-NN estimators.
 */
const BITS = 11;
const BUCKETS = 1 << BITS;

export function argsortFloat64(values: Float64Array): Int32Array {
  const n = values.length;
  // sortable keys: flip every bit of negatives, only the sign bit of non-negatives (-0 sorts with +0)
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    f[0] = values[i] === 0 ? 0 : values[i];
    if (u[1] & 0x80000000) {
      hi[i] = ~u[1] >>> 0;
      lo[i] = ~u[0] >>> 0;
    } else {
      hi[i] = (u[1] | 0x80000000) >>> 0;
      lo[i] = u[0];
    }
  }
  let idx = new Int32Array(n);
  let tmp = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const count = new Int32Array(BUCKETS);
  const digits = new Int32Array(n);
  for (let shift = 0; shift < 64; shift += BITS) {
    // digit of every key at this position (a digit may straddle the two 32-bit words)
    if (shift + BITS <= 32) for (let i = 0; i < n; i++) digits[i] = (lo[i] >>> shift) & (BUCKETS - 1);
    else if (shift >= 32) for (let i = 0; i < n; i++) digits[i] = (hi[i] >>> (shift - 32)) & (BUCKETS - 1);
    else for (let i = 0; i < n; i++) digits[i] = ((lo[i] >>> shift) | (hi[i] << (32 - shift))) & (BUCKETS - 1);
    count.fill(0);
    for (let i = 0; i < n; i++) count[digits[i]]++;
    if (count[digits[0]] === n) continue; // every key has the same digit here
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let m = 0; m < n; m++) {
      const i = idx[m];
      tmp[count[digits[i]]++] = i;
    }
    const t = idx;
    idx = tmp;
    tmp = t;
  }
  return idx;
}
