/**
 * After every test, one turn of the worker's event loop, so it reads the runner's replies. vitest's
 * worker gives up on a reply after 60 s (a fixed RPC timeout); a file of long synchronous tests on a
 * busy two-core machine once blocked its loop longer than that, and the run failed with "Timeout
 * calling onTaskUpdate" though every test passed.
 */
import { afterEach } from 'vitest';

afterEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
