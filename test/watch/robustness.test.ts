/**
 * The dashboard server under abuse: aborted downloads free their descriptors, files that vanish or
 * runs that are damaged get an answer (never a crash, never an absolute path), live clients share
 * one watcher and are capped, and a request with a foreign Host header (DNS rebinding) is refused.
 */
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WatchServer, startWatch } from '../../src/watch/server.js';
import { fixtureRun, rawRequest, tempDir } from '../helpers.js';

const get = (url: string, path: string, headers: Record<string, string> = {}) => rawRequest(url, path, { headers });

/** Start a download and abort it as soon as the first bytes arrive. */
function abortedDownload(url: string, path: string): Promise<void> {
  const u = new URL(url);
  return new Promise((res) => {
    const req = request({ host: u.hostname, port: u.port, path }, (r) => {
      r.once('data', () => {
        req.destroy();
        res();
      });
      r.once('end', res);
    });
    req.on('error', () => res());
    req.end();
  });
}

const openDescriptors = () => readdirSync('/proc/self/fd').length;

describe('watch server robustness', () => {
  let w: WatchServer;
  let run = '';
  const root = tempDir('infoscope-robust-');
  beforeAll(async () => {
    run = basename(fixtureRun(root));
    // a damaged copy: meta.json cut in the middle
    cpSync(join(root, run), join(root, 'damaged-run'), { recursive: true });
    writeFileSync(join(root, 'damaged-run', 'meta.json'), '{"infoscope": "0.1');
    w = await startWatch({ root, port: 0, maxClients: 3, pollMs: 50 });
  }, 120_000);
  afterAll(async () => {
    await w.close();
  });

  it('frees the descriptor of every aborted download (300 of them)', async () => {
    const before = openDescriptors();
    for (let i = 0; i < 300; i += 20) await Promise.all(Array.from({ length: 20 }, () => abortedDownload(w.url, '/vendor/vega.min.js')));
    await new Promise((r) => setTimeout(r, 300));
    expect(openDescriptors() - before).toBeLessThan(15);
    expect((await get(w.url, '/api/runs')).status).toBe(200);
  });

  it('answers 404 for a file that vanished, and keeps serving', async () => {
    const f = join(root, run, 'gone.json');
    writeFileSync(f, '{}');
    expect((await get(w.url, `/runs/${run}/gone.json`)).status).toBe(200);
    rmSync(f);
    expect((await get(w.url, `/runs/${run}/gone.json`)).status).toBe(404);
    expect((await get(w.url, `/runs/${run}/config.json`)).status).toBe(200);
  });

  it('lists a damaged run with its error instead of hiding it, and no response holds an absolute path', async () => {
    const runs = JSON.parse((await get(w.url, '/api/runs')).body) as Array<{ name: string; status: string; error?: string }>;
    const bad = runs.find((r) => r.name === 'damaged-run');
    expect(bad?.status).toBe('damaged');
    expect(bad?.error).toMatch(/meta\.json is not valid JSON/);
    const charts = await get(w.url, '/api/runs/damaged-run/charts');
    expect(charts.status).toBe(422);
    for (const body of [JSON.stringify(runs), charts.body]) {
      expect(body).not.toContain(root);
      expect(body).not.toMatch(/\/tmp\//);
    }
  });

  it('refuses a Host header that is not the bound address (DNS rebinding) and accepts localhost', async () => {
    const port = new URL(w.url).port;
    expect((await get(w.url, '/api/runs', { host: `attacker.example:${port}` })).status).toBe(403);
    expect((await get(w.url, '/api/runs', { host: `127.0.0.1:${Number(port) + 1}` })).status).toBe(403);
    expect((await get(w.url, '/api/runs', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('caps live clients with a clear 503, and a freed slot can be taken again', async () => {
    const u = new URL(w.url);
    const open: Array<ReturnType<typeof request>> = [];
    const statuses = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        new Promise<number>((res) => {
          setTimeout(() => {
            const req = request({ host: u.hostname, port: u.port, path: '/api/events' }, (r) => {
              res(r.statusCode ?? 0);
              if (r.statusCode !== 200) r.resume();
            });
            req.on('error', () => res(0));
            req.end();
            open.push(req);
          }, i * 100);
        }),
      ),
    );
    expect(statuses.sort()).toEqual([200, 200, 200, 503]);
    for (const r of open) r.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const again = await new Promise<number>((res) => {
      const req = request({ host: u.hostname, port: u.port, path: '/api/events' }, (r) => {
        res(r.statusCode ?? 0);
        req.destroy();
      });
      req.end();
    });
    expect(again).toBe(200);
  });
});
