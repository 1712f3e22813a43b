/**
 * The analysis of Yang et al. 2019 at every probe pass (docs/clusters.md): each unit's task variance
 * on every task's reference test grid (no noise), functional clusters (k-means on the max-normalised
 * variances of the active units, k by silhouette), the same after a random rotation of the activity
 * (the control), fractional task variance for pairs of tasks, and at the last checkpoint the lesion
 * of each cluster. Then how much each cluster carries: clusterMi.ts. A run hook: it needs every task.
 */
import { z } from 'zod';
import { chooseK } from '../estimators/kmeans.js';
import { orthonormalise } from '../estimators/linalg.js';
import { estRng } from '../estimators/random.js';
import { ACTIVE_VARIANCE, ftvHistogram, meanCovariance, normalisedActive, orderByPreferredTask, rotatedDiagonal } from '../estimators/taskVariance.js';
import { clusterInformation } from './clusterMi.js';
import { CLUSTER_ARRAYS as A, HOOK, QUANTITY } from './records.js';
import type { NetworkAccess, ProbeArray, ProbeContext, ProbeHook, ProbeOutput, ProbeRecord } from './types.js';

/** The pairs the paper shows (Fig. 3): DM 1/DM 2, Ctx DM 1/2, DM 1/Anti, DM 1/Ctx DM 1, Go/RT Go, Dly DM 1/DM 1, DMC/DNMC, Ctx DM 1/Ctx Dly DM 1. */
const PAPER_FTV_PAIRS = ['dm1/dm2', 'ctxdm1/ctxdm2', 'dm1/antigo', 'dm1/ctxdm1', 'go/rtgo', 'dlydm1/dm1', 'dmc/dnmc', 'ctxdm1/ctxdlydm1'];

export const clustersOptionsSchema = z.strictObject({
  kMin: z.number().int().min(2).max(100).default(2).describe('fewest clusters tried'),
  kMax: z.number().int().min(2).max(100).default(29).describe('most clusters tried (the paper: 2 to 29)'),
  restarts: z.number().int().min(1).max(100).default(20).describe('k-means restarts per k (the paper: 20)'),
  pairs: z.string().default(PAPER_FTV_PAIRS.join(',')).describe('task pairs for FTV, a/b separated by commas (pairs with a task the run lacks are skipped)'),
  lesions: z.enum(['final', 'every', 'off']).default('final').describe("lesion each cluster at the run's last checkpoint, at every probe pass, or never (a forward pass per cluster and task)"),
  information: z.boolean().default(true).describe('the information each cluster carries: I(S; H_c), I(choice; H_c) for the DM tasks, I(rule; H_c) (decoder bound)'),
  timePoints: z.number().int().min(1).max(200).default(5).describe('time steps per task for the information per cluster'),
});
type ClustersOptions = z.output<typeof clustersOptionsSchema>;

/** A Haar-random rotation of R^N, seeded: Gram-Schmidt of a Gaussian matrix (columns). */
export function randomRotation(N: number, seed: string): Float64Array {
  const rng = estRng(seed);
  const r = new Float64Array(N * N).map(() => rng.normal());
  orthonormalise(r, N, N);
  return r;
}

/** Cost-masked squared error of an output on a batch: mean((c (y_hat - y))^2), the training loss. */
function maskedLoss(out: Float32Array, y: Float32Array, c: Float32Array): number {
  let s = 0;
  for (let i = 0; i < out.length; i++) s += (c[i] * (out[i] - y[i])) ** 2;
  return s / out.length;
}

interface VarianceResult {
  tv: Float64Array;
  tvRot: Float64Array;
  intact: Array<{ perf: number; loss: number }>;
}

/** Task variance [N, tasks] of the network and of its rotation, and the intact perf and loss on each grid. */
function taskVariances(net: NetworkAccess, N: number, rot: Float64Array): VarianceResult {
  const K = net.tasks.length;
  const tv = new Float64Array(N * K);
  const tvRot = new Float64Array(N * K);
  const intact = net.tasks.map((task, k) => {
    const { batch, from } = net.grid(task);
    const rec = net.run(batch);
    const c = meanCovariance(rec.hidden, rec.T, rec.B, rec.N, from, net.crossProduct);
    const rd = rotatedDiagonal(c, rot, N);
    for (let i = 0; i < N; i++) [tv[i * K + k], tvRot[i * K + k]] = [c[i * N + i], rd[i]];
    return { perf: net.perf(batch, rec.output), loss: maskedLoss(rec.output, batch.y, batch.cMask) };
  });
  return { tv, tvRot, intact };
}

