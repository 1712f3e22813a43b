/**
 * Named sets of tasks and the paper's sampling weights for multi-task training (Yang et al. 2019:
 * one task per batch, drawn with probability proportional to 1, Ctx DM 1 and 2 at 5).
 */
import { dmFamily } from './dmFamily.js';
import { goFamily } from './goFamily.js';
import { matchFamily } from './matchFamily.js';

const names = (ts: readonly { name: string }[]) => ts.map((t) => t.name);

/** Named sets a config's `task` may give instead of a list; `all` in rule-slot order. */
export const TASK_SETS: Readonly<Record<string, readonly string[]>> = {
  all: [...names(goFamily), ...names(dmFamily), ...names(matchFamily)],
  'go-family': names(goFamily),
  'dm-family': names(dmFamily),
  'match-family': names(matchFamily),
};

/** The paper's weight of a task in the multi-task mix (tasks not named here: 1). */
export const PAPER_TASK_WEIGHTS: Readonly<Record<string, number>> = { ctxdm1: 5, ctxdm2: 5 };

export function paperWeight(task: string): number {
  return PAPER_TASK_WEIGHTS[task] ?? 1;
}
