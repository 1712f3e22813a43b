/**
 * The run lock across processes and hosts (src/runfolder/lock.ts): complete when it appears, renewed
 * by a heartbeat, stale when its heartbeat stopped on another host or its pid was reused here, and
 * won by exactly one of several processes racing for it, also when they race to take over a stale one.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MS, STALE_MS, acquireRunLock, lockHeld, lockPath } from '../../src/runfolder/lock.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'infoscope-lock-'));
const lockModule = resolve('dist/src/runfolder/lock.js');

function foreignLock(dir: string, ageMs: number, host = 'another-host.example'): void {
  writeFileSync(lockPath(dir), JSON.stringify({ pid: 4242, host, startedAt: new Date(Date.now() - ageMs).toISOString(), procStart: '1' }));
  const t = new Date(Date.now() - ageMs);
  utimesSync(lockPath(dir), t, t);
}

/** n processes try to take the lock at the same instant; returns how many got it. */
async function race(dir: string, n: number): Promise<number> {
  const at = Date.now() + 700;
  const code = `
    const { acquireRunLock } = await import(${JSON.stringify(lockModule)});
    while (Date.now() < ${at}) {}
    try { acquireRunLock(${JSON.stringify(dir)}, { heartbeat: false }); console.log('won'); setTimeout(() => {}, 500); }
    catch (e) { console.log('lost ' + e.message); }`;
  const outs = await Promise.all(
    Array.from({ length: n }, () =>
      new Promise<string>((res) => {
        const c = spawn(process.execPath, ['--input-type=module', '-e', code]);
        let s = '';
        c.stdout.on('data', (d) => (s += d));
        c.on('close', () => res(s));
      }),
    ),
  );
  for (const o of outs) expect(o).toMatch(/^(won|lost .*(is being written by process|took the lock at the same moment))/);
  return outs.filter((o) => o.startsWith('won')).length;
}

describe('run lock', () => {
  it('appears complete, names its holder, and its heartbeat renews it', async () => {
    const dir = fresh();
    const lock = acquireRunLock(dir);
    const v = JSON.parse(readFileSync(lockPath(dir), 'utf8'));
    expect(v.pid).toBe(process.pid);
    expect(typeof v.host).toBe('string');
    expect(v.procStart).not.toBeUndefined();
    const past = new Date(Date.now() - 60_000);
    utimesSync(lockPath(dir), past, past);
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS + 800));
    expect(Date.now() - statSync(lockPath(dir)).mtimeMs).toBeLessThan(HEARTBEAT_MS + 500);
    expect(() => acquireRunLock(dir)).toThrow(/is being written by process/);
    lock.release();
    expect(lockHeld(dir)).toBe(false);
  });

  it('another host: refused while its heartbeat is fresh, taken over once it stopped', () => {
    const dir = fresh();
    foreignLock(dir, 1000);
    expect(lockHeld(dir)).toBe(true);
    expect(() => acquireRunLock(dir, { heartbeat: false })).toThrow(/process 4242 on another-host\.example/);
    foreignLock(dir, STALE_MS + 5000);
    expect(lockHeld(dir)).toBe(false);
    const lock = acquireRunLock(dir, { heartbeat: false });
    expect(JSON.parse(readFileSync(lockPath(dir), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('this host: a reused pid (our own, with another start time) is stale, as is a dead pid', () => {
    const dir = fresh();
    writeFileSync(lockPath(dir), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: '2020-01-01T00:00:00Z', procStart: '1' }));
    expect(lockHeld(dir)).toBe(false);
    acquireRunLock(dir, { heartbeat: false }).release();
    writeFileSync(lockPath(dir), JSON.stringify({ pid: 2 ** 22 + 17, host: hostname(), startedAt: '2020-01-01T00:00:00Z', procStart: null }));
    expect(lockHeld(dir)).toBe(false);
    acquireRunLock(dir, { heartbeat: false }).release();
  });

  it('six processes racing: exactly one wins, on a free folder and on one with a stale lock', async () => {
    for (let round = 0; round < 3; round++) {
      expect(await race(fresh(), 6)).toBe(1);
      const dir = fresh();
      foreignLock(dir, STALE_MS + 5000);
      expect(await race(dir, 6)).toBe(1);
    }
  }, 60_000);
});
