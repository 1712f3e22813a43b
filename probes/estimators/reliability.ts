/**
 * The reliability protocol every estimate carries (docs/estimators.md section 9): one implementation
 * for estimate(), `infoscope estimate` and every probe record.
 *
 * 1. A sample-size ladder: the estimator on the full n, on disjoint halves (two random partitions)
 *    and on disjoint quarters. Disjoint parts, never resampling with replacement: duplicated points
 *    sit at distance zero and inflate k-NN and kernel estimates.
 * 2. The mean estimate at each size is fitted by weighted least squares as I(n) = I_inf + b / n
 *    (Strong et al. 1998; Treves & Panzeri 1995): the intercept is the extrapolated, bias-corrected
 *    value, and its standard error (from the spread of the parts; the variance at full n taken as
 *    that of the halves over 2, Holmes & Nemenman 2019) gives the interval the tool stands behind.
 * 3. A verdict with reasons: 'saturated' (at its ceiling), 'unstable' (the ladder is not linear in
 *    1/n, too few samples to build it, or the permutation null is not beaten), 'biased' (raw and
 *    extrapolated disagree beyond their uncertainty, or too few samples per dimension or class), or
 *    'ok'. An estimator that is a bound gets a one-sided interval.
 */
import type { EstRng } from './random.js';
import type { Verdict } from './verdicts.js';
import { EstimatorInputError } from './types.js';

export type BoundKind = 'lower' | 'upper' | null;

interface LadderPoint {
  n: number;
  mean: number;
  sd: number;
  draws: number;
}

export interface ReliabilityReport {
  /** Extrapolated to infinite n (equals the raw value when no ladder could be built). */
  corrected: number;
  /** 95 % interval for the true MI (one-sided toward the ceiling or 0 for bounds); null without a ladder. */
  ci95: [number, number] | null;
  /** Largest value the estimate can take: ln #classes, ln n, ln batch; null when unbounded. */
  ceiling: number | null;
  saturated: boolean;
  bound: BoundKind;
  reliability: Verdict;
  reasons: string[];
  ladder: LadderPoint[];
}

interface ProtocolOptions {
  /** The estimator's plain value on all n samples. */
  value: number;
  bound: BoundKind;
  ceiling: number | null;
  rng: EstRng;
  /** Labels to split by (so every part keeps every class), or null. */
  strata: Int32Array | null;
  /** Smallest part the estimator can work on. */
  minPart: number;
  /** Problems found before the ladder (too few samples per dimension or class): each makes it 'biased'. */
  preReasons?: string[];
  /** Permutation p-value, when a null was computed. */
  nullP?: number;
  /** The ladder's rungs: [parts, repeats] (default: halves twice, quarters once). */
  rungs?: ReadonlyArray<readonly [number, number]>;
}

/** The sample-size ladder's rungs by default: two partitions into halves, one into quarters. */
const RUNGS = [
  [2, 2],
  [4, 1],
] as const;

/** `parts` disjoint parts of 0..n-1 of (nearly) equal size, stratified by label when given. */
function partition(n: number, parts: number, strata: Int32Array | null, rng: EstRng): Int32Array[] {
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = strata ? strata[i] : 0;
    if (!groups.has(key)) groups.set(key, []);
    (groups.get(key) as number[]).push(i);
  }
  const out: number[][] = Array.from({ length: parts }, () => []);
  let offset = 0;
  for (const idx of groups.values()) {
    for (let i = idx.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    // continue the round-robin across groups so part sizes stay within one of each other
    idx.forEach((v, r) => out[(r + offset) % parts].push(v));
    offset += idx.length;
  }
  return out.map((p) => Int32Array.from(p.sort((a, b) => a - b)));
}

const Z95 = 1.959963984540054;

/**
 * Student-t quantiles for the interval: the spread comes from a handful of ladder parts, so the
 * standard error is itself uncertain (degrees of freedom = parts - rungs). Two-sided 97.5 % and
 * one-sided 95 % points for 1..12 degrees of freedom, then the normal values.
 */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179];
const T95 = [6.314, 2.92, 2.353, 2.132, 2.015, 1.943, 1.895, 1.86, 1.833, 1.812, 1.796, 1.782];
const tQuantile = (table: number[], dof: number, normal: number) => (dof >= 1 && dof <= table.length ? table[dof - 1] : dof > table.length ? normal : table[0]);
/**
 * An estimate at least this share of its ceiling (ln #classes, ln n, ln batch) is saturated: it
 * says the information is near the most the estimator can show, and little more.
 */
const SATURATION_SHARE = 0.9;

/** The one saturation test: every record, estimate and chart reads it from here. */
export function isSaturated(value: number, ceiling: number | null): boolean {
  return ceiling !== null && Number.isFinite(ceiling) && value >= SATURATION_SHARE * ceiling;
}

/** chi-square(1) at p = 0.01. */
const CHI2_1_P01 = 6.634896601021214;

