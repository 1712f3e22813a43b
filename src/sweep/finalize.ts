/**
 * The last phase of a sweep, wherever its runs executed: aggregate what the sweep folder holds into
 * runs.json, summary.json and (by default) report.html. The local sweep calls it when its pool is
 * done; on a queue, the worker that takes the sweep's parent job does.
 */
import { rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeSweepReport } from '../charts/sweepReport.js';
import { writeJsonAtomic } from '../runfolder/atomic.js';
import { type SweepSummary, aggregateSweep } from '../stats/aggregate.js';
import { RUNS_FILE, SUMMARY_FILE, collectRunSummaries, readSweepFile } from './folder.js';

export async function finalizeSweep(dir: string, opts: { report?: boolean } = {}): Promise<SweepSummary> {
  const file = readSweepFile(dir);
  const runs = collectRunSummaries(dir);
  const summary = aggregateSweep(file, runs);
  writeJsonAtomic(join(dir, RUNS_FILE), [...runs.values()]);
  // pending/ is empty once every run is published
  try {
    rmdirSync(join(dir, 'pending'));
  } catch {
    // not empty (runs still to finish) or absent
  }
  writeJsonAtomic(join(dir, SUMMARY_FILE), summary);
  if (opts.report !== false) {
    try {
      await writeSweepReport(dir, summary, [...runs.values()]);
    } catch (e) {
      process.stderr.write(`warning: could not write the sweep report (${(e as Error).message})\n`);
    }
  }
  return summary;
}
