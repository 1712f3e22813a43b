/**
 * A compact fingerprint of what a run computed, for tests that compare a run with one recorded by
 * an earlier version: metric lines without wall time, and SHA-256 digests of the probe values and
 * of every .npy array. Timing and file layout are left out on purpose.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export interface RunDigest {
  metrics: Array<Record<string, unknown>>;
  /** Digest of (step, hook, estimator, quantity, t, neuron, value) of every probe record, in file order. */
  probeValues: string;
  probeRecords: number;
  /** Digest of each .npy file under arrays/, by file name. */
  arrays: Record<string, string>;
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');

/**
 * `firstTask`: of a run with several tasks, only what its first task's probe batch gave (records of
 * that task, its arrays without the `<task>--` prefix): what versions before per-task probes recorded.
 */
export function runDigest(dir: string, firstTask?: string): RunDigest {
  const metrics = readFileSync(join(dir, 'metrics.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const { wall_s: _w, ...rest } = JSON.parse(l) as Record<string, unknown>;
      return rest;
    });
  const probeLines = existsSync(join(dir, 'probes.jsonl')) ? readFileSync(join(dir, 'probes.jsonl'), 'utf8').split('\n').filter(Boolean) : [];
  const values = probeLines
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((r) => !firstTask || r.task === firstTask)
    .map((r) => JSON.stringify([r.step, r.hook, r.estimator, r.quantity, r.t ?? null, r.neuron ?? null, r.value]));
  const arrays: Record<string, string> = {};
  const ad = join(dir, 'arrays');
  const prefix = firstTask ? `-${firstTask}--` : null;
  if (existsSync(ad)) {
    for (const f of readdirSync(ad).sort()) {
      if (prefix && !f.includes(prefix)) continue;
      arrays[prefix ? f.replace(prefix, '-') : f] = sha(readFileSync(join(ad, f)));
    }
  }
  return { metrics, probeValues: sha(values.join('\n')), probeRecords: values.length, arrays };
}