export function reliabilityProtocol(estimateRows: (rows: Int32Array) => number, n: number, o: ProtocolOptions): ReliabilityReport {
  const reasons = [...(o.preReasons ?? [])];
  // the full-n rung's spread is filled in from the parts below (0 when there are none): plain JSON, no NaN
  const ladder: LadderPoint[] = [{ n, mean: o.value, sd: 0, draws: 1 }];
  if (isSaturated(o.value, o.ceiling)) {
    // at its ceiling the number says little whatever the ladder would add: report that, cheaply
    // a lower bound this close to its ceiling places the truth in its top tenth; other estimators say nothing more
    const top = o.ceiling as number;
    const ci95: [number, number] | null = o.bound === 'lower' ? [SATURATION_SHARE * top, top] : null;
    return { corrected: o.value, ci95, ceiling: top, saturated: true, bound: o.bound, reliability: 'saturated', reasons: [...reasons, `at its ceiling: ${o.value.toFixed(3)} of at most ${top.toFixed(3)} nats`], ladder };
  }
  for (const [parts, repeats] of o.rungs ?? RUNGS) {
    if (Math.floor(n / parts) < o.minPart) continue;
    const values: number[] = [];
    try {
      for (let r = 0; r < repeats; r++) for (const rows of partition(n, parts, o.strata, o.rng)) values.push(estimateRows(rows));
    } catch (e) {
      if (e instanceof EstimatorInputError) continue; // the parts are too small for this estimator
      throw e;
    }
    if (values.some((v) => !Number.isFinite(v))) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
    ladder.push({ n: Math.round(n / parts), mean, sd, draws: values.length });
  }

  const saturated = isSaturated(o.value, o.ceiling);
  if (saturated) reasons.push(`at its ceiling: ${o.value.toFixed(3)} of at most ${(o.ceiling as number).toFixed(3)} nats`);

  let corrected = o.value;
  let center = o.value;
  let se = NaN;
  let fullVar = NaN;
  if (ladder.length >= 2) {
    // the variance at full n from every rung (variance ~ 1/n), pooled; floored so a flat ladder cannot claim certainty
    const floor = 1e-10 + (1e-4 * Math.abs(o.value)) ** 2;
    const rungs = ladder.slice(1);
    fullVar = Math.max(floor, rungs.reduce((acc, p) => acc + (p.sd * p.sd * p.n) / n, 0) / rungs.length);
    ladder[0].sd = Math.sqrt(fullVar);
    const pts = ladder.map((p, i) => ({ x: 1 / p.n, y: p.mean, v: i === 0 ? fullVar : Math.max(floor, (p.sd * p.sd) / p.draws) }));
    let sw = 0;
    let swx = 0;
    let swy = 0;
    let swxx = 0;
    let swxy = 0;
    for (const p of pts) {
      const w = 1 / p.v;
      sw += w;
      swx += w * p.x;
      swy += w * p.y;
      swxx += w * p.x * p.x;
      swxy += w * p.x * p.y;
    }
    const det = sw * swxx - swx * swx;
    const b = (sw * swxy - swx * swy) / det;
    const a = (swy - b * swx) / sw;
    corrected = a;
    center = a;
    // the intercept's sampling error, plus the extrapolation's own uncertainty: half the correction
    // it applied (a 1/n law is an approximation; a large correction is itself uncertain)
    se = Math.sqrt(swxx / det + ((o.value - a) / 2) ** 2);
    if (pts.length >= 3) {
      const chi2 = pts.reduce((acc, p) => acc + (p.y - a - b * p.x) ** 2 / p.v, 0);
      if (chi2 > CHI2_1_P01) reasons.push(`the sample-size ladder is not linear in 1/n (chi-square ${chi2.toFixed(1)} on 1 degree of freedom): more samples are needed before an extrapolation can be trusted`);
    }
    const gap = Math.abs(o.value - corrected);
    const gapSe = Math.sqrt(fullVar + se * se);
    if (gap > Z95 * gapSe) reasons.push(`finite-sample bias: the raw value ${o.value.toFixed(3)} and the extrapolated ${corrected.toFixed(3)} differ by ${gap.toFixed(3)} nats, beyond their uncertainty; use the corrected value`);
    else {
      // no bias the ladder can resolve: the interval stays on the raw value, its sampling spread widened by
      // the (insignificant) correction as a systematic term, so a noisy extrapolation cannot move it away
      center = o.value;
      se = Math.sqrt(fullVar + gap * gap);
    }
  } else {
    reasons.push(`too few samples (n = ${n}) for a sample-size ladder: no bias correction and no interval`);
  }
  if (o.nullP !== undefined && o.nullP > 0.05) reasons.push(`not distinguishable from zero: the permutation null is not beaten (p = ${o.nullP.toFixed(3)})`);

  let ci95: [number, number] | null = null;
  if (Number.isFinite(se)) {
    const top = o.ceiling !== null && Number.isFinite(o.ceiling) ? (o.ceiling as number) : Infinity;
    const dof = ladder.slice(1).reduce((acc, p) => acc + p.draws - 1, 0);
    const two = tQuantile(T975, dof, Z95);
    const one = tQuantile(T95, dof, 1.6448536269514722);
    if (o.bound === 'lower') ci95 = [Math.max(0, center - one * se), top];
    else if (o.bound === 'upper') ci95 = [0, Math.min(top, center + one * se)];
    else ci95 = [Math.max(0, center - two * se), Math.min(top, center + two * se)];
    if (ci95[0] > ci95[1]) ci95 = [ci95[1], ci95[1]];
  }

  const has = (re: RegExp) => reasons.some((r) => re.test(r));
  const reliability: Verdict = saturated ? 'saturated' : has(/not linear|too few samples \(n|permutation null/) ? 'unstable' : reasons.length > 0 ? 'biased' : 'ok';
  return { corrected, ci95, ceiling: o.ceiling, saturated, bound: o.bound, reliability, reasons, ladder };
}
