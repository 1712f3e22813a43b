export * from './types.js';
export * from './layout.js';
export * from './ring.js';
export * from './goFamily.js';
export * from './perf.js';
export * from './registry.js';
export * from '../src/core/rng.js';
