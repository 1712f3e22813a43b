/** The dashboard server serves only what lies under its runs folder, only GET and HEAD, on 127.0.0.1. */
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WatchServer, startWatch } from '../../src/watch/server.js';
import { PathRefused, safeSegments } from '../../src/watch/safePath.js';
import { fixtureRun, rawRequest, tempDir } from '../helpers.js';

const raw = (url: string, path: string, method = 'GET') => rawRequest(url, path, { method });

describe('watch server security', () => {
  let w: WatchServer;
  let run = '';
  const outside = tempDir('infoscope-outside-');
  const root = tempDir('infoscope-root-');
  beforeAll(async () => {
    writeFileSync(join(outside, 'secret.txt'), 'SECRET');
    run = basename(fixtureRun(root));
    symlinkSync(join(outside, 'secret.txt'), join(root, run, 'link.txt'));
    mkdirSync(join(root, 'not-a-run'));
    w = await startWatch({ root, port: 0 });
  });
  afterAll(async () => {
    await w.close();
  });

  it('binds 127.0.0.1 by default', () => {
    const a = w.server.address();
    expect(typeof a === 'object' && a?.address).toBe('127.0.0.1');
    expect(w.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('serves a file of a run', async () => {
    const r = await raw(w.url, `/runs/${run}/config.json`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).task).toBe('go');
  });

  const traversals = [
    '/runs/../secret.txt',
    '/runs/RUN/../../secret.txt',
    '/runs/%2e%2e/secret.txt',
    '/runs/%2E%2E%2Fsecret.txt',
    '/runs/RUN/..%2f..%2fsecret.txt',
    '/runs/%252e%252e/%252e%252e/secret.txt',
    '/runs/%2Fetc%2Fpasswd',
    '/runs/RUN/%5c..%5c..%5csecret.txt',
    '/runs/RUN/config.json%00.txt',
    '/runs/RUN/link.txt',
    '/api/runs/..%2f/charts',
    '/api/runs/%2e%2e/charts',
  ];
  for (const t of traversals) {
    it(`refuses ${t}`, async () => {
      const r = await raw(w.url, t.replace('RUN', run));
      expect([400, 403, 404]).toContain(r.status);
      expect(r.body).not.toContain('SECRET');
      expect(r.body).not.toMatch(/root:/);
    });
  }

  it('refuses the symlink that leads outside with 403, not by accident', async () => {
    const r = await raw(w.url, `/runs/${run}/link.txt`);
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/outside the runs folder/);
  });

  for (const m of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
    it(`answers ${m} with 405`, async () => {
      const r = await raw(w.url, '/api/runs', m);
      expect(r.status).toBe(405);
    });
  }

  it('validates run names and lists only run folders', async () => {
    expect((await raw(w.url, '/api/runs/bad%20name/charts')).status).toBe(400);
    expect((await raw(w.url, '/api/runs/not-a-run/charts')).status).toBe(404);
    const runs = JSON.parse((await raw(w.url, '/api/runs')).body);
    expect(runs.map((r: { name: string }) => r.name)).toEqual([run]);
  });

  it('skips a torn last JSONL line instead of failing', async () => {
    // the fixture run has metric lines for steps 1 and 2
    appendFileSync(join(root, run, 'metrics.jsonl'), '{"step": 3, "wall_s": 1, "ta');
    const runs = JSON.parse((await raw(w.url, '/api/runs')).body);
    expect(runs[0].step).toBe(2);
    expect((await raw(w.url, `/api/runs/${run}/charts`)).status).toBe(200);
  });

  it('decodes once and refuses every dangerous form (unit)', () => {
    for (const p of ['..', 'a/../b', '%2e%2e', '%252e%252e', '/etc/passwd', 'a\\b', 'a%00b', 'C:', '%ZZ']) {
      expect(() => safeSegments(p), p).toThrow(PathRefused);
    }
    expect(safeSegments('run-1/charts/a.svg')).toEqual(['run-1', 'charts', 'a.svg']);
  });
});
