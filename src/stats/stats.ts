/**
 * Statistics across seeds: Student-t intervals of a mean, a two-sample permutation test and effect
 * sizes. The unit of replication is the seed (one trained network), never a trial or a neuron, so
 * the n here is small (3-40) and the intervals are honest about it. Pure functions on number arrays.
 */
import { lnGamma } from '../../probes/estimators/special.js';
import { Xoshiro128 } from '../core/rng.js';

/** Regularised incomplete beta I_x(a, b) by its continued fraction (modified Lentz), ~1e-14. */
export function regIncBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  // the continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise
  if (x > (a + 1) / (a + b + 2)) return 1 - regIncBeta(1 - x, b, a);
  const front = Math.exp(a * Math.log(x) + b * Math.log(1 - x) - (lnGamma(a) + lnGamma(b) - lnGamma(a + b))) / a;
  const tiny = 1e-300;
  let f = 1;
  let c = 1;
  let d = 0;
  for (let i = 0; i <= 400; i++) {
    const m = i >> 1;
    let num: number;
    if (i === 0) num = 1;
    else if (i % 2 === 0) num = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    else num = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + num * d;
    if (Math.abs(d) < tiny) d = tiny;
    d = 1 / d;
    c = 1 + num / c;
    if (Math.abs(c) < tiny) c = tiny;
    const cd = c * d;
    f *= cd;
    if (Math.abs(1 - cd) < 1e-15) break;
  }
  return front * (f - 1);
}

/** CDF of Student's t with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const x = df / (df + t * t);
  const tail = 0.5 * regIncBeta(x, df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** Quantile of Student's t (bisection on the CDF: 200 halvings reach double precision). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`quantile level must be in (0, 1), got ${p}`);
  if (p === 0.5) return 0;
  let lo = -1e6;
  let hi = 1e6;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(lo)); i++) {
    const mid = 0.5 * (lo + hi);
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return 0.5 * (lo + hi);
}

export interface MeanInterval {
  mean: number;
  /** 95 % Student-t interval of the mean across seeds; null with fewer than two values. */
  ci95: [number, number] | null;
  /** Finite values that entered. */
  n: number;
  sd: number | null;
}

/** Mean and t interval of the finite values (non-finite ones are left out, and n says so). */
export function meanInterval(values: readonly number[], level = 0.95): MeanInterval {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: NaN, ci95: null, n: 0, sd: null };
  const mean = v.reduce((s, x) => s + x, 0) / n;
  if (n < 2) return { mean, ci95: null, n, sd: null };
  const sd = Math.sqrt(v.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { mean, ci95: [mean - half, mean + half], n, sd };
}

