/**
 * Checkpoints: checkpoints/step-NNNNNNN/ holds state.json and one .npy per array (weights, Adam
 * moments). A checkpoint is written into a temporary folder and renamed into place, so one that
 * exists is complete; a damaged one is reported by name.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelState } from '../core/contracts.js';
import { readJson } from '../core/files.js';
import { failure, writeJsonAtomic } from './atomic.js';
import { RunFolderError, WriteError } from './errors.js';
import { decodeNpy, encodeNpy } from './npy.js';
import type { RunPaths } from './paths.js';
import { type CheckpointState, checkpointStateSchema } from './schema.js';

const CKPT_RE = /^step-(\d+)$/;

const CKPT_TMP_RE = /^step-\d+\.tmp-\d+$/;

/** Remove checkpoint folders a killed writer left half-written (only call while holding the run's lock). */
export function removeStaleCheckpointTemps(p: RunPaths): string[] {
  if (!existsSync(p.checkpoints)) return [];
  const stale = readdirSync(p.checkpoints).filter((n) => CKPT_TMP_RE.test(n));
  for (const n of stale) rmSync(join(p.checkpoints, n), { recursive: true, force: true });
  return stale;
}

export function checkpointDir(p: RunPaths, step: number): string {
  return join(p.checkpoints, `step-${String(step).padStart(7, '0')}`);
}

/** Steps of complete checkpoints, ascending (a checkpoint is complete once its folder is renamed into place). */
export function listCheckpoints(p: RunPaths): number[] {
  if (!existsSync(p.checkpoints)) return [];
  return readdirSync(p.checkpoints)
    .map((n) => CKPT_RE.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

export function writeCheckpoint(p: RunPaths, step: number, model: ModelState, seed: number, backend: string): string {
  const final = checkpointDir(p, step);
  const tmp = `${final}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp, { recursive: true });
    const arrays: CheckpointState['arrays'] = {};
    for (const [name, data] of Object.entries(model.arrays)) {
      const file = `${name}.npy`;
      writeFileSync(join(tmp, file), encodeNpy(data, [data.length]));
      arrays[name] = { file, length: data.length };
    }
    const state: CheckpointState = {
      step,
      model: { kind: model.kind, scalars: model.scalars },
      arrays,
      rng: { scheme: 'per-step-keys', seed, nextStep: step + 1 },
      backend,
      savedAt: new Date().toISOString(),
    };
    writeJsonAtomic(join(tmp, 'state.json'), state);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e instanceof WriteError ? e : failure(final, e);
  }
  rmSync(final, { recursive: true, force: true });
  renameSync(tmp, final);
  return final;
}

export function readCheckpoint(p: RunPaths, step: number): { state: CheckpointState; model: ModelState } {
  const dir = checkpointDir(p, step);
  const parsed = checkpointStateSchema.safeParse(readJson(join(dir, 'state.json'), 'checkpoint state.json', RunFolderError));
  if (!parsed.success) throw new RunFolderError(`checkpoint ${dir} is damaged: ${parsed.error.issues[0]?.message}`);
  const state = parsed.data;
  const arrays: Record<string, Float32Array | Float64Array> = {};
  for (const [name, { file, length }] of Object.entries(state.arrays)) {
    let data;
    try {
      data = decodeNpy(readFileSync(join(dir, file))).data;
    } catch (e) {
      throw new RunFolderError(`checkpoint array ${file} in ${dir} is damaged (${(e as Error).message})`);
    }
    if (data instanceof Int32Array || data.length !== length) throw new RunFolderError(`checkpoint array ${file} in ${dir} is damaged (${data.length} values, expected ${length})`);
    arrays[name] = data;
  }
  return { state, model: { kind: state.model.kind, scalars: state.model.scalars, arrays } };
}
