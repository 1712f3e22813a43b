/**
 * tfjs, loaded on first use. Loading it takes about half a second, which a command that never
 * trains or runs a neural estimator (`--version`, `estimate` with KSG, `report`) should not pay.
 * `require` returns the very module instance an `import` of '@tensorflow/tfjs' gives (its main
 * is CommonJS), so backends registered through either are the same.
 */
import type * as TF from '@tensorflow/tfjs';
import { lazyModule } from './lazy.js';

const tfjs = lazyModule<typeof TF>('@tensorflow/tfjs');

/** tfjs as a module object that loads on its first property access: `tf.matMul(...)` as usual. */
export const tf: typeof TF = new Proxy({} as typeof TF, { get: (_target, key) => (tfjs() as unknown as Record<PropertyKey, unknown>)[key] });
