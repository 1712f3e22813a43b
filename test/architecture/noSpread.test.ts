/**
 * Readers of run folders handle runs of any size: no array whose length grows with the run is spread
 * into a call (Math.max(...xs) overflows the stack past ~125,000 values; a run with probes every 100
 * steps for 20,000 steps has more records than that). The rule, as a test: in the readers' rooms, no
 * spread of a mapped or filtered array into Math.max or Math.min.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..');
const rooms = ['src/runfolder', 'src/stats', 'src/charts', 'src/watch', 'src/sweep', 'src/engine', 'src/import'];
const SPREAD = /Math\.(max|min)\([^;]*\.\.\.[^;]*\.(map|filter|flatMap)\(/;

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('no run-sized spread', () => {
  it('readers never spread a mapped or filtered array into Math.max or Math.min', () => {
    const found: string[] = [];
    for (const room of rooms)
      for (const f of files(join(root, room)))
        readFileSync(f, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (SPREAD.test(line)) found.push(`${f.slice(root.length + 1)}:${i + 1}`);
          });
    expect(found.join('\n')).toBe('');
  });
});
