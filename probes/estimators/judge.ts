/**
 * What an estimate's verdict may be, and how a lower bound earns 'ok' (docs/estimators.md
 * section 9). A bound that is 'ok' claims to be close to the truth, which a bound cannot show by
 * itself: it needs support. The decoder bound is 'ok' only when
 *
 * - it is told from zero (its lower end, from the spread of the held-out losses, is above 0);
 * - it has stopped rising with n: from each rung of the ladder to the next larger one (n/4 to n/2
 *   to n) it rises by at most half the tolerance below (a bound approaching its limit like 1/n has
 *   as far left to go as its last rise);
 * - the nonlinear decoders found nothing more than the linear one (the code is linear, the kind a
 *   linear decoder reads near the Bayes limit).
 *
 * Otherwise it is 'lower-only': a floor, with the reason. A bound that is not told from zero also
 * says how large an information this bound could have detected at this n, so that "0.00" is never
 * read as "no information" when the data could not have shown it.
 */
import type { ReliabilityReport } from './reliability.js';

/** How far a bound may still rise, or exceed the linear decoder's, and count as settled: max(absolute, relative * value). */
const SETTLED = { absolute: 0.03, relative: 0.1 } as const;
const Z95_ONE_SIDED = 1.6448536269514722;

export interface LowerBoundEvidence {
  value: number;
  /** The same bound with a linear decoder only. */
  linear: number;
  /** Held-out loss of every scored sample: their spread is the bound's sampling error. */
  losses: Float64Array;
  /** Parameters the linear decoder fits, and the samples it fits them on: their ratio is what learning costs the bound. */
  parameters: number;
  trainSize: number;
}

interface JudgedReport extends ReliabilityReport {
  /** For a bound not told from zero: the smallest information it would detect at this n with 95 % probability (nats). */
  detectable?: number;
}

/** The standard error of a mean of held-out losses. */
function lossSe(losses: Float64Array): number {
  const n = losses.length;
  let m = 0;
  for (const v of losses) m += v / n;
  let ss = 0;
  for (const v of losses) ss += (v - m) ** 2;
  return Math.sqrt(ss / Math.max(1, n - 1) / n);
}

export function judgeLowerBound(r: ReliabilityReport, e: LowerBoundEvidence): JudgedReport {
  const se = lossSe(e.losses);
  const lo = Math.max(0, e.value - Z95_ONE_SIDED * se);
  const reasons = [...r.reasons];
  // every bound carries an interval: where the ladder could not give one, the losses' spread does
  let ci95 = r.ci95;
  if (!ci95) {
    ci95 = [lo, r.ceiling ?? Infinity];
    reasons.push('interval from the spread of the held-out losses: too few samples per class for a sample-size ladder');
  } else if (ci95[0] > lo) ci95 = [lo, ci95[1]];
  const out: JudgedReport = { ...r, ci95, reasons };
  if (r.reliability === 'saturated') return out;
  const tol = Math.max(SETTLED.absolute, SETTLED.relative * Math.abs(e.value));
  const floor: string[] = [];
  if (lo <= 0) {
    // the spread of the bound itself: of its held-out losses, or across the ladder's disjoint parts
    // (under no information a decoder predicts the prior everywhere and its losses barely vary)
    // plus what fitting costs: a decoder with k parameters fitted on m samples loses about k / (2 m)
    // nats of cross-entropy, so information below that cannot show in the bound at all
    out.detectable = e.parameters / (2 * e.trainSize) + 2 * Z95_ONE_SIDED * Math.max(se, r.ladder[0]?.sd ?? 0);
    floor.push(`no information told from zero: at this n this bound detects about ${out.detectable.toFixed(3)} nats or more, so less may be present`);
  }
  const rungs = [...r.ladder].sort((a, b) => a.n - b.n);
  const rising = rungs.some((p, i) => i > 0 && p.mean - rungs[i - 1].mean > tol / 2);
  if (rising) floor.push(`the bound still rises with n (${rungs.map((p) => `${p.mean.toFixed(3)} at n = ${p.n}`).join(', ')}): the truth may lie well above`);
  if (e.value - e.linear > tol) floor.push(`a nonlinear decoder found ${(e.value - e.linear).toFixed(3)} nats more than the linear one: the code is nonlinear, and a better decoder may find more`);
  if (r.reliability === 'ok' && floor.length > 0) out.reliability = 'lower-only';
  if (r.reliability === 'ok' || r.reliability === 'unstable') out.reasons = [...reasons, ...floor];
  if (!r.ci95 && r.reliability === 'unstable') out.reliability = 'lower-only';
  return out;
}
