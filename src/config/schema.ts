/**
 * The run-level part of a training config and its defaults. Models, tasks and probe hooks declare
 * their own option schemas (models/<kind>/options.ts, Task.timingSchema, ProbeHook.optionsSchema);
 * normalize.ts composes them with this one. Defaults live in these schemas and nowhere else.
 */
import { z } from 'zod';
import type { ReservoirOptions } from '../../models/reservoir/options.js';
import type { RnnOptions } from '../../models/rnn/options.js';
import { stimulusSchema } from '../../tasks/layout.js';
import { backendChoices } from './backends.js';
import { PRESET_NAMES } from './presets.js';

/** config.json files written from now on say which shape they have (see migrate.ts for versions 1 and 2). */
export const CONFIG_VERSION = 3;


/**
 * Training-budget defaults. A model may set its own (ModelFactory.runDefaults): a reservoir with a
 * closed-form readout needs about 25 steps, not the RNN's 2,000.
 */
export const RUN_DEFAULTS = { steps: 2000, evalEvery: 25, checkpointEvery: 200, probeEvery: 200 } as const;
export type RunBudget = { -readonly [K in keyof typeof RUN_DEFAULTS]: number };

const optionValue = z.union([z.number(), z.string(), z.boolean(), z.array(z.number())]);

const probeSpecSchema = z.strictObject({
  hook: z.string().min(1),
  estimators: z.array(z.string().min(1)).min(1).optional(),
  options: z.record(z.string(), optionValue).optional(),
});

/** A probe spec in normal form: estimators listed, options validated and filled by the hook's schema. */
export interface ProbeSpec {
  hook: string;
  estimators: string[];
  options: Record<string, unknown>;
}

/**
 * Run-level fields. Keys not listed here must name a registered model (its options section); the
 * normaliser checks them. Budget fields have no zod default because the model chooses it.
 */
const runShape = {
  configVersion: z.literal(CONFIG_VERSION).optional(),
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'must be 1-64 letters, digits, ".", "_" or "-"')
    .optional()
    .describe('run name (the folder gets a timestamp)'),
  preset: z.enum(PRESET_NAMES).optional().describe('a published setup: yang2019 (the networks of Yang et al. 2019; fixes tasks, network and training rule)'),
  task: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).default('go').describe('task, a list of tasks, or a set (all, go-family, dm-family, match-family); several tasks: one drawn per step'),
  taskWeights: z.record(z.string(), z.number().finite().min(0)).optional().describe("sampling weight per task of a multi-task run (default: the paper's, Ctx DM 1 and 2 at 5, others 1)"),
  model: z.string().min(1).default('rnn').describe('model kind'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(1).describe('seed of every random stream'),
  out: z.string().min(1).default('runs').describe('folder for run folders'),
  backend: z.enum(backendChoices).default('auto').describe('what runs the training step: native kernels (built at install), or a tfjs backend; auto: native where built, else the best tfjs backend'),
  threads: z.number().int().min(1).max(2).default(2).describe('threads of a training step: 1, or 2 (the batch is split in two halves: a native helper thread, or a worker on the wasm path; gradients summed in a fixed order)'),
  steps: z.number().int().min(1).max(10_000_000).optional().describe('training steps'),
  batch: z.number().int().min(1).max(4096).default(64).describe('trials per step'),
  checkpointEvery: z.number().int().min(1).optional().describe('steps between checkpoints'),
  evalEvery: z.number().int().min(1).optional().describe('steps between perf evaluations'),
  evalBatches: z.number().int().min(1).max(64).default(8).describe('evaluation batches per task (each its own timing draw)'),
  evalTrials: z.number().int().min(1).max(1024).default(32).describe('trials per evaluation batch'),
  targetPerf: z.number().gt(0).max(1).nullable().default(null).describe('stop once the evaluated perf of every task reaches this'),
  stimulus: stimulusSchema.default(() => stimulusSchema.parse({})).describe("the trials' time grid and input noise, shared by the run's tasks"),
  timing: z.record(z.string(), z.union([z.number(), z.array(z.number())])).default({}).describe("task timing overrides in ms (keys from the tasks' timing schemas)"),
  probeEvery: z.number().int().min(0).optional().describe('steps between probe passes (probes also run at step 0 and at the end); 0 turns them off'),
  probeTrials: z.number().int().min(16).max(4096).default(200).describe('trials of the fixed probe batch'),
  probeMaxTrials: z.number().int().min(16).max(8192).nullable().default(null).describe('draw fresh probe trials, doubling up to this many, while the layer decoder bound is not reliable (null: probeTrials only)'),
  probeThread: z.enum(['auto', 'worker', 'main']).default('auto').describe('where probe passes run during training: a worker thread, from a snapshot of the weights (training goes on meanwhile), or the training thread; auto: the worker for runs of 200 steps or more (starting it costs about a second)'),
  probeDirections: z.number().int().min(2).max(64).default(8).describe('stimulus directions (classes) of the probe batch, evenly spaced'),
  probeSampling: z.enum(['continuous', 'grid']).default('continuous').describe('continuous: each probe trial\'s direction drawn uniformly within its class\'s sector, so probes also measure the direction itself, I(θ;H); grid: exactly the evenly spaced directions'),
  probes: z.array(probeSpecSchema).default(() => [{ hook: 'layer' }, { hook: 'neuron' }, { hook: 'infoplane' }]).describe('probe hooks run at every probe pass'),
};

export const runConfigSchema = z.looseObject(runShape);
const runFieldsSchema = z.strictObject(runShape);
type RunFields = z.output<typeof runFieldsSchema>;

/**
 * A config in normal form: every default filled, every name checked against the registries, the
 * chosen model's section present and complete. config.json holds exactly this.
 */
export type Config = Omit<RunFields, 'steps' | 'checkpointEvery' | 'evalEvery' | 'probeEvery' | 'probes' | 'configVersion' | 'taskWeights'> &
  RunBudget & {
    configVersion: typeof CONFIG_VERSION;
    /** Sampling weight of each of the run's tasks (the paper's where the config gave none). */
    taskWeights: Record<string, number>;
    probes: ProbeSpec[];
    /**
     * The options of the model named by `model` live under that name: config.rnn, config.reservoir,
     * or a registered model's own section (read it with modelOptions).
     */
    rnn?: RnnOptions;
    reservoir?: ReservoirOptions;
  };

export type ConfigInput = z.input<typeof runFieldsSchema> & { rnn?: Partial<RnnOptions>; reservoir?: Partial<ReservoirOptions>; [modelSection: string]: unknown };

/** The run's tasks as a list. */
export function taskList(c: Pick<Config, 'task'>): string[] {
  return Array.isArray(c.task) ? c.task : [c.task];
}

/** The chosen model's options section. */
export function modelOptions(c: Config): Record<string, unknown> {
  return ((c as unknown as Record<string, unknown>)[c.model] ?? {}) as Record<string, unknown>;
}
