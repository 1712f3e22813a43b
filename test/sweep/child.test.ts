/** A job reaches training only inside a sweep folder that lists its run (src/sweep/child.ts). */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RefusedJobError, runJob } from '../../src/sweep/child.js';
import { writeSweepFile } from '../../src/sweep/folder.js';
import { expandSweep, parseSweepSpec } from '../../src/sweep/spec.js';
import { tempDir } from '../helpers.js';

describe('run jobs', () => {
  const plan = expandSweep(parseSweepSpec({ base: { steps: 1, rnn: { hidden: 8 } }, seeds: 1 }));
  const run = plan.runs[0];
  const job = (artifacts: string, folder: string, id = run.id) => ({ artifacts, folder, run: { id, config: run.config as unknown as Record<string, unknown> } });

  it('refuses a job whose path is not a sweep folder, before anything is written', async () => {
    const root = tempDir();
    mkdirSync(join(root, 'elsewhere'));
    await expect(runJob(job(root, 'elsewhere'))).rejects.toThrow(RefusedJobError);
    await expect(runJob(job('/etc', 'cron.d'))).rejects.toThrow(/is not a sweep folder/);
  });

  it('refuses a run the sweep folder does not list, and a malformed job', async () => {
    const root = tempDir();
    const dir = join(root, plan.folderName);
    mkdirSync(dir);
    writeSweepFile(dir, plan);
    await expect(runJob(job(root, plan.folderName, 'go-rnn-s9-0123456789'))).rejects.toThrow(/is not a run of the sweep/);
    await expect(runJob({ ...job(root, plan.folderName), folder: '../x' })).rejects.toThrow(/not an infoscope run job/);
  });

  it('refuses, without retry, a job whose run cannot fit in memory', async () => {
    const root = tempDir();
    const big = { ...(run.config as unknown as Record<string, unknown>), task: 'all', batch: 4096, rnn: { ...(run.config as unknown as { rnn: object }).rnn, hidden: 4096 } };
    await expect(runJob({ artifacts: root, folder: plan.folderName, run: { id: run.id, config: big } })).rejects.toThrow(/refused: this run needs about .* GiB/);
  });
});
