/** The one sentence normalizeConfig refuses an input with (a UserError); the test fails if it accepts it. */
import { expect } from 'vitest';
import { normalizeConfig } from '../../src/config/normalize.js';
import { UserError } from '../../src/core/errors.js';

export function problem(input: unknown): string {
  try {
    normalizeConfig(input);
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as Error).message;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}
