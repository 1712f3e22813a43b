/**
 * infoscope's library API: the functions and types a user's script needs, listed by name. What is
 * not here is internal and may change. The CLI is a thin layer over the same functions.
 *
 *   import { train, estimate, registerTask } from 'infoscope';
 */

// training, resuming, probing after the fact, the demo
export { train, resume, type TrainOptions, type TrainResult } from './workflows/train.js';
export { demo } from './workflows/demo.js';
export { probeRun } from './engine/posthoc.js';
export { evaluatePerf } from './engine/evaluate.js';
export { importRun } from './import/importRun.js';
export type { ImportSpec, ActivityImport, WeightsImport } from './import/types.js';
export { specFromManifest } from './import/manifest.js';
export { initBackend, type BackendChoice, type BackendReport } from './engine/backend.js';
export { normalizeConfig } from './config/normalize.js';
export type { Config, ConfigInput, ProbeSpec } from './config/schema.js';

// reading and reporting runs
export { loadRun, type RunData } from './runfolder/loadRun.js';
export { encodeNpy, decodeNpy } from './runfolder/npy.js';
export type { Meta, MetricLine } from './runfolder/schema.js';
export { writeReport } from './charts/report.js';
export { compareRuns } from './charts/compare.js';
export { compareGroups } from './charts/compareGroups.js';
export { startWatch } from './watch/server.js';

// sweeps and statistics across seeds
export { sweep, type SweepOptions, type SweepResult } from './sweep/sweep.js';
export { meanInterval, permutationTest, hedgesG, cliffsDelta } from './stats/stats.js';

// estimators
export { estimate, estimatorNames, inUnit, type EstimateOptions, type EstimatorName, type MiUnit } from '../probes/estimators/estimate.js';
export { estimatorDefaults } from '../probes/estimators/defaults.js';
export type { Estimate, Samples, Labels } from '../probes/estimators/types.js';

// tasks, models and probe hooks: the built-ins and your own
export { registerTask, getTask, taskNames } from '../tasks/registry.js';
export { registerModel, getModel, modelKinds } from '../models/registry.js';
export { registerProbe, getProbe, probeNames } from '../probes/hooks/registry.js';
export { LeakyRnn } from '../models/rnn/leakyRnn.js';
export { EchoStateNetwork } from '../models/reservoir/esn.js';
export type { Task, TaskLayout, TaskSizes, PerfResult } from '../tasks/types.js';
export type { Model, ModelFactory, ModelInit, ModelState, StepResult, RunDefaults } from '../models/types.js';
export type { TrialBatch, ForwardRecord, NoiseSource, Rng } from './core/contracts.js';
export type { ProbeHook, ProbeContext, ProbeRecord, ProbeArray, ProbeOutput } from '../probes/hooks/types.js';

export { UserError } from './core/errors.js';
export { version } from './engine/version.js';
