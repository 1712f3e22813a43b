/** Probe hooks by name: the built-ins plus any a user registers. */
import { Registry } from '../../src/core/registry.js';
import { infoplaneHook } from './infoplane.js';
import { layerHook } from './layer.js';
import { neuronHook } from './neuron.js';
import { ruleHook } from './rule.js';
import { clustersHook } from './clusters.js';
import type { ProbeHook } from './types.js';

export const probeRegistry = new Registry<ProbeHook>('probe hook', (h) => h.name, [layerHook, neuronHook, infoplaneHook, ruleHook, clustersHook]);

export function registerProbe(hook: ProbeHook): void {
  probeRegistry.register(hook);
}

export function getProbe(name: string): ProbeHook {
  return probeRegistry.get(name);
}

export function probeNames(): string[] {
  return probeRegistry.names();
}
