/**
 * report.html of a sweep: one self-contained page with a table of settings x summaries (mean,
 * 95 % interval, n), the pairwise comparisons (permutation p and effect sizes), and the banded
 * charts of sweepSpecs.ts.
 */
import { join } from 'node:path';
import { writeFileAtomic } from '../runfolder/atomic.js';
import type { SweepSummary, MetricSummary } from '../stats/aggregate.js';
import type { RunSummary } from '../stats/runSummary.js';
import { escapeHtml, figureHtml, fmt, renderCharts, reportCss } from './report.js';
import { sweepCharts } from './sweepSpecs.js';

/** How each summary is named and printed. */
export const METRIC_LABELS: Record<string, { label: string; digits: number }> = {
  final_perf: { label: 'final perf', digits: 3 },
  final_loss: { label: 'final loss', digits: 4 },
  steps_to_target: { label: 'steps to target', digits: 0 },
  wall_to_target_s: { label: 'wall s to target', digits: 1 },
  wall_s: { label: 'wall s', digits: 1 },
  train_s: { label: 'train s', digits: 1 },
  mi_response_end: { label: 'I(H;Y) end of response (bits)', digits: 3 },
  peak_time_median: { label: 'median peak time (steps)', digits: 1 },
  peak_mi_mean: { label: 'mean peak MI (bits)', digits: 3 },
  n_clusters: { label: 'clusters', digits: 1 },
  silhouette: { label: 'silhouette', digits: 3 },
  silhouette_control: { label: 'silhouette, rotated (control)', digits: 3 },
  ftv_extreme_share: { label: 'share of units with |FTV| >= 0.8', digits: 3 },
};

/** "3 completed, 1 diverged": how the runs of a setting stand. */
export function statusCounts(status: Record<string, string>): string {
  const counts = new Map<string, number>();
  for (const st of Object.values(status)) counts.set(st, (counts.get(st) ?? 0) + 1);
  return [...counts].map(([k, v]) => `${v} ${k}`).join(', ');
}

export function formatMetric(m: MetricSummary | undefined, digits: number): string {
  if (!m || m.n === 0) return m?.reached === 0 ? `not reached (0 of ${m.values.length})` : '–';
  const ci = m.ci95 ? ` [${fmt(m.ci95[0], digits)}, ${fmt(m.ci95[1], digits)}]` : '';
  const reached = m.reached !== undefined && m.reached < m.values.length ? `, reached by ${m.reached} of ${m.values.length}` : '';
  return `${fmt(m.mean, digits)}${ci} (n ${m.n}${reached})`;
}

function sweepTables(summary: SweepSummary): string {
  const metrics = [...new Set(summary.settings.flatMap((s) => Object.keys(s.metrics)))];
  const head = `<tr><th>setting</th><th>runs</th>${metrics.map((m) => `<th>${escapeHtml(METRIC_LABELS[m]?.label ?? m)}</th>`).join('')}</tr>`;
  const rows = summary.settings
    .map((s) => {
      return `<tr><td>${escapeHtml(s.label)}</td><td>${escapeHtml(statusCounts(s.status))}</td>${metrics.map((m) => `<td>${escapeHtml(formatMetric(s.metrics[m as keyof typeof s.metrics], METRIC_LABELS[m]?.digits ?? 3))}</td>`).join('')}</tr>`;
    })
    .join('\n');
  const label = (id: string) => summary.settings.find((s) => s.id === id)?.label ?? id;
  const cmp = summary.comparisons.length
    ? `<h2>Comparisons (seed-level permutation test, two-sided)</h2>
<table><tr><th>a vs b</th><th>summary</th><th>mean a − b</th><th>p</th><th>Hedges g</th><th>Cliff's δ</th><th>n</th></tr>
${summary.comparisons
  .map(
    (c) =>
      `<tr><td>${escapeHtml(`${label(c.a)} vs ${label(c.b)}`)}</td><td>${escapeHtml(METRIC_LABELS[c.metric]?.label ?? c.metric)}</td><td>${fmt(c.diff, METRIC_LABELS[c.metric]?.digits ?? 3)}</td><td>${c.p === null ? '–' : `${c.p.toPrecision(2)}${c.exact ? ' (exact)' : ''}${c.statistic === 'rank' ? ', ranks' : ''}`}</td><td>${fmt(c.hedgesG, 2)}</td><td>${fmt(c.cliffsDelta, 2)}</td><td>${c.n.join(' vs ')}</td></tr>`,
  )
  .join('\n')}</table>
<p class="note">p: share of the relabellings of seeds between the two settings whose difference is at least the observed one (all relabellings when there are at most 50,000). "ranks": a run never reached the target, so the test compares mean ranks. With 3 seeds per side the smallest possible p is 0.1.</p>`
    : '';
  return `<table>${head}\n${rows}</table>
<p class="note">Layer MI is read from one estimator per quantity for every run alike (the one the reliability protocol distrusts least over the sweep): ${escapeHtml(Object.entries(summary.layerEstimators).map(([q, e]) => `${q}: ${e}`).join(', ') || 'no layer probes')}. ${summary.settings
    .filter((s) => s.miResponseEnd.estimator)
    .map((s) => escapeHtml(`${s.label}: I(H;Y) at the end of the response is ${s.miResponseEnd.bound ? `an ${s.miResponseEnd.bound} bound` : 'an estimate'} from ${s.miResponseEnd.estimator}, verdicts ${Object.entries(s.miResponseEnd.verdicts).map(([k, v]) => `${k} ${v}`).join(', ')}`))
    .join('; ')}</p>
<p class="note">Each cell: mean across seeds [95 % Student-t interval] (n runs that entered). Completed runs only; diverged runs are counted in "runs" and left out of the summaries. Target perf: ${summary.targetPerf}.</p>
${cmp}`;
}

export async function writeSweepReport(dir: string, summary: SweepSummary, runs: readonly RunSummary[]): Promise<string> {
  const charts = await renderCharts(join(dir, 'charts'), sweepCharts(summary, runs), false);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>infoscope sweep ${escapeHtml(summary.sweep)}</title><style>${reportCss}</style></head>
<body>
<h1>infoscope sweep ${escapeHtml(summary.sweep)}-${escapeHtml(summary.id)}</h1>
<p class="note">${summary.complete ? 'complete' : 'incomplete'}: ${summary.settings.reduce((a, s) => a + s.runs.length, 0)} runs in ${summary.settings.length} settings${summary.diverged.length ? `; diverged: ${escapeHtml(summary.diverged.join(', '))}` : ''}${summary.missing.length ? `; missing: ${escapeHtml(summary.missing.join(', '))}` : ''}</p>
${sweepTables(summary)}
${charts.map((c) => `<h2>${escapeHtml(c.title)}</h2>\n<figure>${figureHtml(c)}</figure>`).join('\n')}
<p class="note">MI in bits. Every chart's Vega-Lite spec, with its data, is in charts/*.vl.json; the numbers are in summary.json and runs.json.</p>
</body></html>
`;
  const path = join(dir, 'report.html');
  writeFileAtomic(path, html);
  return path;
}
