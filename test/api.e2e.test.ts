/** A user's own script imports infoscope by its package name (through package.json "exports"). */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { root, run, tempDir } from './helpers.js';

describe('library API', () => {
  it('works from a user file: register a task, train briefly, read the result', async () => {
    const dir = tempDir('infoscope-user-');
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(root, join(dir, 'node_modules', 'infoscope'), 'dir');
    const script = `
      import { train, resume, getTask, LeakyRnn, registerTask, registerProbe, estimate, version, taskNames } from 'infoscope';
      import fs from 'node:fs';
      // a custom task: Go with the response held at the stimulus, registered without forking
      const base = getTask('go');
      registerTask({ name: 'mygo', displayName: 'My Go', sizes: (l) => base.sizes(l), perf: (out, b) => base.perf(out, b), sample: (n, rng, mode, layout, o) => ({ ...base.sample(n, rng, mode, layout, o), task: 'mygo' }) });
      const r = await train({ task: 'mygo', steps: 4, batch: 8, evalEvery: 2, out: ${JSON.stringify(dir)}, backend: 'wasm', rnn: { hidden: 16 } });
      const more = await resume(r.dir, { steps: 6 });
      // the README's custom probe hook, registered and used by name
      registerProbe({
        name: 'meanrate', description: 'mean hidden rate at every time step', estimators: ['mean'], defaultEstimators: ['mean'],
        run(ctx) {
          const { T, B, N, hidden } = ctx.activity;
          const records = [];
          for (let t = 0; t < T; t++) {
            let s = 0;
            for (let i = t * B * N; i < (t + 1) * B * N; i++) s += hidden[i];
            records.push({ step: ctx.step, hook: 'meanrate', estimator: 'mean', quantity: 'rate', t, value: s / (B * N), params: {} });
          }
          return { records, arrays: [] };
        },
      });
      const p = await train({ task: 'go', steps: 2, batch: 8, probeEvery: 1, probes: [{ hook: 'meanrate' }], out: ${JSON.stringify(dir)}, backend: 'wasm', rnn: { hidden: 16 } }, { report: false });
      const lines = fs.readFileSync(p.dir + '/probes.jsonl', 'utf8').trim().split(String.fromCharCode(10)).map((l) => JSON.parse(l));
      const e = estimate([[1], [2], [3], [4], [5], [6]], [1, 2, 3, 4, 6, 5]);
      console.log(JSON.stringify({ version, status: more.status, step: more.step, hasRnn: typeof LeakyRnn === 'function', registered: taskNames().includes('mygo'), meanrate: lines.length, steps: [...new Set(lines.map((l) => l.step))], est: e.estimator }));
    `;
    writeFileSync(join(dir, 'user.mjs'), script);
    const { stdout } = await run(process.execPath, [join(dir, 'user.mjs')], { cwd: dir });
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(out).toEqual({ version: expect.any(String), status: 'completed', step: 6, hasRnn: true, registered: true, meanrate: 300, steps: [0, 1, 2], est: 'ksg' });
  });
});
