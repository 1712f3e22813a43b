/**
 * BullMQ's sandboxed processor for "runs" jobs: it runs in a child process of `infoscope worker`, so
 * the worker's own event loop keeps renewing the job's lock while this one trains. The job goes
 * through the one child entry (child.ts): only infoscope runs described by a validated config run.
 */
import type { SandboxedJob } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { UserError } from '../core/errors.js';
import { RefusedJobError, runJob } from './child.js';
import type { RunOutcome } from './runOne.js';

// the worker decides about shutdown; a terminal's Ctrl-C reaches this process group too
process.on('SIGINT', () => {});
// the worker died (even by SIGKILL): stop instead of training unobserved; the job is re-delivered
process.on('disconnect', () => process.exit(137));

export default async function processRun(job: SandboxedJob): Promise<RunOutcome> {
  let outcome: RunOutcome;
  try {
    outcome = await runJob(job.data, { artifacts: process.env.INFOSCOPE_ARTIFACTS });
  } catch (e) {
    // a job that is not an infoscope run, or a config the normaliser refuses, never runs again
    if (e instanceof RefusedJobError || e instanceof UserError) throw new UnrecoverableError(e.message.startsWith('refused') ? e.message : `refused: ${e.message}`);
    throw e;
  }
  if (outcome.status === 'diverged') throw new UnrecoverableError(`diverged at step ${outcome.step}: ${outcome.message ?? ''}`);
  if (outcome.status !== 'completed') throw new Error(`run ${outcome.id} ${outcome.status} at step ${outcome.step}`);
  return outcome;
}
