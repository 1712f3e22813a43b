export * from './types.js';
export * from './registry.js';
export * from './records.js';
export * from './options.js';
export * from './activity.js';
export { layerHook, layerOptionsSchema, type LayerOptions } from './layer.js';
export { neuronHook, neuronOptionsSchema, type NeuronOptions, peaks } from './neuron.js';
export { infoplaneHook, infoplaneOptionsSchema, type InfoplaneOptions } from './infoplane.js';
