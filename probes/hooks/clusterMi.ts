/**
 * How much each functional cluster carries, on the run's probe batches (noise on, continuous
 * directions): I(S; H_c,t) about the stimulus direction's class for every task, I(choice; H_c,t)
 * for the tasks whose target follows one of two stimuli (the DM tasks: which one), and I(rule; H_c,t)
 * about which task, stacked over tasks as the rule hook does. Each with the decoder bound's interval
 * and verdict, at a few time steps per task (docs/clusters.md).
 */
import type { Samples } from '../estimators/types.js';
import { decoded, reportRecord } from './decoded.js';
import { HOOK, QUANTITY } from './records.js';
import { evenSteps } from './rule.js';
import type { ProbeContext, ProbeRecord, TaskActivity } from './types.js';

/** Trials of each task in the stacked I(rule; H_c) sample (the first ones: directions balanced). */
const RULE_TRIALS_PER_TASK = 40;

/** The cluster's units at step t of an activity, as samples; `trials` limits to the first trials. */
function unitsAt(k: TaskActivity, units: Int32Array, t: number, trials = k.activity.B): Samples {
  const { B, N, hidden } = k.activity;
  const n = Math.min(trials, B);
  const data = new Float64Array(n * units.length);
  for (let b = 0; b < n; b++) for (let j = 0; j < units.length; j++) data[b * units.length + j] = hidden[(t * B + b) * N + units[j]];
  return { n, d: units.length, data };
}

/** Which of two stimuli the target follows (0: the first, 1: the second); null where a task shows one stimulus or one choice only. */
function choiceLabels(k: TaskActivity): Int32Array | null {
  const { stimDir2, respDir, respond } = k.batch;
  if (!stimDir2.every((v) => Number.isFinite(v)) || !respond.every((r) => r === 1)) return null;
  const c = Int32Array.from(respDir, (r, b) => (r === stimDir2[b] ? 1 : 0));
  return new Set(c).size === 2 ? c : null;
}

export function clusterInformation(ctx: ProbeContext, labels: Int32Array, k: number, timePoints: number): ProbeRecord[] {
  const tasks = ctx.tasks ?? [];
  const out: ProbeRecord[] = [];
  const o = { seed: ctx.seed, sqDist: ctx.sqDist };
  for (let c = 0; c < k; c++) {
    const units = Int32Array.from(Array.from(labels.keys()).filter((i) => labels[i] === c));
    if (units.length === 0) continue;
    const push = (task: string | undefined, quantity: string, t: number, r: ReturnType<typeof decoded>) =>
      out.push({ ...reportRecord({ step: ctx.step, hook: HOOK.clusters, estimator: 'decoder', quantity, t }, r[0], { ...r[1], units: units.length }, r[2]), cluster: c, ...(task ? { task } : {}) });
    for (const k of tasks) {
      const choice = choiceLabels(k);
      for (const t of evenSteps(k.activity.T, timePoints)) {
        const h = unitsAt(k, units, t);
        push(k.task, QUANTITY.stimulusCluster, t, decoded(h, k.batch.dirIndex, o));
        if (choice) push(k.task, QUANTITY.choiceCluster, t, decoded(h, choice, o));
      }
    }
    const T = Math.min(...tasks.map((k) => k.activity.T));
    for (const t of evenSteps(T, timePoints)) {
      const parts = tasks.map((k) => unitsAt(k, units, t, RULE_TRIALS_PER_TASK));
      const n = parts.reduce((a, p) => a + p.n, 0);
      const data = new Float64Array(n * units.length);
      const rule = new Int32Array(n);
      let r = 0;
      parts.forEach((p, i) => {
        data.set(p.data, r * units.length);
        rule.fill(i, r, r + p.n);
        r += p.n;
      });
      push(undefined, QUANTITY.ruleCluster, t, decoded({ n, d: units.length, data }, rule, o));
    }
  }
  return out;
}
