/** What an estimate's verdict may be (docs/estimators.md section 9); judge.ts says when a lower bound earns 'ok'. */
export const VERDICTS = ['ok', 'lower-only', 'biased', 'unstable', 'saturated'] as const;
export type Verdict = (typeof VERDICTS)[number];
