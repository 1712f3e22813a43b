/**
 * The dashboard's view of sweeps: the sweep folders under the served root, their runs grouped by
 * setting, and the banded charts drawn from whatever runs exist (finished or still training), so
 * the bands fill in while a sweep runs. Same specs as the sweep report (charts/sweepSpecs.ts).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sweepCharts } from '../charts/sweepSpecs.js';
import { METRIC_LABELS, formatMetric, statusCounts } from '../charts/sweepReport.js';
import { aggregateSweep } from '../stats/aggregate.js';
import { collectRunSummaries, isSweepFolder, readSweepFile } from '../sweep/folder.js';

interface SweepListing {
  name: string;
  settings: number;
  runs: number;
  finished: number;
  training: number;
  /** Changes whenever a run of the sweep writes: the page redraws then. */
  stamp: string;
  error?: string;
}

function stampOf(dir: string): { stamp: string; finished: number; training: number } {
  const parts: string[] = [];
  let finished = 0;
  let training = 0;
  for (const [sub, file] of [['runs', 'done.json'], ['pending', 'metrics.jsonl']] as const) {
    const base = join(dir, sub);
    if (!existsSync(base)) continue;
    for (const id of readdirSync(base).sort()) {
      try {
        const s = statSync(join(base, id, file));
        parts.push(`${sub}/${id}:${s.size}:${s.mtimeMs}`);
        if (sub === 'runs') finished++;
        else training++;
      } catch {
        // not there yet
      }
    }
  }
  return { stamp: parts.join('|'), finished, training };
}

export function listSweeps(root: string, valid: (name: string) => boolean): SweepListing[] {
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort()
    .filter((n) => valid(n) && isSweepFolder(join(root, n)))
    .map((name) => {
      const dir = join(root, name);
      try {
        const f = readSweepFile(dir);
        return { name, settings: f.settings.length, runs: f.runs.length, ...stampOf(dir) };
      } catch (e) {
        return { name, settings: 0, runs: 0, finished: 0, training: 0, stamp: 'damaged', error: (e as Error).message };
      }
    });
}

/** Banded charts and the table rows of a sweep, from the runs present now. */
export function liveSweepView(dir: string): { charts: Array<{ name: string; title: string; spec: unknown }>; rows: Array<{ setting: string; runs: string; cells: Record<string, string> }> } {
  const f = readSweepFile(dir);
  const runs = collectRunSummaries(dir, { live: true });
  const summary = aggregateSweep(f, runs, { live: true });
  const rows = summary.settings.map((s) => ({
    setting: s.label,
    runs: statusCounts(s.status),
    cells: Object.fromEntries(Object.keys(s.metrics).map((m) => [METRIC_LABELS[m]?.label ?? m, formatMetric(s.metrics[m as keyof typeof s.metrics], METRIC_LABELS[m]?.digits ?? 3)])),
  }));
  return { charts: sweepCharts(summary, [...runs.values()]).map((c) => ({ name: c.name, title: c.title, spec: c.spec })), rows };
}
