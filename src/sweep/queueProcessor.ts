/**
 * BullMQ's sandboxed processor for "runs" jobs: it runs in a child process of `infoscope worker`, so
 * the worker's own event loop keeps renewing the job's lock while this one trains. It executes only
 * infoscope runs described by a validated config: the job data must match runJobSchema, the config
 * goes through normalizeConfig, and the run id must be the one the config hashes to (so an id can
 * never name a path outside the sweep folder).
 */
import { join } from 'node:path';
import type { SandboxedJob } from 'bullmq';
import { UnrecoverableError } from 'bullmq';
import { normalizeConfig } from '../config/normalize.js';
import { UserError } from '../core/errors.js';
import { type RunJobResult, runJobSchema } from './queue.js';
import { executeRun } from './runOne.js';

// the worker decides about shutdown; a terminal's Ctrl-C reaches this process group too
process.on('SIGINT', () => {});
// the worker died (even by SIGKILL): stop instead of training unobserved; the job is re-delivered
process.on('disconnect', () => process.exit(137));

export default async function processRun(job: SandboxedJob): Promise<RunJobResult> {
  const parsed = runJobSchema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`refused: not an infoscope run job (${parsed.error.issues[0].path.join('.')}: ${parsed.error.issues[0].message})`);
  const d = parsed.data;
  let config;
  try {
    config = normalizeConfig(d.run.config);
  } catch (e) {
    if (e instanceof UserError) throw new UnrecoverableError(`refused: ${e.message}`);
    throw e;
  }
  const dir = join(process.env.INFOSCOPE_ARTIFACTS ?? d.artifacts, d.folder);
  let outcome;
  try {
    outcome = await executeRun(dir, { id: d.run.id, config });
  } catch (e) {
    if (e instanceof UserError) throw new UnrecoverableError(e.message);
    throw e;
  }
  if (outcome.status === 'diverged') throw new UnrecoverableError(`diverged at step ${outcome.step}: ${outcome.message ?? ''}`);
  if (outcome.status !== 'completed') throw new Error(`run ${d.run.id} ${outcome.status} at step ${outcome.step}`);
  return { id: outcome.id, status: outcome.status, step: outcome.step, perf: outcome.perf, how: outcome.how, seconds: outcome.seconds };
}
