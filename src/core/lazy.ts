/**
 * A package loaded on first use instead of at import: a command that never needs it (`--version`,
 * `estimate`, `train --help`) does not pay its load time (0.1-0.5 s for tfjs and ml-matrix).
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function lazyModule<T>(specifier: string): () => T {
  let cached: T | null = null;
  return () => (cached ??= require(specifier) as T);
}
