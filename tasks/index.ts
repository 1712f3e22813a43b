export * from './types.js';
export * from './ring.js';
export * from './goFamily.js';
export * from './perf.js';
export * from './registry.js';
export * from './rng.js';
