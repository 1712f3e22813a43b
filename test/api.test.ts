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
      import { train, resume, tasks, models, registerTask, version } from 'infoscope';
      // a custom task: Go with the response held at the stimulus, registered without forking
      const base = tasks.getTask('go');
      registerTask({ name: 'mygo', displayName: 'My Go', ruleIndex: 0, sample: (n, rng, mode, layout, o) => ({ ...base.sample(n, rng, mode, layout, o), task: 'mygo' }) });
      const r = await train({ task: 'mygo', steps: 4, batch: 8, evalEvery: 2, out: ${JSON.stringify(dir)}, backend: 'wasm', rnn: { hidden: 16 } });
      const more = await resume(r.dir, { steps: 6 });
      console.log(JSON.stringify({ version, status: more.status, step: more.step, hasRnn: typeof models.LeakyRnn === 'function', ring: tasks.ringEncode(0, 32)[0] }));
    `;
    writeFileSync(join(dir, 'user.mjs'), script);
    const { stdout } = await run(process.execPath, [join(dir, 'user.mjs')], { cwd: dir });
    const out = JSON.parse(stdout.trim().split('\n').pop() as string);
    expect(out).toEqual({ version: expect.any(String), status: 'completed', step: 6, hasRnn: true, ring: expect.closeTo(0.8, 6) });
  });
});
