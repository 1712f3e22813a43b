/**
 * The unit level's promise, enforced: no child process and no worker thread. A unit test that
 * reaches for one fails with this sentence; the test belongs in a *.e2e.test.ts file.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import workerThreads from 'node:worker_threads';

const refuse = (what: string) => () => {
  throw new Error(`unit tests start no ${what}: move this test to a *.e2e.test.ts file`);
};
const cp = childProcess as unknown as Record<string, unknown>;
for (const f of ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync']) cp[f] = refuse('child process');
(workerThreads as unknown as Record<string, unknown>).Worker = class {
  constructor() {
    refuse('worker thread')();
  }
};
syncBuiltinESMExports();
