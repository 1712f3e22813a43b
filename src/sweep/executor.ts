/**
 * Where a sweep's runs execute: the local pool of processes (localPool.ts) or BullMQ workers on any
 * number of machines (queue.ts). Both take the same request and return the same shape, so the
 * sweep (sweep.ts) is one pipeline whichever runs it.
 */
import type { SweepPlan } from './spec.js';

export interface ExecuteRequest {
  /** The sweep folder. */
  dir: string;
  plan: SweepPlan;
  /** The runs still to finish, in plan order. */
  todo: SweepPlan['runs'];
  onLine: (line: string) => void;
  shouldStop?: () => boolean;
}

export interface Execution {
  /** Runs that failed (an error, not a divergence), with the reason. */
  failed: Array<{ id: string; error: string }>;
  /** Stopped by a signal before every run finished; submitting the sweep again continues. */
  stopped: boolean;
}

export interface Executor {
  execute(req: ExecuteRequest): Promise<Execution>;
}
