/**
 * Types and zod schemas of every file in a run folder, in one place: the engine writes with them,
 * readers (resume, report, watch, compare) parse with them. config.json holds a config in normal
 * form (src/config/schema.ts); probes.jsonl holds probe records (probes/hooks/records.ts).
 */
import { z } from 'zod';

export type { Config } from '../config/schema.js';

/**
 * 'stopped': stopped by the user (SIGINT/SIGTERM) after a final checkpoint; resumable.
 * 'interrupted' is never written: readers show it for a 'running' run whose process died (no live
 * lock; see lock.ts); resumable too.
 */
export const runStatusSchema = z.enum(['running', 'completed', 'diverged', 'failed', 'stopped', 'interrupted']);

export const metaSchema = z.object({
  infoscope: z.string(),
  backend: z.string(),
  backendPackage: z.string(),
  node: z.string(),
  cpu: z.string(),
  platform: z.string(),
  seed: z.number(),
  model: z.object({ kind: z.string(), activation: z.string().optional(), recInit: z.string().optional() }).loose(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  status: runStatusSchema,
  /** Last completed step. */
  step: z.number().int(),
  totalSteps: z.number().int(),
  stopReason: z.string().nullable(),
  message: z.string().nullable(),
  wallSeconds: z.number(),
  /** probe_s: computation of the probe passes (on a worker thread by default); probe_wait_s: time the training thread waited for them. */
  timing: z.object({ train_s: z.number(), eval_s: z.number(), probe_s: z.number(), checkpoint_s: z.number(), probe_wait_s: z.number().optional() }),
  resumes: z.array(z.object({ at: z.string(), fromStep: z.number().int() })),
  /** The preset a run was made from: its name, what it reproduces, the keys it fixed and the defaults it suggested. */
  /** A run folder made by `infoscope import`: what was imported, from where, when. */
  imported: z.object({ kind: z.enum(['activity', 'weights']), source: z.string().nullable(), at: z.string() }).optional(),
  preset: z.object({ name: z.string(), describe: z.string(), fixed: z.record(z.string(), z.unknown()), suggested: z.record(z.string(), z.unknown()) }).optional(),
});
export type Meta = z.infer<typeof metaSchema>;

/** probe-batch.json: what the fixed probe batch is, so that readers can label time steps. */
export const probeBatchInfoSchema = z.object({
  task: z.string(),
  T: z.number().int(),
  trials: z.number().int(),
  directions: z.number().int(),
  dt: z.number(),
  goStep: z.number().int(),
  epochs: z.record(z.string(), z.tuple([z.number().int(), z.number().int()])),
  /** A run with several tasks: each task's probe-batch timing. */
  byTask: z.record(z.string(), z.object({ T: z.number().int(), goStep: z.number().int(), epochs: z.record(z.string(), z.tuple([z.number().int(), z.number().int()])) })).optional(),
});
export type ProbeBatchInfo = z.infer<typeof probeBatchInfoSchema>;

/** probes.jsonl: one line per probe record (the hooks' record schema; a non-finite value is written as null). */
export { probeRecordSchema, type ProbeRecord as ProbeRecordLine, HOOK, QUANTITY, VERDICTS, type Verdict } from '../../probes/hooks/records.js';

export const metricLineSchema = z.object({
  step: z.number().int(),
  wall_s: z.number(),
  task: z.string(),
  loss: z.number().nullable(),
  grad_norm: z.number().nullable(),
  /** Present on evaluation steps: mean perf over the run's tasks, and per task. */
  perf: z.number().optional(),
  perf_strict: z.number().optional(),
  perf_by_task: z.record(z.string(), z.number()).optional(),
  /** Runs with several tasks, on evaluation steps: the lowest per-task perf (what --target-perf compares with). */
  perf_min: z.number().optional(),
});
export type MetricLine = z.infer<typeof metricLineSchema>;

export const checkpointStateSchema = z.object({
  step: z.number().int(),
  model: z.object({ kind: z.string(), scalars: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])) }),
  arrays: z.record(z.string(), z.object({ file: z.string(), length: z.number().int() })),
  /** Per-step random streams are keyed by (seed, purpose, step): this is the whole RNG state. */
  rng: z.object({ scheme: z.literal('per-step-keys'), seed: z.number().int(), nextStep: z.number().int() }),
  backend: z.string(),
  savedAt: z.string(),
});
export type CheckpointState = z.infer<typeof checkpointStateSchema>;
