/** Model registry: the built-in leaky RNN plus anything a user registers. */
import { createRnn } from './rnn/leakyRnn.js';
import { createReservoir } from './reservoir/esn.js';
import type { ModelFactory } from './types.js';

const registry = new Map<string, ModelFactory>([
  ['rnn', { kind: 'rnn', create: createRnn }],
  ['reservoir', { kind: 'reservoir', create: createReservoir }],
]);

export function registerModel(factory: ModelFactory): void {
  if (!/^[a-z][a-z0-9_-]*$/i.test(factory.kind)) throw new Error(`model kind "${factory.kind}" must be letters, digits, - or _`);
  registry.set(factory.kind, factory);
}

export function getModel(kind: string): ModelFactory {
  const f = registry.get(kind);
  if (!f) throw new Error(`unknown model "${kind}"; known models: ${[...registry.keys()].join(', ')}`);
  return f;
}

export function modelKinds(): string[] {
  return [...registry.keys()];
}
