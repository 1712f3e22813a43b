/** The dashboard lists sweeps, groups their runs by setting and draws bands from runs still training. */
import { mkdirSync, renameSync, rmSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type WatchServer, startWatch } from '../../src/watch/server.js';
import { lastLine, rawRequest, runCli, tempDir } from '../helpers.js';

describe('dashboard: sweeps', () => {
  let w: WatchServer;
  let name = '';
  const root = tempDir('infoscope-root-');
  beforeAll(async () => {
    const spec = { name: 'dash', base: { task: 'go', steps: 20, batch: 8, evalEvery: 10, checkpointEvery: 10, probeEvery: 0, rnn: { hidden: 16 } }, parameters: { 'rnn.lr': [0.001, 0.003] }, seeds: [1, 2] };
    writeFileSync(join(root, 'spec.json'), JSON.stringify(spec));
    const r = await runCli(['sweep', join(root, 'spec.json'), '--artifacts', root, '--workers', '2', '--no-report']);
    expect(r.code, r.stderr).toBe(0);
    name = lastLine(r.stdout).split('/').pop() as string;
    // make one run look as if it were still training: back in pending/, no done.json
    const id = readdirSync(join(root, name, 'runs'))[0];
    rmSync(join(root, name, 'runs', id, 'done.json'));
    mkdirSync(join(root, name, 'pending'));
    renameSync(join(root, name, 'runs', id), join(root, name, 'pending', id));
    w = await startWatch({ root, port: 0 });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('lists the sweep with its finished and training runs', async () => {
    const r = await rawRequest(w.url, '/api/sweeps');
    expect(r.status).toBe(200);
    const list = JSON.parse(r.body);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ name, settings: 2, runs: 4, finished: 3, training: 1 });
    // the sweep's runs are grouped under it, not listed as loose runs
    expect(JSON.parse((await rawRequest(w.url, '/api/runs')).body)).toEqual([]);
  });

  it('serves banded charts from every present run, the training one included', async () => {
    const r = await rawRequest(w.url, `/api/sweeps/${name}`);
    expect(r.status).toBe(200);
    const view = JSON.parse(r.body);
    expect(view.rows.map((x: { setting: string }) => x.setting).sort()).toEqual(['rnn.lr=0.001', 'rnn.lr=0.003']);
    const perf = view.charts.find((c: { name: string }) => c.name === 'perf-band');
    const values = perf.spec.data.values;
    // 4 runs in 2 settings: every evaluated step has n = 2 in both settings
    expect(values.length).toBeGreaterThan(0);
    expect(values.every((v: { n: number }) => v.n === 2)).toBe(true);
    expect(perf.spec.layer.map((l: { mark: { type: string } }) => l.mark.type)).toEqual(['area', 'line']);
  });

  it('refuses traversal and unknown sweeps', async () => {
    // refused as a name, not answered by a crash: a 500 would fail here
    expect([400, 403]).toContain((await rawRequest(w.url, '/api/sweeps/..%2F..%2Fetc')).status);
    expect((await rawRequest(w.url, '/api/sweeps/nope')).status).toBe(404);
  });
});
