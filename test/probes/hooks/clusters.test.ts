/**
 * The clusters hook on a network whose activity is constructed: units 0-3 vary only in Go, units 4-7
 * only in DM 1. The answer is known: two clusters (Go's first), FTV +1 for the first four and -1 for
 * the rest, and silencing a cluster breaks exactly its task.
 */
import { describe, expect, it } from 'vitest';
import type { ForwardRecord } from '../../../models/types.js';
import { crossProductLoop } from '../../../probes/estimators/taskVariance.js';
import { clustersHook, clustersOptionsSchema } from '../../../probes/hooks/clusters.js';
import type { NetworkAccess, ProbeContext } from '../../../probes/hooks/types.js';
import { getTask } from '../../../tasks/registry.js';
import { stream } from '../../../src/core/rng.js';
import { defaultLayout } from '../../../tasks/layout.js';
import type { TrialBatch } from '../../../tasks/types.js';
import { estRng } from '../../../probes/estimators/random.js';

const N = 8;

function fakeNetwork(final: boolean): NetworkAccess & { silenced: Set<number> } {
  const silenced = new Set<number>();
  const grids = new Map<string, TrialBatch>();
  const net: NetworkAccess & { silenced: Set<number> } = {
    silenced,
    tasks: ['go', 'dm1'],
    grid(task) {
      if (!grids.has(task)) grids.set(task, getTask(task).sample(task === 'go' ? 40 : 100, stream(1, 'trials'), 'test', defaultLayout, { noise: false, directions: 20 }));
      const batch = grids.get(task) as TrialBatch;
      return { batch, from: batch.epochs.fix1[1] };
    },
    run(batch): ForwardRecord {
      const { T, B } = batch;
      const r = estRng(`fake/${batch.task}`);
      const hidden = new Float32Array(T * B * N);
      const own = batch.task === 'go' ? [0, 1, 2, 3] : [4, 5, 6, 7];
      for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (const u of own) hidden[(t * B + b) * N + u] = Math.cos(batch.stimDir[b] + u) * (1 + 0.1 * r.normal());
      // output[0] of the last step: 1 while the task's own units are intact, 0 once any is silenced
      const output = new Float32Array(T * B * 33).fill(own.some((u) => silenced.has(u)) ? 0 : 1);
      return { T, B, N, nOut: 33, hidden, output };
    },
    perf: (_batch, output) => output[output.length - 1],
    lesion(units) {
      units.forEach((u) => silenced.add(u));
      return () => units.forEach((u) => silenced.delete(u));
    },
    crossProduct: crossProductLoop,
    final,
  };
  return net;
}

function run(final: boolean, options: Record<string, unknown> = {}) {
  const network = fakeNetwork(final);
  const batch = network.grid('go').batch;
  const activity = network.run(batch);
  const ctx: ProbeContext = { step: 5, batch, activity, labels: batch.dirIndex, network, seed: 1, memo: new Map() };
  return { out: clustersHook.run(ctx, ['decoder'], clustersOptionsSchema.parse({ information: false, pairs: 'go/dm1,dm1/dms', restarts: 5, ...options })), network };
}

describe('clusters hook', () => {
  it('finds the two constructed clusters, Go\'s first, far above the rotation control', () => {
    const { out } = run(false);
    const arr = (name: string) => out.arrays.find((a) => a.name === name);
    expect(Array.from(arr('clusters')?.data ?? [])).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(arr('task-variance')?.shape).toEqual([8, 2]);
    const tv = arr('task-variance')?.data as Float32Array;
    for (let u = 0; u < 4; u++) expect([tv[2 * u] > 0.1, tv[2 * u + 1]]).toEqual([true, 0]);
    const summary = out.records[0];
    expect(summary.params.k).toBe(2);
    expect(summary.params.active).toBe(8);
    // two groups of identical normalised rows: silhouette 1 (up to the 10 % gain noise, which the max-normalisation removes)
    expect(summary.value as number).toBeGreaterThan(0.99);
    // the rotation mixes the two groups: its best silhouette is lower
    expect(summary.params.silhouetteControl as number).toBeLessThan(summary.value as number);
    // silhouette for k = 2..7 (8 active units), with the control's beside it
    expect(arr('silhouette')?.shape).toEqual([6, 3]);
  });

  it('FTV: +1 for Go\'s units, -1 for DM 1\'s; pairs with a task the run lacks are skipped', () => {
    const { out } = run(false);
    const ftv = out.arrays.find((a) => a.name === 'ftv');
    expect(ftv?.shape).toEqual([1, 20]);
    const want = new Array(20).fill(0);
    want[0] = 4;
    want[19] = 4;
    expect(Array.from(ftv?.data ?? [])).toEqual(want);
    expect(out.records[0].params.pairs).toBe('go/dm1');
  });

  it('lesions each cluster at the last checkpoint only (by default): Go\'s cluster breaks Go and not DM 1', () => {
    expect(run(false).out.arrays.some((a) => a.name === 'lesions')).toBe(false);
    const { out, network } = run(true);
    const les = out.arrays.find((a) => a.name === 'lesions');
    expect(les?.shape).toEqual([3, 2, 2]);
    const perf = (row: number, task: number) => les?.data[(row * 2 + task) * 2];
    expect([perf(0, 0), perf(0, 1)]).toEqual([1, 1]);
    expect([perf(1, 0), perf(1, 1)]).toEqual([0, 1]);
    expect([perf(2, 0), perf(2, 1)]).toEqual([1, 0]);
    expect(network.silenced.size).toBe(0);
    expect(run(false, { lesions: 'every' }).out.arrays.some((a) => a.name === 'lesions')).toBe(true);
  });
});
