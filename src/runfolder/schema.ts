/**
 * Types and zod schemas of every file in a run folder, in one place: the engine writes with them,
 * readers (resume, report, watch, compare) parse with them.
 */
import { z } from 'zod';

export const activationSchema = z.enum(['softplus', 'relu', 'tanh']);
export const backendSchema = z.enum(['auto', 'tensorflow', 'wasm', 'cpu']);

export const rnnConfigSchema = z
  .strictObject({
    hidden: z.number().int().min(1).max(4096).default(256).describe('recurrent units'),
    activation: activationSchema.default('softplus'),
    recInit: z.enum(['diag', 'randortho']).default('diag').describe('0.5*I (paper) or 0.5 x random orthogonal (reference code)'),
    dt: z.number().positive().default(20).describe('time step, ms'),
    tau: z.number().positive().default(100).describe('time constant, ms'),
    sigmaRec: z.number().min(0).default(0.05).describe('recurrent noise'),
    sigmaX: z.number().min(0).default(0.01).describe('input noise'),
    gradClip: z.number().min(0).default(1).describe('element-wise gradient clip; 0 disables'),
    l1Rate: z.number().min(0).default(0),
    l2Rate: z.number().min(0).default(0),
    l1Weight: z.number().min(0).default(0),
    l2Weight: z.number().min(0).default(0),
  })
  .refine((c) => c.dt < c.tau, { message: 'dt must be smaller than tau' });

export const reservoirConfigSchema = z.strictObject({
  hidden: z.number().int().min(1).max(4096).default(256),
  leak: z.number().gt(0).max(1).default(0.3),
  spectralRadius: z.number().positive().max(10).default(0.9),
  inputScale: z.number().positive().default(1),
  biasScale: z.number().min(0).default(0.2),
  density: z.number().gt(0).max(1).default(0.1),
  ridge: z.number().min(0).default(1e-4),
  washout: z.number().int().min(0).default(0),
  /** Run a seeded search over ridge, spectral radius, leak and input scale before training. */
  search: z.boolean().default(false),
});
export type ReservoirConfig = z.output<typeof reservoirConfigSchema>;

export const probeSpecSchema = z.strictObject({
  hook: z.string().min(1),
  estimators: z.array(z.string().min(1)).min(1).optional(),
  options: z.record(z.string(), z.union([z.number(), z.string(), z.boolean()])).optional(),
});
export type ProbeSpec = z.infer<typeof probeSpecSchema>;

export const configSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .optional(),
  task: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('go'),
  model: z.string().min(1).default('rnn'),
  steps: z.number().int().min(1).max(10_000_000).default(2000),
  batch: z.number().int().min(1).max(4096).default(64),
  lr: z.number().positive().max(10).default(0.001),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
  out: z.string().min(1).default('runs'),
  checkpointEvery: z.number().int().min(1).default(200),
  evalEvery: z.number().int().min(1).default(25),
  evalBatches: z.number().int().min(1).max(64).default(8).describe('evaluation batches per task (each its own timing draw)'),
  evalTrials: z.number().int().min(1).max(1024).default(32),
  targetPerf: z.number().gt(0).max(1).nullable().default(null),
  backend: backendSchema.default('auto'),
  nRules: z.number().int().min(6).max(64).default(20),
  threads: z.number().int().min(1).max(2).default(2).describe('1, or 2: each step splits the batch between the main thread and a worker'),
  rnn: rnnConfigSchema.default(() => rnnConfigSchema.parse({})),
  reservoir: reservoirConfigSchema.default(() => reservoirConfigSchema.parse({})),
  /** Probes run at step 0, every probeEvery steps and at the end; 0 turns them off. */
  probeEvery: z.number().int().min(0).default(200),
  probeTrials: z.number().int().min(16).max(4096).default(200).describe('trials of the fixed probe batch'),
  probeDirections: z.number().int().min(2).max(64).default(8).describe('evenly spaced stimulus directions of the probe batch'),
  probes: z.array(probeSpecSchema).default(() => [{ hook: 'layer' }, { hook: 'neuron' }, { hook: 'infoplane' }]),
});

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type RnnConfig = z.output<typeof rnnConfigSchema>;

/** 'stopped': interrupted by the user (SIGINT/SIGTERM) after a final checkpoint; resumable like 'running'. */
export const runStatusSchema = z.enum(['running', 'completed', 'diverged', 'failed', 'stopped']);
export type RunStatus = z.infer<typeof runStatusSchema>;

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
  timing: z.object({ train_s: z.number(), eval_s: z.number(), probe_s: z.number(), checkpoint_s: z.number() }),
  resumes: z.array(z.object({ at: z.string(), fromStep: z.number().int() })),
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
});
export type ProbeBatchInfo = z.infer<typeof probeBatchInfoSchema>;

export const probeRecordSchema = z.object({
  step: z.number().int(),
  hook: z.string(),
  estimator: z.string(),
  quantity: z.string(),
  t: z.number().int().optional(),
  neuron: z.number().int().optional(),
  value: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).optional(),
  null: z.object({ mean: z.number().nullable(), p: z.number(), permutations: z.number() }).optional(),
  params: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
  origin: z.enum(['train', 'posthoc']).optional(),
});
export type ProbeRecordLine = z.infer<typeof probeRecordSchema>;

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
