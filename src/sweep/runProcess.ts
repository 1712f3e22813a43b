/**
 * A local-pool worker process: receives one run job over IPC, executes it through the one child
 * entry (child.ts) and reports the outcome. One process per run, so a crash or a leak in one run
 * cannot touch another, and each run starts from the same fresh process state as a run started by
 * `infoscope train`.
 */
import { stopOnSignals } from '../engine/stop.js';
import { runJob } from './child.js';
import type { RunOutcome } from './runOne.js';

export type RunReply = { type: 'progress'; step: number; total: number; perf?: number } | { type: 'done'; outcome: RunOutcome } | { type: 'error'; message: string };

const send = (m: RunReply) => new Promise<void>((res) => (process.send ? process.send(m, () => res()) : res()));

// the pool's death (even SIGKILL) closes the IPC channel: stop rather than train unobserved
process.on('disconnect', () => process.exit(137));

process.once('message', async (job: unknown) => {
  const stop = stopOnSignals();
  try {
    let lastSent = 0;
    const outcome = await runJob(job, {
      shouldStop: stop.requested,
      onProgress: (p, final) => {
        if (final || p.perf !== undefined || p.elapsedS - lastSent > 2) {
          lastSent = p.elapsedS;
          void send({ type: 'progress', step: p.step, total: p.total, perf: p.perf });
        }
      },
    });
    await send({ type: 'done', outcome });
  } catch (e) {
    await send({ type: 'error', message: (e as Error).message });
  }
  stop.dispose?.();
  process.exit(0);
});
