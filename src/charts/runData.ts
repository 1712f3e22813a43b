/** Everything the charts and the report read from a run folder (files only, never the live engine). */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { decodeNpy } from '../runfolder/npy.js';
import { type RunPaths, readConfig, readMeta, readMetrics, readProbeBatchInfo, readProbes, runPaths } from '../runfolder/runFolder.js';
import type { Config, Meta, MetricLine, ProbeBatchInfo, ProbeRecordLine } from '../runfolder/schema.js';

export interface NeuronMatrix {
  step: number;
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
  meta: Meta;
  metrics: MetricLine[];
  probes: ProbeRecordLine[];
  /** The probe batch (test-mode timings of the first task): epochs for shading; null without probes. */
  probeBatch: ProbeBatchInfo | null;
  /** Last checkpoint's per-neuron matrices, by estimator. */
  neurons: NeuronMatrix[];
}

export function loadRun(dir: string): RunData {
  const paths = runPaths(dir);
  const config = readConfig(paths);
  const meta = readMeta(paths);
  const metrics = readMetrics(paths);
  const probes = readProbes(paths).filter((r) => r.origin !== 'posthoc');
  return { paths, name: dir.split('/').filter(Boolean).pop() as string, config, meta, metrics, probes, probeBatch: readProbeBatchInfo(paths), neurons: lastNeuronMatrices(paths) };
}

function lastNeuronMatrices(paths: RunPaths): NeuronMatrix[] {
  if (!existsSync(paths.arrays)) return [];
  const files = readdirSync(paths.arrays);
  const re = /^step-(\d+)-neuron-([a-z0-9-]+?)\.npy$/;
  const found = files.map((f) => re.exec(f)).filter((m): m is RegExpExecArray => m !== null && !m[2].endsWith('-peak') && !m[2].endsWith('-posthoc'));
  if (found.length === 0) return [];
  const last = Math.max(...found.map((m) => Number(m[1])));
  return found
    .filter((m) => Number(m[1]) === last)
    .map((m) => {
      const { data, shape } = decodeNpy(new Uint8Array(readFileSync(join(paths.arrays, m[0]))));
      const peakFile = join(paths.arrays, `step-${last}-neuron-${m[2]}-peak.npy`);
      const peaks = existsSync(peakFile) ? (decodeNpy(new Uint8Array(readFileSync(peakFile))).data as Float32Array) : null;
      return { step: last, estimator: m[2], mi: data as Float32Array, N: shape[0], T: shape[1], peaks };
    });
}
