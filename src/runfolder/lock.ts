/**
 * One writer per run folder. A process that trains, resumes or probes a run holds run.lock, created
 * exclusively, with its pid, host and start time. A second writer is refused with a sentence; a lock
 * left by a process that died (same host, pid no longer alive) is stale and taken over. Readers use
 * the same test to show a run whose process died as 'interrupted' rather than 'running'.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunFolderError } from './errors.js';

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

export function lockPath(dir: string): string {
  return join(dir, 'run.lock');
}

function readLock(dir: string): LockInfo | null {
  try {
    const v = JSON.parse(readFileSync(lockPath(dir), 'utf8')) as LockInfo;
    return typeof v.pid === 'number' && typeof v.host === 'string' ? v : null;
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

/** Whether a process that holds the lock is still running (unknown for another host: assumed so). */
export function lockHeld(dir: string): boolean {
  const l = readLock(dir);
  if (!l) return false;
  if (l.host !== hostname()) return true;
  return l.pid === process.pid || alive(l.pid);
}

export interface RunLock {
  release(): void;
}

export function acquireRunLock(dir: string): RunLock {
  const path = lockPath(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new RunFolderError(`cannot lock ${dir}: ${(e as Error).message}`);
      const held = readLock(dir);
      if (held && lockHeld(dir)) {
        throw new RunFolderError(`${dir} is being written by process ${held.pid} on ${held.host} (since ${held.startedAt}); wait for it or stop it first`);
      }
      rmSync(path, { force: true }); // stale: its process died
      continue;
    }
    writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
    closeSync(fd);
    let released = false;
    return {
      release() {
        if (released) return;
        released = true;
        if (readLock(dir)?.pid === process.pid) rmSync(path, { force: true });
      },
    };
  }
  throw new RunFolderError(`cannot lock ${dir}: another process took the lock at the same moment`);
}
