/**
 * Behaviour kept across the config refactor: a run recorded by the version before it (its
 * config.json, of config version 1, and a digest of its metrics, probe values and arrays; see
 * test/runDigest.ts) is trained again from that stored config and must match bit for bit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { upgradeStoredConfig } from '../../src/config/migrate.js';
import { train } from '../../src/engine/train.js';
import { root, tempDir } from '../helpers.js';
import { runDigest } from '../runDigest.js';

function fixture(name: string): { config: Record<string, unknown>; digest: ReturnType<typeof runDigest> } {
  return JSON.parse(readFileSync(join(root, 'test/fixtures/pre-refactor', `${name}.json`), 'utf8'));
}

describe('runs recorded before the config refactor', () => {
  for (const name of ['rnn', 'reservoir']) {
    it(`${name}: same metrics, probe values and arrays for the same seed`, async () => {
      const f = fixture(name);
      const out = tempDir();
      // probes on the worker thread: its records must equal those recorded on the training thread before it existed
      const config = { ...(upgradeStoredConfig(f.config) as Record<string, unknown>), out, backend: 'wasm', probeThread: 'worker' };
      const r = await train(config, { report: false });
      expect(r.status).toBe('completed');
      // a run with several tasks: since per-task probes, compare what its first task's batch gave; since
      // perf_min, its evaluation lines carry the minimum over tasks as well
      const tasks = Array.isArray(f.config.task) ? (f.config.task as string[]) : [];
      const d = runDigest(r.dir, tasks[0]);
      expect(d.metrics.map(({ perf_min: _m, ...m }) => m)).toEqual(f.digest.metrics);
      expect(d.probeRecords).toBe(f.digest.probeRecords);
      expect(d.probeValues).toBe(f.digest.probeValues);
      // every array the earlier version wrote, bit for bit (later versions add arrays beside them:
      // the neuron hook's peak spans and p- and q-values)
      const same = Object.fromEntries(Object.keys(f.digest.arrays).map((k) => [k, d.arrays[k]]));
      expect(same).toEqual(f.digest.arrays);
    });
  }
});