export const clustersHook: ProbeHook = {
  name: HOOK.clusters,
  description: 'task variance, functional clusters (k by silhouette) against a rotation control, FTV, lesions and the information per cluster (runs with several tasks)',
  estimators: ['decoder'],
  defaultEstimators: ['decoder'],
  scope: 'run',
  optionsSchema: clustersOptionsSchema,
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const o = options as ClustersOptions;
    const net = ctx.network;
    const records: ProbeRecord[] = [];
    const arrays: ProbeArray[] = [];
    if (!net || net.tasks.length < 2) return { records, arrays };
    const K = net.tasks.length;
    const N = ctx.activity.N;
    const rot = randomRotation(N, `clusters-rotation/${ctx.seed}`);
    const { tv, tvRot, intact } = taskVariances(net, N, rot);
    arrays.push({ name: A.taskVariance, data: Float32Array.from(tv), shape: [N, K] });
    arrays.push({ name: A.taskVarianceRotated, data: Float32Array.from(tvRot), shape: [N, K] });

    const cluster = (m: Float64Array) => {
      const { units, rows } = normalisedActive(m, N, K);
      if (units.length < o.kMin + 1) return null;
      return { units, rows, ...chooseK(rows, units.length, K, { kMin: o.kMin, kMax: o.kMax, restarts: o.restarts, seed: ctx.seed }) };
    };
    const real = cluster(tv);
    const control = cluster(tvRot);
    const labels = new Int32Array(N).fill(-1);
    let k = 0;
    if (real) {
      k = real.best.k;
      const ordered = orderByPreferredTask(real.rows, K, real.best.labels, k);
      real.units.forEach((u, r) => (labels[u] = ordered.labels[r]));
    }
    arrays.push({ name: A.labels, data: Float32Array.from(labels), shape: [N] });
    const scores = real?.scores ?? [];
    const sil = new Float32Array(scores.length * 3);
    scores.forEach((s, i) => sil.set([s.k, s.silhouette, control?.scores.find((c) => c.k === s.k)?.silhouette ?? NaN], 3 * i));
    arrays.push({ name: A.silhouette, data: sil, shape: [scores.length, 3] });
    const best = (r: typeof real) => (r ? Math.max(...r.scores.map((s) => s.silhouette)) : null);
    records.push({
      step: ctx.step,
      hook: HOOK.clusters,
      estimator: 'kmeans',
      quantity: QUANTITY.clusters,
      value: best(real),
      params: { k, active: real?.units.length ?? 0, kControl: control?.best.k ?? 0, silhouetteControl: best(control), activeThreshold: ACTIVE_VARIANCE, restarts: o.restarts, tasks: net.tasks.join(',') },
    });

    // fractional task variance for the pairs the run has
    const pairs = o.pairs.split(',').map((p) => p.trim().split('/')).filter((p) => p.length === 2 && p.every((t) => net.tasks.includes(t)));
    if (pairs.length) {
      const col = (m: Float64Array, t: string) => Float64Array.from({ length: N }, (_, i) => m[i * K + net.tasks.indexOf(t)]);
      const ftv = new Float32Array(pairs.length * 20);
      const ftvRot = new Float32Array(pairs.length * 20);
      pairs.forEach(([a, b], i) => {
        ftv.set(ftvHistogram(col(tv, a), col(tv, b)), 20 * i);
        ftvRot.set(ftvHistogram(col(tvRot, a), col(tvRot, b)), 20 * i);
      });
      arrays.push({ name: A.ftv, data: ftv, shape: [pairs.length, 20] }, { name: A.ftvRotated, data: ftvRot, shape: [pairs.length, 20] });
      records[0].params.pairs = pairs.map((p) => p.join('/')).join(',');
    }

    // lesions: each cluster silenced in turn, every task's grid run again
    if (net.lesion && k > 0 && (o.lesions === 'every' || (o.lesions === 'final' && net.final))) {
      const effects = new Float32Array((k + 1) * K * 2);
      intact.forEach((v, t) => effects.set([v.perf, v.loss], 2 * t));
      for (let c = 0; c < k; c++) {
        const units = Int32Array.from(Array.from(labels.keys()).filter((i) => labels[i] === c));
        const restore = net.lesion(units);
        try {
          net.tasks.forEach((task, t) => {
            const { batch } = net.grid(task);
            const rec = net.run(batch);
            effects.set([net.perf(batch, rec.output), maskedLoss(rec.output, batch.y, batch.cMask)], ((c + 1) * K + t) * 2);
          });
        } finally {
          restore();
        }
      }
      arrays.push({ name: A.lesions, data: effects, shape: [k + 1, K, 2] });
    }

    if (o.information && k > 0 && estimators.includes('decoder') && ctx.tasks) records.push(...clusterInformation(ctx, labels, k, o.timePoints));
    return { records, arrays };
  },
};
