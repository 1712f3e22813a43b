/**
 * The writers under a failing disk (an injected short write, then ENOSPC): a whole-file write leaves
 * the previous version and no temporary file; an append leaves whole lines only; a torn last line is
 * cut before the next append; every failure names the file.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const fault = vi.hoisted(() => ({ on: false, short: false }));

vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  return {
    ...real,
    // a disk that takes half of what is asked, then nothing
    writeSync: ((fd: number, buf: Uint8Array, off = 0, len = buf.length - off) => {
      if (fault.short) return real.writeSync(fd, buf, off, Math.min(len, 100)); // a slow pipe: 100 bytes a call
      if (!fault.on) return real.writeSync(fd, buf, off, len);
      if (len > 1) return real.writeSync(fd, buf, off, Math.floor(len / 2));
      throw enospc();
    }) as typeof real.writeSync,
    appendFileSync: ((path: string, data: string) => {
      if (!fault.on) return real.appendFileSync(path, data);
      real.appendFileSync(path, data.slice(0, Math.floor(data.length / 2)));
      throw enospc();
    }) as typeof real.appendFileSync,
  };
});

const { appendJsonl, readJsonl, repairJsonl, writeFileAtomic } = await import('../../src/runfolder/atomic.js');

afterEach(() => {
  fault.on = false;
  fault.short = false;
});

describe('writers on a full disk', () => {
  it('a whole-file write that cannot finish keeps the previous version, names the file, leaves no temporary', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoscope-atomic-'));
    const f = join(dir, 'meta.json');
    writeFileAtomic(f, '{"old": true}\n');
    fault.on = true;
    expect(() => writeFileAtomic(f, JSON.stringify({ big: 'x'.repeat(5000) }))).toThrow(new RegExp(`cannot write ${f}: the disk is full; its previous version is unchanged`));
    fault.on = false;
    expect(readFileSync(f, 'utf8')).toBe('{"old": true}\n');
    expect(readdirSync(dir)).toEqual(['meta.json']);
  });

  it('short writes that do succeed are completed, not truncated', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoscope-atomic-'));
    const f = join(dir, 'a.bin');
    const data = new Uint8Array(1000).map((_, i) => i % 251);
    fault.short = true;
    writeFileAtomic(f, data);
    expect(new Uint8Array(readFileSync(f))).toEqual(data);
  });

  it('a failed append is cut back to whole lines, and the next append is whole', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoscope-atomic-'));
    const f = join(dir, 'probes.jsonl');
    appendJsonl(f, [{ a: 1 }, { a: 2 }]);
    fault.on = true;
    expect(() => appendJsonl(f, [{ a: 3 }, { a: 4 }])).toThrow(/cannot write .*probes\.jsonl: the disk is full/);
    fault.on = false;
    expect(readFileSync(f, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
    appendJsonl(f, [{ a: 5 }]);
    expect(readJsonl(f)).toEqual([{ a: 1 }, { a: 2 }, { a: 5 }]);
  });

  it('a torn last line (a crash mid-append) is cut before the next append', () => {
    const dir = mkdtempSync(join(tmpdir(), 'infoscope-atomic-'));
    const f = join(dir, 'metrics.jsonl');
    writeFileSync(f, '{"step":1}\n{"step":2}\n{"st');
    expect(readJsonl(f)).toEqual([{ step: 1 }, { step: 2 }]);
    appendJsonl(f, [{ step: 3 }]);
    expect(readFileSync(f, 'utf8')).toBe('{"step":1}\n{"step":2}\n{"step":3}\n');
    expect(repairJsonl(f)).toBe(false);
    writeFileSync(f, 'no newline at all');
    expect(repairJsonl(f)).toBe(true);
    expect(readFileSync(f, 'utf8')).toBe('');
    expect(existsSync(f)).toBe(true);
  });
});
