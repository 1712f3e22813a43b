/** Where the files of a run folder are, and making run folders (one level at a time, with one sentence for what stops it). */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RunFolderError } from './errors.js';

export interface RunPaths {
  dir: string;
  config: string;
  meta: string;
  metrics: string;
  probes: string;
  checkpoints: string;
  arrays: string;
  charts: string;
  probeBatch: string;
  report: string;
}

export function runPaths(dir: string): RunPaths {
  const d = resolve(dir);
  return {
    dir: d,
    config: join(d, 'config.json'),
    meta: join(d, 'meta.json'),
    metrics: join(d, 'metrics.jsonl'),
    probes: join(d, 'probes.jsonl'),
    checkpoints: join(d, 'checkpoints'),
    arrays: join(d, 'arrays'),
    charts: join(d, 'charts'),
    probeBatch: join(d, 'probe-batch.json'),
    report: join(d, 'report.html'),
  };
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/**
 * Create a folder and its missing parents one level at a time, with one sentence for what stops it
 * (a file in the way, no permission, a file system that refuses). Node's recursive mkdir can loop
 * forever on pseudo file systems such as /proc, so it is not used here.
 */
export function ensureDir(path: string, what = 'output folder'): void {
  const abs = resolve(path);
  const missing: string[] = [];
  let cur = abs;
  for (;;) {
    let st;
    try {
      st = statSync(cur);
    } catch {
      missing.push(cur);
      const up = dirname(cur);
      if (up === cur) break;
      cur = up;
      continue;
    }
    if (!st.isDirectory()) throw new RunFolderError(`the ${what} ${path} cannot be made: ${cur} is a file, not a folder`);
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(dir).isDirectory()) continue;
      throw new RunFolderError(`the ${what} ${path} cannot be made (${code ?? (e as Error).message} at ${dir})`);
    }
  }
}

/** Make runs/<name>-<yyyymmdd-hhmmss>/ (with a numeric suffix if that exists already). */
export function createRunFolder(outDir: string, name: string, now = new Date()): RunPaths {
  ensureDir(outDir);
  const base = `${name}-${stamp(now)}`;
  let dir = join(outDir, base);
  for (let i = 2; existsSync(dir); i++) dir = join(outDir, `${base}-${i}`);
  const paths = runPaths(dir);
  try {
    mkdirSync(dir);
    mkdirSync(paths.checkpoints);
  } catch (e) {
    throw new RunFolderError(`cannot make a run folder in ${outDir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return paths;
}

/**
 * Make exactly `dir` (a sweep names its runs by id): its parent is created if missing, `dir` itself
 * must not exist yet.
 */
export function createRunFolderAt(dir: string): RunPaths {
  ensureDir(dirname(resolve(dir)));
  const paths = runPaths(dir);
  try {
    mkdirSync(dir);
    mkdirSync(paths.checkpoints);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunFolderError(code === 'EEXIST' ? `the run folder ${dir} exists already` : `cannot make the run folder ${dir} (${code ?? (e as Error).message})`);
  }
  return paths;
}

export function isRunFolder(dir: string): boolean {
  return existsSync(join(dir, 'config.json')) && existsSync(join(dir, 'meta.json'));
}
