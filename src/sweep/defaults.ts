/** Sweep and worker defaults, apart from the code that runs them so that the command line reads them without loading it. */
import { cpus } from 'node:os';

export const SWEEP_DEFAULTS = { workers: () => cpus().length, artifacts: 'runs' } as const;

/**
 * Lock and stall timing: a sandboxed run renews its lock every lockDuration / 2 from the worker's
 * own event loop, so a dead worker's runs are back in the queue within lockDuration + stalledInterval.
 */
export const WORKER_DEFAULTS = { concurrency: 1, lockDurationMs: 15_000, maxStalledCount: 10, attempts: 5 } as const;
