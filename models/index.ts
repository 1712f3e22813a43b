export * from './types.js';
export * from './linalg.js';
export * from './registry.js';
export * from './rnn/activations.js';
export * from './rnn/params.js';
export * from './rnn/adam.js';
export * from './rnn/bptt.js';
export * from './rnn/leakyRnn.js';
