/** Probe hooks by name: the built-ins plus any a user registers. */
import { infoplaneHook } from './infoplane.js';
import { layerHook } from './layer.js';
import { neuronHook } from './neuron.js';
import type { ProbeHook } from './types.js';

const registry = new Map<string, ProbeHook>([layerHook, neuronHook, infoplaneHook].map((h) => [h.name, h]));

export function registerProbe(hook: ProbeHook): void {
  if (!/^[a-z][a-z0-9_-]*$/i.test(hook.name)) throw new Error(`probe name "${hook.name}" must be letters, digits, - or _`);
  registry.set(hook.name, hook);
}

export function getProbe(name: string): ProbeHook {
  const h = registry.get(name);
  if (!h) throw new Error(`unknown probe hook "${name}"; known hooks: ${[...registry.keys()].join(', ')}`);
  return h;
}

export function probeNames(): string[] {
  return [...registry.keys()];
}
