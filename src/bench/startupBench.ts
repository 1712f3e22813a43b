/**
 * `infoscope bench startup`: whole-process wall time of commands that should start at once
 * (`--version`, `estimate` on a small CSV, `doctor`, `train --help`), beside Node's own start
 * (`node -e 0`), in alternating rounds so that both see the same stretch of the machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stream } from '../core/rng.js';
import { median } from '../../probes/estimators/special.js';

interface StartupLine {
  command: string;
  ms: number;
  ms_min: number;
  /** The command's median minus Node's own start in the same rounds. */
  ms_over_node: number;
  rounds: number;
}

export function benchStartup(rounds: number, emit: (l: StartupLine) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'infoscope-startup-'));
  try {
    // 200 rows of two correlated columns: what a user's first `estimate` looks like
    const r = stream(0, 'probes');
    const rows = Array.from({ length: 200 }, () => {
      const a = r.normal();
      return [a, 0.8 * a + 0.6 * r.normal()];
    });
    writeFileSync(join(dir, 'x.csv'), rows.map((v) => v[0]).join('\n'));
    writeFileSync(join(dir, 'y.csv'), rows.map((v) => v[1]).join('\n'));
    const cli = fileURLToPath(new URL('../cli/main.js', import.meta.url));
    const cases: Array<[string, string[]]> = [
      ['node -e 0', ['-e', '0']],
      ['infoscope --version', [cli, '--version']],
      ['infoscope estimate (200 rows)', [cli, 'estimate', '--x', join(dir, 'x.csv'), '--y', join(dir, 'y.csv')]],
      ['infoscope doctor', [cli, 'doctor']],
      ['infoscope train --help', [cli, 'train', '--help']],
    ];
    const times = cases.map(() => [] as number[]);
    for (let k = 0; k < rounds; k++) {
      cases.forEach(([name, args], i) => {
        const t0 = performance.now();
        const p = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
        if (p.status !== 0) throw new Error(`bench startup: ${name} exited with ${p.status}: ${p.stderr?.toString().trim().split('\n')[0]}`);
        times[i].push(performance.now() - t0);
      });
    }
    const node = median(times[0]);
    cases.forEach(([name], i) => {
      const m = median(times[i]);
      emit({ command: name, ms: +m.toFixed(1), ms_min: +Math.min(...times[i]).toFixed(1), ms_over_node: +(m - node).toFixed(1), rounds });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
