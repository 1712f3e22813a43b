/** Every case of the bad-input table (badInputs.ts) ends clear: one sentence and exit 2, or the right answer. */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers.js';
import { badInputs, trainedRun, tryBadInput } from './badInputs.js';

describe.concurrent('the bad-input table', () => {
  let run = '';
  beforeAll(async () => {
    run = await trainedRun(cli);
  }, 120_000);

  for (const c of badInputs) {
    it(c.name, async () => {
      const { verdict, outcome } = await tryBadInput(cli, c, run);
      expect(verdict, `exit ${outcome.code}\n${outcome.stderr}`).toBe('clear');
    });
  }
});
