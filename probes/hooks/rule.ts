/**
 * Which task the network is doing: I(rule; H_t), the information the hidden layer carries about the
 * task (its rule input) at step t of the trial, in a run with several tasks. The samples are the
 * first `trialsPerTask` trials of every task's probe batch (directions balanced), stacked, labelled
 * by task; time steps run from 0 to the shortest task's end, at `timePoints` evenly spaced steps. The
 * estimator is the layer's decoder bound, with its interval and verdict (docs/probes.md).
 */
import { z } from 'zod';
import type { Samples } from '../estimators/types.js';
import { decoded, reportRecord } from './decoded.js';
import { HOOK, QUANTITY } from './records.js';
import type { ProbeContext, ProbeHook, ProbeOutput, ProbeRecord, TaskActivity } from './types.js';

export const ruleOptionsSchema = z.strictObject({
  trialsPerTask: z.number().int().min(5).max(1024).default(40).describe('probe trials of each task in the sample (the first ones: directions balanced)'),
  timePoints: z.number().int().min(1).max(1000).default(25).describe('time steps measured, evenly spaced over the shortest task'),
});
type RuleOptions = z.output<typeof ruleOptionsSchema>;

/** Steps 0, s, 2s, ... below T, about `points` of them. */
export function evenSteps(T: number, points: number): number[] {
  const stride = Math.max(1, Math.ceil(T / points));
  const out: number[] = [];
  for (let t = 0; t < T; t += stride) out.push(t);
  return out;
}

/** Hidden states of the first m trials of every task at step t, stacked (task-major), and their task labels. */
function stackedAt(tasks: readonly TaskActivity[], m: number, t: number): { x: Samples; labels: Int32Array } {
  const N = tasks[0].activity.N;
  const rows = tasks.reduce((a, k) => a + Math.min(m, k.activity.B), 0);
  const data = new Float64Array(rows * N);
  const labels = new Int32Array(rows);
  let r = 0;
  tasks.forEach((k, i) => {
    const { B, hidden } = k.activity;
    for (let b = 0; b < Math.min(m, B); b++, r++) {
      const src = (t * B + b) * N;
      for (let j = 0; j < N; j++) data[r * N + j] = hidden[src + j];
      labels[r] = i;
    }
  });
  return { x: { n: rows, d: N, data }, labels };
}

export const ruleHook: ProbeHook = {
  name: HOOK.rule,
  description: 'I(rule;H_t): which task the layer says it is doing, over the trial (runs with several tasks)',
  estimators: ['decoder'],
  defaultEstimators: ['decoder'],
  scope: 'run',
  optionsSchema: ruleOptionsSchema,
  run(ctx: ProbeContext, estimators: readonly string[], options: Record<string, unknown>): ProbeOutput {
    const o = options as RuleOptions;
    const tasks = ctx.tasks ?? [];
    const records: ProbeRecord[] = [];
    if (tasks.length < 2 || !estimators.includes('decoder')) return { records, arrays: [] };
    const T = Math.min(...tasks.map((k) => k.activity.T));
    for (const t of evenSteps(T, o.timePoints)) {
      const { x, labels } = stackedAt(tasks, o.trialsPerTask, t);
      const [value, params, r] = decoded(x, labels, { seed: ctx.seed, sqDist: ctx.sqDist });
      records.push(reportRecord({ step: ctx.step, hook: HOOK.rule, estimator: 'decoder', quantity: QUANTITY.ruleLayer, t }, value, { ...params, tasks: tasks.length, trialsPerTask: Math.min(o.trialsPerTask, ...tasks.map((k) => k.activity.B)) }, r));
    }
    return { records, arrays: [] };
  },
};
