import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/engine/config.js';
import { UserError } from '../../src/engine/errors.js';
import { runCli, tempDir } from '../helpers.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('config validation', () => {
  it('fills defaults (the paper main network: softplus, 0.5 I, 256 units, Adam 1e-3, batch 64)', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ task: 'go', model: 'rnn', batch: 64, lr: 0.001, rnn: { hidden: 256, activation: 'softplus', recInit: 'diag', dt: 20, tau: 100, sigmaRec: 0.05, sigmaX: 0.01, gradClip: 1 } });
  });

  const bad: Array<[unknown, RegExp]> = [
    [{ stepz: 3 }, /unknown key "stepz"/],
    [{ rnn: { hiddn: 3 } }, /unknown key "hiddn" in "rnn"/],
    [{ steps: 'ten' }, /"steps" expected number, received string \(got "ten"\)/],
    [{ steps: 0 }, /"steps" too small.*\(got 0\)/],
    [{ batch: 2.5 }, /"batch" expected int/],
    [{ lr: -1 }, /"lr" too small/],
    [{ targetPerf: 1.5 }, /"targetPerf" too big/],
    [{ rnn: { activation: 'sigmoid' } }, /"rnn.activation"/],
    [{ task: 'nogo' }, /unknown task "nogo"/],
    [{ task: ['go', 'nogo'] }, /unknown task "nogo"/],
    [{ model: 'lstm' }, /unknown model "lstm"/],
    [{ rnn: { dt: 200, tau: 100 } }, /dt must be smaller than tau/],
  ];
  for (const [input, re] of bad) {
    it(`rejects ${JSON.stringify(input)} with one sentence`, () => {
      let err: unknown;
      try {
        parseConfig(input);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(UserError);
      const msg = (err as Error).message;
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    });
  }

  it('the CLI exits with code 2 on a bad flag or command, 0 on --help', async () => {
    for (const args of [['train', '--steps', 'abc'], ['train', '--bogus'], ['frobnicate'], ['train', '--activation', 'sigmoid']]) {
      const r = await runCli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/error:/);
    }
    expect((await runCli(['--help'])).code).toBe(0);
  });

  it('the CLI exits with code 2 and one line on stderr for a bad config file', async () => {
    const dir = tempDir();
    const f = join(dir, 'c.json');
    writeFileSync(f, JSON.stringify({ steps: 10, frobnicate: true }));
    const r = await runCli(['train', '--config', f, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/unknown key "frobnicate"/);
    const r2 = await runCli(['train', '--config', join(dir, 'missing.json')]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/cannot read config file/);
  });
});
