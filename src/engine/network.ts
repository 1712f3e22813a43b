/**
 * What a run hook may do with the network at a checkpoint (probes/hooks/types.ts, NetworkAccess),
 * wired here because only the engine knows both the tasks and the model: each task's reference test
 * grid (20 directions, no input noise; made once per pass), a forward pass without recurrent noise,
 * the task's own perf measure, the model's lesion, and a fast X^T X.
 */
import { activeNativeKernels } from '../../models/native.js';
import type { Model } from '../../models/types.js';
import { crossProductLoop } from '../../probes/estimators/taskVariance.js';
import type { NetworkAccess } from '../../probes/hooks/types.js';
import { REFERENCE_DIRECTIONS, gridSize } from '../../tasks/grid.js';
import { getTask } from '../../tasks/registry.js';
import type { TaskLayout, TrialBatch } from '../../tasks/types.js';
import { type Config, taskList } from '../config/schema.js';
import { stream } from '../core/rng.js';

/** X^T X of a [rows, cols] matrix: the native gemm on the transpose where it is built (float32 products), else the float64 loop. */
function crossProduct(x: Float32Array, rows: number, cols: number): Float64Array {
  const k = activeNativeKernels();
  if (!k) return crossProductLoop(x, rows, cols);
  const xt = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) xt[c * rows + r] = x[r * cols + c];
  return Float64Array.from(k.gemm(xt, cols, rows, x, cols));
}

export function networkAccess(config: Config, model: Model, layout: TaskLayout, step: number): NetworkAccess {
  const grids = new Map<string, { batch: TrialBatch; from: number }>();
  return {
    tasks: taskList(config),
    grid(name) {
      let g = grids.get(name);
      if (!g) {
        const task = getTask(name);
        const n = gridSize(task.gridShape?.(REFERENCE_DIRECTIONS) ?? [REFERENCE_DIRECTIONS]);
        // no noise: the stream is never drawn from
        const batch = task.sample(n, stream(config.seed, 'probes', 2), 'test', layout, { noise: false, directions: REFERENCE_DIRECTIONS });
        grids.set(name, (g = { batch, from: batch.epochs.fix1?.[1] ?? 0 }));
      }
      return g;
    },
    run: (batch) => model.run(batch, null),
    perf: (batch, output) => getTask(batch.task).perf(output, batch).perf,
    ...(model.lesion ? { lesion: (units: Int32Array) => (model.lesion as NonNullable<Model['lesion']>).call(model, units) } : {}),
    crossProduct,
    final: step >= config.steps,
  };
}