/** Average ranks (1-based) of the pooled values; ties share their mean rank; +Infinity ranks last. */
export function ranks(values: readonly number[]): number[] {
  const idx = values.map((v, i) => [v, i] as const).sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : 0));
  const r = new Array<number>(values.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
    for (let k = i; k <= j; k++) r[idx[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

interface PermutationResult {
  /** Two-sided p: the share of relabellings whose |difference| is at least the observed one. */
  p: number;
  /** 'mean': difference of means; 'rank': difference of mean ranks (used when a value is +Infinity, e.g. a target never reached). */
  statistic: 'mean' | 'rank';
  /** Observed statistic, a minus b. */
  observed: number;
  /** True when every relabelling was enumerated; otherwise `permutations` random ones (p includes the observed labelling). */
  exact: boolean;
  permutations: number;
}

function* combinations(n: number, k: number): Generator<number[]> {
  const c = Array.from({ length: k }, (_, i) => i);
  for (;;) {
    yield c;
    let i = k - 1;
    while (i >= 0 && c[i] === n - k + i) i--;
    if (i < 0) return;
    c[i]++;
    for (let j = i + 1; j < k; j++) c[j] = c[j - 1] + 1;
  }
}

function logChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/**
 * Seed-level two-sample permutation test. NaN values are dropped; +Infinity (a target never reached)
 * is allowed and switches the statistic to mean ranks. Exact when at most `maxExact` relabellings
 * exist, Monte Carlo with `rounds` draws otherwise (seeded: the same data give the same p).
 */
export function permutationTest(aIn: readonly number[], bIn: readonly number[], opts: { maxExact?: number; rounds?: number; seed?: number } = {}): PermutationResult | null {
  const a = aIn.filter((x) => !Number.isNaN(x) && x !== -Infinity);
  const b = bIn.filter((x) => !Number.isNaN(x) && x !== -Infinity);
  if (a.length < 2 || b.length < 2) return null;
  const pooledRaw = [...a, ...b];
  const useRanks = pooledRaw.some((x) => !Number.isFinite(x));
  const pooled = useRanks ? ranks(pooledRaw) : pooledRaw;
  const n = pooled.length;
  const na = a.length;
  const total = pooled.reduce((s, x) => s + x, 0);
  const stat = (sumA: number) => sumA / na - (total - sumA) / (n - na);
  const observed = stat(pooled.slice(0, na).reduce((s, x) => s + x, 0));
  const eps = 1e-12 * (Math.abs(observed) + 1);
  const maxExact = opts.maxExact ?? 50_000;
  let hits = 0;
  let count = 0;
  if (logChoose(n, na) <= Math.log(maxExact)) {
    for (const c of combinations(n, na)) {
      let s = 0;
      for (const i of c) s += pooled[i];
      if (Math.abs(stat(s)) >= Math.abs(observed) - eps) hits++;
      count++;
    }
    return { p: hits / count, statistic: useRanks ? 'rank' : 'mean', observed, exact: true, permutations: count };
  }
  const rounds = opts.rounds ?? 20_000;
  const rng = Xoshiro128.fromKey(`permutation/${opts.seed ?? 0}`);
  const perm = pooled.slice();
  for (let r = 0; r < rounds; r++) {
    // partial Fisher-Yates: the first na entries are a uniform random subset
    for (let i = 0; i < na; i++) {
      const j = i + Math.floor(rng.next() * (n - i));
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    let s = 0;
    for (let i = 0; i < na; i++) s += perm[i];
    if (Math.abs(stat(s)) >= Math.abs(observed) - eps) hits++;
  }
  // the observed labelling counts as one of the draws, so p is never 0 (Phipson & Smyth 2010)
  return { p: (hits + 1) / (rounds + 1), statistic: useRanks ? 'rank' : 'mean', observed, exact: false, permutations: rounds };
}

/** Hedges' g (pooled-SD standardised difference with the small-sample correction); null if undefined. */
export function hedgesG(aIn: readonly number[], bIn: readonly number[]): number | null {
  const a = aIn.filter(Number.isFinite);
  const b = bIn.filter(Number.isFinite);
  if (a.length < 2 || b.length < 2) return null;
  const ma = a.reduce((s, x) => s + x, 0) / a.length;
  const mb = b.reduce((s, x) => s + x, 0) / b.length;
  const ss = a.reduce((s, x) => s + (x - ma) ** 2, 0) + b.reduce((s, x) => s + (x - mb) ** 2, 0);
  const df = a.length + b.length - 2;
  const sp = Math.sqrt(ss / df);
  if (!(sp > 0)) return ma === mb ? 0 : null;
  const j = 1 - 3 / (4 * df - 1);
  return ((ma - mb) / sp) * j;
}

/** Cliff's delta: P(a > b) - P(a < b) over all pairs; defined with +Infinity values too. */
export function cliffsDelta(aIn: readonly number[], bIn: readonly number[]): number | null {
  const a = aIn.filter((x) => !Number.isNaN(x));
  const b = bIn.filter((x) => !Number.isNaN(x));
  if (a.length === 0 || b.length === 0) return null;
  let s = 0;
  for (const x of a) for (const y of b) s += x > y ? 1 : x < y ? -1 : 0;
  return s / (a.length * b.length);
}
