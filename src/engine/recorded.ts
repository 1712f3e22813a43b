/**
 * The trials of an imported recording as a probe batch (run folder recorded/: labels, directions,
 * inputs; probe-batch.json: T, epochs). Only the engine reads them: the `recorded` task has nothing to
 * generate and the `recorded` model replays the activity (docs/import.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankFacts } from '../../tasks/trial.js';
import type { TrialBatch } from '../../tasks/types.js';
import type { Config } from '../config/schema.js';
import { RunFolderError } from '../runfolder/errors.js';
import { decodeNpy } from '../runfolder/npy.js';
import type { RunPaths } from '../runfolder/paths.js';
import { readProbeBatchInfo } from '../runfolder/runFolder.js';

function read(paths: RunPaths, name: string): { data: Float32Array | Float64Array | Int32Array; shape: number[] } | null {
  const file = join(paths.dir, 'recorded', `${name}.npy`);
  if (!existsSync(file)) return null;
  try {
    return decodeNpy(readFileSync(file));
  } catch (e) {
    throw new RunFolderError(`recorded/${name}.npy in ${paths.dir} is damaged (${(e as Error).message})`);
  }
}

export function readRecordedBatch(paths: RunPaths, config: Config): TrialBatch {
  const info = readProbeBatchInfo(paths);
  const labels = read(paths, 'labels');
  if (!info || !labels) throw new RunFolderError(`${paths.dir} holds no recorded trials (probe-batch.json and recorded/labels.npy)`);
  const { T, trials: B } = info;
  const inputs = read(paths, 'inputs');
  const directions = read(paths, 'directions');
  const nIn = inputs ? inputs.shape[2] : 1;
  const rec = (config as unknown as { recorded?: { outputs: number } }).recorded;
  const nOut = Math.max(1, rec?.outputs ?? 0);
  const facts = blankFacts(B);
  facts.dirIndex = Int32Array.from(labels.data);
  if (directions) facts.stimDir = Float64Array.from(directions.data);
  return {
    task: info.task,
    mode: 'test',
    T,
    B,
    nIn,
    nOut,
    x: inputs ? Float32Array.from(inputs.data) : new Float32Array(T * B),
    y: new Float32Array(T * B * nOut),
    cMask: new Float32Array(T * B * nOut),
    goStep: info.goStep,
    epochs: info.epochs,
    ...facts,
  };
}
