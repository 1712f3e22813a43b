/** The command line as a user meets it: --help shows every flag's default, bad flags and configs exit 2 with a sentence. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainFlags } from '../../src/config/flags.js';
import { runCli, tempDir } from '../helpers.js';

describe('command-line flags come from one table', () => {
  it('every flag of that table shows its default in --help', async () => {
    const r = await runCli(['train', '--help']);
    expect(r.code).toBe(0);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const spec of trainFlags) {
      if (!spec.path || spec.path === 'name') continue;
      expect(help, spec.flags).toContain(spec.flags.split(' ')[0]);
    }
    expect(help).toMatch(/--steps <n> training steps \(default: 2000; reservoir: 25\)/);
    expect(help).toMatch(/--hidden <n> .*\(default: rnn 256, reservoir 256\)/);
    expect(help).toMatch(/--lr <x> Adam learning rate \[rnn\] \(default: 0\.001\)/);
  });

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
