/**
 * One writer per run folder, across processes and hosts. A process that trains, resumes or probes a
 * run holds run.lock: written complete to a temporary file and linked into place in one step (a
 * reader never sees it empty), carrying host, pid, the process's start time and a heartbeat (the
 * file's mtime, renewed every HEARTBEAT_MS by a small worker thread, so a long computation on the
 * main thread does not stop it).
 *
 * A lock is stale when, on this host, its process is gone or its pid now belongs to a process that
 * started later (pid reuse, a container's pid 1); from another host, when its heartbeat is older
 * than STALE_MS (the process table of that host cannot be read from here). A stale lock is taken
 * over; a live one refuses with a sentence. Readers use the same test to show a run whose process
 * died as 'interrupted' rather than 'running'.
 */
import { linkSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RunFolderError } from './errors.js';

/** How often the holder renews its heartbeat, ms. */
export const HEARTBEAT_MS = 2000;
/** A heartbeat older than this marks another host's lock stale, ms (the queue's lease is 20 s). */
export const STALE_MS = 15_000;

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
  /** Start time of the process (Linux: clock ticks since boot, /proc/<pid>/stat field 22); null elsewhere. */
  procStart: string | null;
}

export function lockPath(dir: string): string {
  return join(dir, 'run.lock');
}

/** The start time of a process on this host, or null where it cannot be read. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function readLockFile(path: string): { info: LockInfo; text: string; beat: number } | null {
  try {
    const text = readFileSync(path, 'utf8');
    const v = JSON.parse(text) as LockInfo;
    if (typeof v.pid !== 'number' || typeof v.host !== 'string') return null;
    return { info: v, text, beat: statSync(path).mtimeMs };
  } catch {
    return null;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the holder of a lock is alive, by the rules above. */
function live(l: { info: LockInfo; beat: number }, now = Date.now()): boolean {
  // another host: only the heartbeat can tell; this host: the process table is the authority
  if (l.info.host !== hostname()) return now - l.beat <= STALE_MS;
  if (!alive(l.info.pid)) return false;
  const start = procStart(l.info.pid);
  return l.info.procStart === null || start === null || start === l.info.procStart;
}

/** Whether a live process holds the run's lock. */
export function lockHeld(dir: string): boolean {
  const l = readLockFile(lockPath(dir));
  return l !== null && live(l);
}

export interface RunLock {
  release(): void;
}

/** Renews the lock's mtime every HEARTBEAT_MS from a worker thread, until the file is gone or another's. */
const HEARTBEAT = `
const { workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { path, text, every } = workerData;
const timer = setInterval(() => {
  try {
    if (fs.readFileSync(path, 'utf8') !== text) return clearInterval(timer);
    const now = new Date();
    fs.utimesSync(path, now, now);
  } catch { clearInterval(timer); }
}, every);
`;

/** Moves a stale lock aside, unless it changed since it was judged (then it is put back). */
function removeStale(path: string, judged: string): void {
  const grave = `${path}.stale.${process.pid}.${Date.now()}`;
  try {
    renameSync(path, grave);
  } catch {
    return; // gone already
  }
  let text = '';
  try {
    text = readFileSync(grave, 'utf8');
  } catch {
    /* vanished */
  }
  if (text !== judged) {
    try {
      linkSync(grave, path); // a fresh lock taken meanwhile: restore it (fails if yet another exists)
    } catch {
      /* someone holds the place */
    }
  }
  rmSync(grave, { force: true });
}

export function acquireRunLock(dir: string, opts: { heartbeat?: boolean } = {}): RunLock {
  const path = lockPath(dir);
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), procStart: procStart(process.pid) };
  const text = JSON.stringify(info);
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    writeFileSync(tmp, text);
  } catch (e) {
    throw new RunFolderError(`cannot lock ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} writing ${tmp}`);
  }
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(tmp, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new RunFolderError(`cannot lock ${dir}: ${(e as Error).message}`);
        const held = readLockFile(path);
        if (held && live(held)) {
          throw new RunFolderError(`${dir} is being written by process ${held.info.pid} on ${held.info.host} (since ${held.info.startedAt}); wait for it or stop it first`);
        }
        if (held) removeStale(path, held.text);
        else if (Date.now() - (safeMtime(path) ?? 0) > STALE_MS) removeStale(path, safeRead(path));
        continue;
      }
      return holding(path, text, opts.heartbeat !== false);
    }
    throw new RunFolderError(`cannot lock ${dir}: another process took the lock at the same moment`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

function safeMtime(path: string): number | null {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return null;
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function holding(path: string, text: string, heartbeat: boolean): RunLock {
  let worker: Worker | null = null;
  if (heartbeat) {
    worker = new Worker(HEARTBEAT, { eval: true, workerData: { path, text, every: HEARTBEAT_MS } });
    worker.unref();
    worker.on('error', () => undefined);
  }
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      void worker?.terminate();
      if (safeRead(path) === text) rmSync(path, { force: true });
    },
  };
}
