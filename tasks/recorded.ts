/**
 * The trials of an imported recording (`infoscope import`, docs/import.md): they were not generated
 * here, so this task has nothing to sample. The engine reads them from the run folder (recorded/);
 * the task only gives the run its name and sizes.
 */
import { inputSize, outputSize } from './layout.js';
import { taskPerf } from './perf.js';
import type { PerfResult, Task, TaskLayout, TaskSizes, TrialBatch } from './types.js';

export const RECORDED_TASK = 'recorded';

export const recordedTask: Task = {
  name: RECORDED_TASK,
  displayName: 'Recorded trials',
  sizes(layout: TaskLayout): TaskSizes {
    return { nIn: inputSize(layout), nOut: outputSize(layout) };
  },
  sample(): TrialBatch {
    throw new Error('the trials of an imported recording are in its run folder (recorded/): they are read, not generated');
  },
  perf(output: Float32Array, batch: TrialBatch): PerfResult {
    return taskPerf(output, batch);
  },
};
