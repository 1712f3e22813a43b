/**
 * The estimators by name: the list `estimate()`, the CLI and the probe hooks accept. A light module
 * (no estimator code), so that the command line can offer the names without loading them.
 */
export const estimatorNames = ['ksg', 'ksg2', 'ross', 'mixed', 'decoder', 'gcmi', 'binning', 'kde-upper', 'kde-lower', 'gaussian', 'mine', 'infonce', 'nwj'] as const;
export type EstimatorName = (typeof estimatorNames)[number];

/** Estimators that train a critic with tfjs (the caller initialises a backend first). */
export const neuralEstimators: readonly EstimatorName[] = ['mine', 'infonce', 'nwj'];

export function isEstimatorName(s: string): s is EstimatorName {
  return (estimatorNames as readonly string[]).includes(s);
}
