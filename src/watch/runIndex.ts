/** The dashboard's list of runs: one summary per run folder, re-read only where a file changed. */
import { closeSync, existsSync, openSync, readSync, readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { lockHeld, lockPath } from '../runfolder/lock.js';
import { isRunFolder, runPaths } from '../runfolder/paths.js';
import { displayStatus, readConfig, readMeta, readMetrics } from '../runfolder/runFolder.js';
import type { MetricLine } from '../runfolder/schema.js';
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

/**
 * What the list shows of metrics.jsonl, read incrementally: only the bytes appended since the last
 * read are parsed (a live run's file grows every step; re-parsing it whole every refresh grew with
 * the run). A file that shrank or was replaced (a resume rewrites it) is read again from the start.
 */
class MetricsTail {
  private offset = 0;
  private ino = -1;
  last: MetricLine | undefined;
  lastPerf: MetricLine | undefined;

  read(path: string): void {
    let size = 0;
    let ino = -1;
    try {
      ({ size, ino } = statSync(path));
    } catch {
      size = 0;
    }
    // rewritten (a resume writes a new file and renames it over) or shrunk: from the start
    if (size < this.offset || ino !== this.ino) {
      this.ino = ino;
      this.offset = 0;
      this.last = this.lastPerf = undefined;
    }
    if (size === this.offset) return;
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(size - this.offset);
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      const end = buf.subarray(0, n).lastIndexOf(0x0a);
      if (end < 0) return; // only a line still being written
      for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        const m = JSON.parse(line) as MetricLine;
        this.last = m;
        if (m.perf !== undefined) this.lastPerf = m;
      }
      this.offset += end + 1;
    } finally {
      closeSync(fd);
    }
  }
}

function summarize(root: string, name: string, tail: MetricsTail): RunSummary {
  const p = runPaths(join(root, name));
  try {
    const meta = readMeta(p);
    const config = readConfig(p);
    try {
      tail.read(p.metrics);
    } catch {
      readMetrics(p); // a damaged line: the full reader names it
      throw new Error(`${p.metrics} cannot be read`);
    }
    const last = tail.last;
    const lastPerf = tail.lastPerf;
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

/** Sizes and times of the files a run's views read: equal stamps, equal views. */
export function stamp(root: string, name: string): string {
  const p = runPaths(join(root, name));
  return [p.metrics, p.probes, p.meta, lockPath(p.dir), p.arrays]
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
  private readonly tails = new Map<string, MetricsTail>();
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
      let tail = this.tails.get(name);
      if (!tail) this.tails.set(name, (tail = new MetricsTail()));
      const summary = summarize(this.root, name, tail);
      if (!hit || hit.stamp !== st || JSON.stringify(hit.summary) !== JSON.stringify(summary)) changed.push(summary);
      this.cache.set(name, { stamp: st, summary });
    }
    for (const name of [...this.cache.keys()]) if (!names.includes(name)) this.cache.delete(name);
    for (const name of [...this.tails.keys()]) if (!names.includes(name)) this.tails.delete(name);
    return { runs: names.map((n) => (this.cache.get(n) as { summary: RunSummary }).summary), changed };
  }
}

