/**
 * Crash-safe file writes. A whole file is written to a temporary name, every byte (writeSync may
 * write fewer than asked: it is called until all are out), synced and renamed over the old version,
 * so a full disk or a crash leaves the previous version intact. JSONL appends are whole lines: a
 * failed append is cut back to the file's length before it. Readers skip a torn last line, and a
 * writer repairs one before appending (repairJsonl). Every failure names the file.
 */
import { appendFileSync, closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, openSync, readFileSync, readSync, readdirSync, renameSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RunFolderError, WriteError } from './errors.js';

/** Suffix of the temporary files writeFileAtomic leaves only when killed mid-write. */
const TMP_SUFFIX = '.tmp';

export function failure(path: string, e: unknown, kept = 'its previous version is unchanged'): WriteError {
  const code = (e as NodeJS.ErrnoException).code;
  const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'the disk quota is exhausted' : (code ?? (e as Error).message);
  return new WriteError(`cannot write ${path}: ${why}; ${kept}`);
}

export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}${TMP_SUFFIX}`);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw failure(path, e);
  }
}

export function writeJsonAtomic(path: string, value: unknown): void {
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n');
}

/** Appends whole lines; on failure the file is cut back to its length before, and the error names it. */
export function appendJsonl(path: string, records: readonly unknown[]): void {
  if (records.length === 0) return;
  const text = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  repairJsonl(path);
  let before = 0;
  try {
    before = statSync(path).size;
  } catch {
    before = 0;
  }
  try {
    appendFileSync(path, text);
  } catch (e) {
    try {
      if (existsSync(path)) truncateSync(path, before);
    } catch {
      /* the reader skips a torn tail anyway */
    }
    throw failure(path, e, 'the lines before are intact');
  }
}

/**
 * Cuts a torn last line (no newline: a crash mid-append) off a JSONL file, reading only its tail;
 * returns whether it did. appendJsonl calls it, so new lines never join a torn one.
 */
export function repairJsonl(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    const one = Buffer.alloc(1);
    if (size === 0 || (readSync(fd, one, 0, 1, size - 1) === 1 && one[0] === 0x0a)) return false;
    const chunk = Buffer.alloc(65536);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (at >= 0) {
        ftruncateSync(fd, start + at + 1);
        return true;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** Removes the temporary files of writes that a kill interrupted (in `dir` and its direct subfolders). */
export function cleanTemporaryFiles(dir: string): number {
  let n = 0;
  const visit = (d: string, depth: number) => {
    let names: string[] = [];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const f of names) {
      const p = join(d, f);
      if (f.startsWith('.') && f.endsWith(TMP_SUFFIX)) {
        rmSync(p, { force: true });
        n++;
      } else if (depth > 0 && !f.startsWith('.')) {
        try {
          if (statSync(p).isDirectory()) visit(p, depth - 1);
        } catch {
          /* vanished */
        }
      }
    }
  };
  visit(dir, 1);
  return n;
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
