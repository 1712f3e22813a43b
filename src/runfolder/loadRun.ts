/**
 * A whole run folder as data, for everything that reads runs: charts, reports, compare and the
 * dashboard. Files only, never the live engine.
 */
import { basename } from 'node:path';
import { parseNeuronArrayName } from '../../probes/hooks/records.js';
import { listArrays, readArray, readConfig, readMeta, readMetrics, readProbeBatchInfo, readProbes } from './runFolder.js';
import { type RunPaths, runPaths } from './paths.js';
import type { Config, Meta, MetricLine, ProbeBatchInfo, ProbeRecordLine } from './schema.js';
import { taskList } from '../config/schema.js';
import { type ClusterData, loadClusters } from './loadClusters.js';

export interface NeuronMatrix {
  step: number;
  /** The task whose probe batch it measures (runs with several tasks; else the run's task). */
  task: string;
  estimator: string;
  /** [N, T] row-major. */
  mi: Float32Array;
  N: number;
  T: number;
  /** [N, 2]: peak time step, peak MI. */
  peaks: Float32Array | null;
}

export interface RunData {
  paths: RunPaths;
  name: string;
  config: Config;
  /** The run's tasks, in the config's order. */
  tasks: string[];
  meta: Meta;
  metrics: MetricLine[];
  /** Records written during training (post-hoc ones are left out: they may cover other checkpoints); of an imported run, those of `probe`. */
  probes: ProbeRecordLine[];
  /** The probe batch (test-mode timings of the first task): epochs for shading; null without probes. */
  probeBatch: ProbeBatchInfo | null;
  /** The clusters hook's arrays (runs with several tasks that ran it), else null. */
  clusters: ClusterData | null;
  /** Last checkpoint's per-neuron matrices, by estimator (with several tasks: the first task's). */
  neurons: NeuronMatrix[];
}

export function loadRun(dir: string): RunData {
  const paths = runPaths(dir);
  const config = readConfig(paths);
  const meta = readMeta(paths);
  const metrics = readMetrics(paths);
  // an imported run's records all come from `probe` (origin posthoc): those are the ones it shows
  const origin = meta.imported ? 'posthoc' : 'train';
  const probes = readProbes(paths).filter((r) => (r.origin ?? 'train') === origin);
  const tasks = taskList(config);
  return { paths, name: basename(paths.dir), config, tasks, meta, metrics, probes, probeBatch: readProbeBatchInfo(paths), clusters: tasks.length > 1 ? loadClusters(paths) : null, neurons: lastNeuronMatrices(paths, tasks, origin) };
}

/** An array stem as the engine writes it: `<task>--<name>` in a run with several tasks, else `<name>`. */
function splitTaskStem(stem: string): { task: string | null; name: string } {
  const i = stem.indexOf('--');
  return i > 0 ? { task: stem.slice(0, i), name: stem.slice(i + 2) } : { task: null, name: stem };
}

function lastNeuronMatrices(paths: RunPaths, tasks: string[], origin: 'train' | 'posthoc'): NeuronMatrix[] {
  const task = tasks[0];
  const found = listArrays(paths)
    .filter((a) => a.origin === origin)
    .map((a) => ({ ...a, ...splitTaskStem(a.stem) }))
    .filter((a) => (tasks.length > 1 ? a.task === task : a.task === null))
    .map((a) => ({ ...a, neuron: parseNeuronArrayName(a.name) }))
    .filter((a) => a.neuron !== null);
  if (found.length === 0) return [];
  const last = found.reduce((m, a) => Math.max(m, a.step), -Infinity);
  const atLast = found.filter((a) => a.step === last);
  return atLast
    .filter((a) => a.neuron?.part === 'mi')
    .map((a) => {
      const estimator = a.neuron?.estimator as string;
      const { data, shape } = readArray(paths, a.file);
      const peakFile = atLast.find((p) => p.neuron?.part === 'peak' && p.neuron.estimator === estimator);
      const peaks = peakFile ? (readArray(paths, peakFile.file).data as Float32Array) : null;
      return { step: last, task, estimator, mi: data as Float32Array, N: shape[0], T: shape[1], peaks };
    });
}
