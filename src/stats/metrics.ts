/**
 * The summaries statistics across runs can compute per group of runs (a sweep's setting, a
 * `compare --group`): their names, in report order. aggregate.ts computes them; a sweep file's
 * `metrics` picks among them (all by default).
 */
export const SWEEP_METRICS = [
  'final_perf',
  'final_loss',
  'steps_to_target',
  'wall_to_target_s',
  'wall_s',
  'train_s',
  'mi_response_end',
  'peak_time_median',
  'peak_mi_mean',
  'n_clusters',
  'silhouette',
  'silhouette_control',
  'ftv_extreme_share',
] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];

/** The perf a "to target" summary counts steps and time to, unless a sweep or `compare` says otherwise. */
export const DEFAULT_TARGET_PERF = 0.95;
