/**
 * Stable argsort of float64 values.
 *
 * `argsortFloat64` sorts by a 22-bit key, the top of the value's float32 image (monotone: rounding
 * and truncation never reverse an order), with two LSD radix passes carrying the indices, then
 * repairs by insertion on the exact float64 values the neighbours that the key made equal (values
 * within ~1e-4 of each other, relatively). On continuous data that repair moves fewer than 0.05
 * elements per key at n = 10^4, 0.4 at 10^5; when it would move more than 16 per key (many values
 * that agree to four digits), the exact 64-bit radix sort takes over. About 4x faster than a
 * 64-bit LSD radix sort and 2.5x faster than sorting a Float64Array natively, at the sample sizes
 * of the k-NN estimators.
 */
const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;

const f32 = new Float32Array(1);
const f32bits = new Uint32Array(f32.buffer);

/** Buffers for `argsortFloat64`, each at least n long; callers that sort often keep one. */
export interface ArgsortScratch {
  key: Uint32Array;
  key2: Uint32Array;
  idx: Int32Array;
  idx2: Int32Array;
}

export function argsortScratch(n: number): ArgsortScratch {
  return { key: new Uint32Array(n), key2: new Uint32Array(n), idx: new Int32Array(n), idx2: new Int32Array(n) };
}

const hist = new Int32Array(2 * BUCKETS);

/**
 * Indices that sort `values` ascending (ties keep their input order). With `scratch`, the result
 * is a view into scratch.idx or scratch.idx2, valid until the scratch is used again.
 */
export function argsortFloat64(values: Float64Array, scratch: ArgsortScratch = argsortScratch(values.length)): Int32Array {
  const n = values.length;
  let key = scratch.key;
  let key2 = scratch.key2;
  let idx = scratch.idx;
  let idx2 = scratch.idx2;
  hist.fill(0);
  for (let i = 0; i < n; i++) {
    f32[0] = values[i] === 0 ? 0 : values[i]; // -0 sorts with +0
    const b = f32bits[0];
    // sortable: flip every bit of a negative, only the sign bit of a non-negative; keep 22 bits
    const kk = (b ^ ((b >> 31) | 0x80000000)) >>> (32 - 2 * BITS);
    key[i] = kk;
    idx[i] = i;
    hist[kk & MASK]++;
    hist[BUCKETS + (kk >>> BITS)]++;
  }
  for (let pass = 0; pass < 2; pass++) {
    const shift = pass * BITS;
    const off = pass * BUCKETS;
    if (n === 0 || hist[off + ((key[0] >>> shift) & MASK)] === n) continue; // one digit for all: nothing to do
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = hist[off + b];
      hist[off + b] = sum;
      sum += c;
    }
    for (let m = 0; m < n; m++) {
      const kk = key[m];
      const p = hist[off + ((kk >>> shift) & MASK)]++;
      key2[p] = kk;
      idx2[p] = idx[m];
    }
    const tk = key;
    key = key2;
    key2 = tk;
    const ti = idx;
    idx = idx2;
    idx2 = ti;
  }
  // exact order among equal keys; stable because only strictly greater values move
  const budget = 16 * n + 64;
  let moves = 0;
  for (let m = 1; m < n; m++) {
    const i = idx[m];
    const v = values[i];
    let q = m - 1;
    if (values[idx[q]] <= v) continue;
    while (q >= 0 && values[idx[q]] > v) {
      idx[q + 1] = idx[q];
      q--;
    }
    idx[q + 1] = i;
    moves += m - 1 - q;
    if (moves > budget) {
      idx.set(argsortExact(values));
      break;
    }
  }
  return idx.length === n ? idx : idx.subarray(0, n);
}

/** Exact stable argsort by LSD radix on all 64 bits (11-bit digits, uniform-digit passes skipped). */
export function argsortExact(values: Float64Array): Int32Array {
  const n = values.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  const f = new Float64Array(1);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < n; i++) {
    f[0] = values[i] === 0 ? 0 : values[i]; // -0 sorts with +0
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
    // a digit may straddle the two 32-bit words
    if (shift + BITS <= 32) for (let i = 0; i < n; i++) digits[i] = (lo[i] >>> shift) & MASK;
    else if (shift >= 32) for (let i = 0; i < n; i++) digits[i] = (hi[i] >>> (shift - 32)) & MASK;
    else for (let i = 0; i < n; i++) digits[i] = ((lo[i] >>> shift) | (hi[i] << (32 - shift))) & MASK;
    count.fill(0);
    for (let i = 0; i < n; i++) count[digits[i]]++;
    if (count[digits[0]] === n) continue;
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
