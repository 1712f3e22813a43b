/** Crash-safe file writes: temp file + rename; JSONL appends of whole lines; readers that skip a torn last line. */
import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RunFolderError } from './errors.js';

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w');
  try {
    if (typeof data === "string") writeSync(fd, data);
    else writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** One write call per batch of whole lines, so a crash leaves at most one torn last line. */
export function appendJsonl(path: string, records: readonly unknown[]): void {
  if (records.length === 0) return;
  appendFileSync(path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
}

/** Parse a JSONL file; a last line without its newline (torn by a crash) is skipped. */
export function readJsonl<T = unknown>(path: string, parse: (v: unknown, line: number) => T = (v) => v as T): T[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const complete = text.endsWith('\n') ? lines.slice(0, -1) : lines.slice(0, -1); // drop '' or the torn tail
  const out: T[] = [];
  for (let i = 0; i < complete.length; i++) {
    const line = complete[i];
    if (line.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new RunFolderError(`${path} line ${i + 1} is not valid JSON`);
    }
    out.push(parse(v, i + 1));
  }
  return out;
}
