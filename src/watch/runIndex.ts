/** The dashboard's list of runs: one summary per run folder, re-read only where a file changed. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { lockHeld, lockPath } from '../runfolder/lock.js';
import { isRunFolder, runPaths } from '../runfolder/paths.js';
import { displayStatus, lastEvaluated, readConfig, readMeta, readMetrics } from '../runfolder/runFolder.js';
import { validRunName } from './safePath.js';

interface RunSummary {
  name: string;
  task: string;
  model: string;
  /** As readers show it: a 'running' run whose process died is 'interrupted'; 'damaged' if unreadable. */
  status: string;
  step: number;
  totalSteps: number;
  perf: number | null;
  backend: string;
  /** Why a run folder could not be read (paths relative to the runs folder). */
  error?: string;
}

/** A message safe to send: absolute paths under the runs folder become relative ones, others are cut. */
export function sanitize(msg: string, root: string): string {
  const abs = resolve(root);
  return msg.split(abs + sep).join('').split(abs).join('.').replace(/(^|[\s(])\/[^\s)]+/g, '$1<path>');
}

function summarize(root: string, name: string): RunSummary {
  const p = runPaths(join(root, name));
  try {
    const meta = readMeta(p);
    const config = readConfig(p);
    const metrics = readMetrics(p);
    const last = metrics[metrics.length - 1];
    const lastPerf = lastEvaluated(metrics);
    return {
      name,
      task: Array.isArray(config.task) ? config.task.join('+') : config.task,
      model: config.model,
      status: displayStatus(p, meta),
      step: last?.step ?? meta.step,
      totalSteps: meta.totalSteps,
      perf: lastPerf?.perf ?? null,
      backend: meta.backend,
    };
  } catch (e) {
    return { name, task: '?', model: '?', status: 'damaged', step: 0, totalSteps: 0, perf: null, backend: '?', error: sanitize((e as Error).message, root) };
  }
}

function stamp(root: string, name: string): string {
  const p = runPaths(join(root, name));
  return [p.metrics, p.probes, p.meta, lockPath(p.dir)]
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.size}:${s.mtimeMs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

/**
 * The runs of a folder, re-read only where a file changed (size or mtime of metrics, probes, meta
 * or the lock). One instance per server: its cost does not grow with the number of clients.
 */
export class RunIndex {
  private readonly cache = new Map<string, { stamp: string; summary: RunSummary }>();
  constructor(private readonly root: string) {}

  /** Current summaries, and the names whose summary changed since the last call. */
  refresh(): { runs: RunSummary[]; changed: RunSummary[] } {
    const names = existsSync(this.root) ? readdirSync(this.root).sort().filter((n) => validRunName(n) && isRunFolder(join(this.root, n))) : [];
    const changed: RunSummary[] = [];
    for (const name of names) {
      const st = stamp(this.root, name);
      const hit = this.cache.get(name);
      if (hit && hit.stamp === st) {
        // unchanged files; only a writer that died since can change what to show
        if (hit.summary.status === 'running' && !lockHeld(join(this.root, name))) {
          hit.summary = { ...hit.summary, status: 'interrupted' };
          changed.push(hit.summary);
        }
        continue;
      }
      const summary = summarize(this.root, name);
      if (!hit || hit.stamp !== st || JSON.stringify(hit.summary) !== JSON.stringify(summary)) changed.push(summary);
      this.cache.set(name, { stamp: st, summary });
    }
    for (const name of [...this.cache.keys()]) if (!names.includes(name)) this.cache.delete(name);
    return { runs: names.map((n) => (this.cache.get(n) as { summary: RunSummary }).summary), changed };
  }
}

