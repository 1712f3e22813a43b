/**
 * Charts and report of one run: charts/<name>.vl.json (data inlined), .svg and .png, and
 * report.html, a single self-contained page (inline SVG, inline CSS, no network).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../runfolder/atomic.js';
import { renderPng, renderSvg } from './render.js';
import { type RunData, loadRun } from '../runfolder/loadRun.js';
import { runCharts } from './runCharts.js';
import type { NamedSpec } from './specs.js';
import { HOOK, QUANTITY, VERDICTS } from '../runfolder/schema.js';
import { lastEvaluated } from '../runfolder/runFolder.js';
import { BITS_PER_NAT } from '../core/units.js';

export interface RenderedChart extends NamedSpec {
  svg: string;
  png: Uint8Array | null;
}

/** Charts with many marks (heatmaps) go into the page as PNG: their SVG runs to megabytes. */
const MAX_INLINE_SVG = 1_000_000;

export function figureHtml(c: RenderedChart): string {
  if (c.svg.length <= MAX_INLINE_SVG || !c.png) return c.svg;
  const b64 = Buffer.from(c.png).toString('base64');
  return `<img alt="${escapeHtml(c.title)}" style="max-width:100%" src="data:image/png;base64,${b64}">`;
}

export async function renderCharts(dir: string, charts: NamedSpec[], png = true): Promise<RenderedChart[]> {
  mkdirSync(dir, { recursive: true });
  const out: RenderedChart[] = [];
  for (const c of charts) {
    const svg = await renderSvg(c.spec);
    writeFileAtomic(join(dir, `${c.name}.vl.json`), JSON.stringify(c.spec));
    writeFileAtomic(join(dir, `${c.name}.svg`), svg);
    const image = png || svg.length > MAX_INLINE_SVG ? await renderPng(svg) : null;
    if (png && image) writeFileAtomic(join(dir, `${c.name}.png`), image);
    out.push({ ...c, svg, png: image });
  }
  return out;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

export const reportCss = `body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:2rem auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f4f4f4}h2{margin-top:2.5rem}figure{margin:1rem 0}svg{max-width:100%;height:auto}.note{color:#666;font-size:90%}`;

export function fmt(v: number | undefined | null, digits = 3): string {
  return v === undefined || v === null || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** A level as a percentage: 0.05 -> "5 %". */
const pct = (v: unknown) => (typeof v === 'number' ? `${+(100 * v).toPrecision(3)} %` : '–');

export function summaryRows(run: RunData): Array<[string, string]> {
  const { meta, config } = run;
  const lastPerf = lastEvaluated(run.metrics);
  const tasks = Array.isArray(config.task) ? config.task.join(', ') : config.task;
  const model = config.model === 'rnn' && config.rnn ? `leaky RNN, ${config.rnn.hidden} units, ${config.rnn.activation}, W_rec init ${config.rnn.recInit}` : config.model;
  const rows: Array<[string, string]> = [
    ['task', tasks],
    ['model', model],
    ['final perf', lastPerf ? `${fmt(lastPerf.perf)} (fixation held: ${fmt(lastPerf.perf_strict)}) at step ${lastPerf.step}` : '–'],
    ['steps', `${meta.step} of ${meta.totalSteps} (${meta.status}${meta.stopReason ? `, ${meta.stopReason}` : ''})`],
    ['wall time', `${fmt(meta.wallSeconds, 1)} s (train ${fmt(meta.timing.train_s, 1)} s, evaluation ${fmt(meta.timing.eval_s, 1)} s, probes ${fmt(meta.timing.probe_s, 1)} s)`],
    ['backend', `${meta.backend} (${meta.backendPackage}), node ${meta.node}, ${meta.cpu}`],
    ['seed', String(meta.seed)],
  ];
  const lastProbe = run.probes.reduce((m, r) => Math.max(m, r.step), -1);
  for (const r of run.probes.filter((p) => p.step === lastProbe && p.hook === HOOK.neuron && p.quantity === QUANTITY.summary)) {
    const p = r.params;
    rows.push([
      `neurons (${r.estimator}), step ${r.step}`,
      `${r.estimator === 'binning' ? `${fmt(r.value, 0)} of ${p.neurons} above their permutation null (p < ${p.alpha} each${p.significantFdr !== undefined ? `; across neurons: ${fmt(p.significantFdr as number, 0)} at FDR ${pct(p.alpha)}, ${fmt(p.significantFwer as number, 0)} at family-wise ${pct(p.alpha)}` : ''}); ` : ''}peak time median ${fmt(p.peakTimeMedian as number, 1)}, IQR ${fmt(p.peakTimeIqr as number, 1)} steps; median peak MI ${fmt((p.peakMiMedian as number) * BITS_PER_NAT)} bits`,
    ]);
  }
  // how far the layer numbers can be trusted: verdicts of the reliability protocol, per estimator
  const verdicts = new Map<string, Record<string, number>>();
  for (const r of run.probes.filter((p) => p.hook === HOOK.layer && p.reliability)) {
    const v = verdicts.get(r.estimator) ?? {};
    v[r.reliability as string] = (v[r.reliability as string] ?? 0) + 1;
    verdicts.set(r.estimator, v);
  }
  for (const [est, v] of verdicts) {
    const total = Object.values(v).reduce((a, b) => a + b, 0);
    rows.push([`layer MI verdicts (${est})`, VERDICTS.filter((k) => v[k]).map((k) => `${k} ${v[k]}`).join(', ') + ` of ${total} records`]);
  }
  for (const r of run.probes.filter((p) => p.step === lastProbe && p.hook === HOOK.infoplane)) {
    rows.push([`${r.quantity} (${r.estimator}), step ${r.step}`, `${fmt((r.value as number) * BITS_PER_NAT)} bits`]);
  }
  return rows;
}

export function reportHtml(title: string, rows: Array<[string, string]>, charts: RenderedChart[], note = ''): string {
  const table = rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n');
  const figs = charts.map((c) => `<h2>${escapeHtml(c.title)}</h2>\n<figure>${figureHtml(c)}</figure>`).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${reportCss}</style></head>
<body>
<h1>${escapeHtml(title)}</h1>
${note ? `<p class="note">${escapeHtml(note)}</p>` : ''}
<table>${table}</table>
${figs}
<p class="note">MI is shown in bits (stored in nats in probes.jsonl). Every chart's Vega-Lite spec, with its data, is in charts/*.vl.json.</p>
</body></html>
`;
}

/** (Re)write charts/ and report.html of a run folder. */
export async function writeReport(dir: string, png = true): Promise<{ report: string; charts: string[] }> {
  const run = loadRun(dir);
  const charts = await renderCharts(run.paths.charts, runCharts(run), png);
  writeFileAtomic(run.paths.report, reportHtml(`infoscope run ${run.name}`, summaryRows(run), charts));
  return { report: run.paths.report, charts: charts.map((c) => c.name) };
}
