/**
 * `infoscope compare` for groups of run folders (a sweep's settings, listed by sweep/folder.ts, or
 * hand-made groups): the same statistics as a sweep's own summary — per group, mean and 95 %
 * interval across runs; per pair of groups, the seed-level permutation test and effect sizes —
 * written as summary.json and the banded report.
 */
import { basename, join, resolve } from 'node:path';
import { UserError } from '../core/errors.js';
import { writeJsonAtomic } from '../runfolder/atomic.js';
import { ensureDir, isRunFolder } from '../runfolder/paths.js';
import { type AggregationPlan, type SweepSummary, aggregateSweep } from '../stats/aggregate.js';
import { DEFAULT_TARGET_PERF, SWEEP_METRICS } from '../stats/metrics.js';
import { type RunSummary, summarizeRun } from '../stats/runSummary.js';
import { writeSweepReport } from './sweepReport.js';

interface RunGroup {
  label: string;
  /** Run folders of the group (one per seed). */
  dirs: string[];
}

/** Parse "label=dir1,dir2" (the --group flag). */
export function parseGroup(text: string): RunGroup {
  const m = /^([^=]+)=(.+)$/.exec(text);
  if (!m) throw new UserError(`--group must look like label=runFolder1,runFolder2, got "${text}"`);
  return { label: m[1].trim(), dirs: m[2].split(',').map((s) => s.trim()).filter(Boolean) };
}

export async function compareGroups(groups: RunGroup[], outDir: string, opts: { targetPerf?: number; report?: boolean } = {}): Promise<{ summary: SweepSummary; report: string | null }> {
  if (groups.length < 2) throw new UserError('compare needs at least two groups (sweep settings or --group flags)');
  const targetPerf = opts.targetPerf ?? DEFAULT_TARGET_PERF;
  const summaries = new Map<string, RunSummary>();
  const ids = groups.map((g) =>
    g.dirs.map((d) => {
      if (!isRunFolder(d)) throw new UserError(`${d} is not a run folder (no config.json and meta.json there)`);
      const id = resolve(d);
      summaries.set(id, { ...summarizeRun(d, basename(d), targetPerf), id });
      return id;
    }),
  );
  const plan: AggregationPlan = {
    spec: { name: 'comparison', metrics: [...SWEEP_METRICS], targetPerf },
    id: groups.map((g) => g.label).join(' vs '),
    settings: groups.map((g, i) => ({ id: `g${i + 1}`, label: g.label, params: { group: g.label } })),
    runs: ids.flatMap((list, i) => list.map((id) => ({ id, setting: `g${i + 1}` }))),
  };
  const summary = aggregateSweep(plan, summaries);
  ensureDir(outDir);
  writeJsonAtomic(join(outDir, 'summary.json'), summary);
  const report = opts.report === false ? null : await writeSweepReport(outDir, summary, [...summaries.values()]);
  return { summary, report };
}
