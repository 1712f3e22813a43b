export * from './types.js';
export * from './registry.js';
export * from './activity.js';
export { layerHook, layerDefaults } from './layer.js';
export { neuronHook, neuronDefaults, peaks } from './neuron.js';
export { infoplaneHook } from './infoplane.js';
