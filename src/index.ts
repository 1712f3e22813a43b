/**
 * infoscope's library API. The CLI is a thin layer over these functions.
 *
 *   import { train, resume, tasks, models } from 'infoscope';
 */
export { train, resume, type TrainOptions, type TrainResult } from './engine/train.js';
export { layoutFor, buildModel, probeBatch, runSizes } from './engine/setup.js';
export { normalizeConfig, upgradeStoredConfig, trainFlags, flagHelp, applyFlags } from './config/index.js';
export { stopOnSignals } from './engine/stop.js';
export { initBackend, currentBackend, type BackendChoice, type BackendReport } from './engine/backend.js';
export { evaluatePerf, type EvalResult } from './engine/evaluate.js';
export { UserError } from './core/errors.js';
export { version } from './engine/version.js';
export * as runfolder from './runfolder/runFolder.js';
export type { Meta, MetricLine, CheckpointState, RunStatus, ProbeBatchInfo } from './runfolder/schema.js';
export type { Config, ConfigInput, ProbeSpec } from './config/schema.js';
export { runConfigSchema, CONFIG_VERSION, RUN_DEFAULTS, modelOptions, taskList } from './config/schema.js';
export { metaSchema, metricLineSchema, probeRecordSchema } from './runfolder/schema.js';
export { loadRun, type RunData, type NeuronMatrix } from './runfolder/loadRun.js';
export { encodeNpy, decodeNpy } from './runfolder/npy.js';
export * as tasks from '../tasks/index.js';
export * as models from '../models/index.js';
export * as probes from '../probes/estimators/index.js';
export { estimate, estimatorNames, inUnit, type EstimateOptions, type EstimatorName, type MiUnit } from '../probes/estimators/estimate.js';
export { estimatorDefaults } from '../probes/estimators/defaults.js';
export type { Estimate, Samples, Labels } from '../probes/estimators/types.js';
export type { Task, TrialBatch, TaskLayout, TaskMode, TaskSizes, PerfResult, Rng } from '../tasks/types.js';
export type { Model, ModelFactory, ModelInit, ModelState, ForwardRecord, StepResult, NoiseSource, RunDefaults } from '../models/types.js';
export { registerTask } from '../tasks/registry.js';
export { registerModel } from '../models/registry.js';
export { registerProbe, getProbe, probeNames } from '../probes/hooks/registry.js';
export type { ProbeHook, ProbeContext, ProbeRecord, ProbeArray, ProbeOutput } from '../probes/hooks/types.js';
export * as hooks from '../probes/hooks/index.js';
export { compareRuns } from './charts/compare.js';
export { writeReport } from './charts/report.js';
export { demo } from './engine/demo.js';
export { probeRun } from './engine/posthoc.js';
export { sweep, prepareSweep, finalizeSweep, collectRunSummaries, unfinishedRuns, SWEEP_DEFAULTS, type SweepOptions, type SweepResult } from './sweep/sweep.js';
export { parseSweepSpec, expandSweep, readSweepSpecFile, runIdOf, SWEEP_METRICS, type SweepSpec, type SweepSpecInput, type SweepPlan, type SweepRun, type SweepSetting, type SweepMetric } from './sweep/spec.js';
export { aggregateSweep, summarizeSetting, compareSettings, chooseEstimators, band, metricValue, type SweepSummary, type SettingSummary, type MetricSummary, type Comparison, type BandPoint, type EstimatorChoice } from './sweep/aggregate.js';
export { meanInterval, permutationTest, hedgesG, cliffsDelta, studentTQuantile, studentTCdf, type MeanInterval, type PermutationResult } from './sweep/stats.js';
export { summarizeRun, summarizeRunData, runSummarySchema, type RunSummary as SweepRunSummary } from './sweep/runSummary.js';
export { compareGroups, groupsOfSweeps, type RunGroup } from './sweep/compareGroups.js';
export { executeRun, type RunOutcome } from './sweep/runOne.js';
export { startQueueWorker, checkRedis, QUEUE, WORKER_DEFAULTS, type WorkerHandle } from './sweep/queue.js';
export { sweepFileSchema, isSweepFolder } from './sweep/folder.js';
