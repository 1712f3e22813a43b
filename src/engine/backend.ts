/**
 * Picks the tfjs backend: tfjs-node-gpu -> tfjs-node -> wasm -> cpu under 'auto', or the one asked
 * for. The native packages are optional dependencies (their install downloads libtensorflow and
 * fails offline), so each is tried with a dynamic import and the reason it did not load is kept
 * for `infoscope doctor`.
 */
import { tf } from '../core/tfjs.js';

import type { BackendChoice } from '../config/backends.js';
import { createRequire } from 'node:module';
import { loadNativeKernels, useNativeKernels } from '../../models/native.js';
import { UserError } from '../core/errors.js';

export type { BackendChoice };

interface BackendAttempt {
  name: string;
  ok: boolean;
  reason?: string;
}

export interface BackendReport {
  /**
   * What runs the training step: 'native' (the infoscope kernels built at install; tfjs, named in
   * `package`, runs the rest), or the tfjs backend 'tensorflow', 'wasm' or 'cpu'.
   */
  backend: string;
  /** Package that provides it. */
  package: string;
  attempts: BackendAttempt[];
  tfjsVersion: string;
  wasm?: { simd: boolean; threads: boolean };
}

let current: BackendReport | null = null;

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

async function tryNative(pkg: string, attempts: BackendAttempt[]): Promise<boolean> {
  try {
    await import(pkg);
    const ok = await tf.setBackend('tensorflow');
    attempts.push(ok ? { name: pkg, ok } : { name: pkg, ok, reason: 'package loaded but the tensorflow backend did not initialise' });
    return ok;
  } catch (e) {
    const code = (e as { code?: string }).code;
    attempts.push({ name: pkg, ok: false, reason: code === 'ERR_MODULE_NOT_FOUND' ? 'not installed (optional dependency; its install needs to download libtensorflow)' : firstLine(e) });
    return false;
  }
}

async function tryWasm(attempts: BackendAttempt[]): Promise<BackendReport['wasm'] | null> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const ok = await tf.setBackend('wasm');
    if (!ok) {
      attempts.push({ name: '@tensorflow/tfjs-backend-wasm', ok: false, reason: 'the wasm backend did not initialise' });
      return null;
    }
    attempts.push({ name: '@tensorflow/tfjs-backend-wasm', ok: true });
    void wasm;
    const env = tf.env();
    return { simd: Boolean(await env.getAsync('WASM_HAS_SIMD_SUPPORT')), threads: Boolean(await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) };
  } catch (e) {
    attempts.push({ name: '@tensorflow/tfjs-backend-wasm', ok: false, reason: firstLine(e) });
    return null;
  }
}

/** Initialise once per process; later calls with the same choice return the same report. */
export async function initBackend(choice: BackendChoice = 'auto'): Promise<BackendReport> {
  if (current) {
    if (choice === 'auto' || current.backend === choice) return current;
    if (choice === 'wasm' && current.backend === 'native' && current.package.includes('tfjs wasm')) {
      // the same tfjs backend underneath; only the step changes path
      useNativeKernels(null);
      current = { ...current, backend: 'wasm', package: '@tensorflow/tfjs-backend-wasm' };
      return current;
    }
    throw new Error(`backend ${current.backend} is already running in this process; cannot switch to ${choice}`);
  }
  const attempts: BackendAttempt[] = [];
  let native = false;
  if (choice === 'auto' || choice === 'native') {
    const n = loadNativeKernels();
    attempts.push(n.kernels ? { name: 'infoscope native kernels', ok: true } : { name: 'infoscope native kernels', ok: false, reason: n.reason ?? 'unknown' });
    if (!n.kernels && choice === 'native') throw new UserError(`the native backend is not available: ${n.reason}`);
    native = n.kernels !== null;
    useNativeKernels(n.kernels);
  } else useNativeKernels(null);
  const done = (backend: string, pkg: string, wasm?: BackendReport['wasm']): BackendReport => {
    const nativeFlags = native ? loadNativeKernels().kernels?.buildFlags ?? '' : '';
    current = native
      ? { backend: 'native', package: `infoscope native kernels (${nativeFlags}); tfjs ${backend} (${pkg}) for the rest`, attempts, tfjsVersion: tf.version.tfjs, ...(wasm ? { wasm } : {}) }
      : { backend, package: pkg, attempts, tfjsVersion: tf.version.tfjs, ...(wasm ? { wasm } : {}) };
    return current;
  };
  if (choice === 'native') choice = 'auto';
  if (choice === 'auto' || choice === 'tensorflow') {
    for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      if (await tryNative(pkg, attempts)) return done('tensorflow', pkg);
    }
    if (choice === 'tensorflow') throw new Error('the tensorflow backend is not available: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node loads on this machine (see `infoscope doctor`)');
  }
  if (choice === 'auto' || choice === 'wasm') {
    const w = await tryWasm(attempts);
    if (w) return done('wasm', '@tensorflow/tfjs-backend-wasm', w);
    if (choice === 'wasm') throw new Error(`the wasm backend did not load: ${attempts[attempts.length - 1]?.reason ?? 'unknown reason'}`);
  }
  await tf.setBackend('cpu');
  attempts.push({ name: '@tensorflow/tfjs-backend-cpu', ok: true });
  return done('cpu', '@tensorflow/tfjs-backend-cpu');
}


/** A wasm module that uses one SIMD instruction: it validates exactly where WebAssembly SIMD exists. */
const SIMD_PROBE = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]);

/**
 * What `initBackend('auto')` would choose, found without loading tfjs (which takes ~0.5 s): the
 * native kernels are loaded for real; a tfjs package is only looked up, and the wasm backend's SIMD
 * support is read from the engine. `infoscope doctor --init` runs initBackend itself.
 */
export function predictBackend(): BackendReport {
  const attempts: BackendAttempt[] = [];
  const n = loadNativeKernels();
  attempts.push(n.kernels ? { name: 'infoscope native kernels', ok: true } : { name: 'infoscope native kernels', ok: false, reason: n.reason ?? 'unknown' });
  const req = createRequire(import.meta.url);
  const installed = (pkg: string) => {
    try {
      req.resolve(pkg);
      return true;
    } catch {
      return false;
    }
  };
  let tfPackage: string | null = null;
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    const ok = installed(pkg);
    attempts.push(ok ? { name: pkg, ok: true, reason: 'installed (not loaded: `doctor --init` loads it)' } : { name: pkg, ok: false, reason: 'not installed (optional dependency; its install needs to download libtensorflow)' });
    if (ok && !tfPackage) tfPackage = pkg;
  }
  const wasmOk = installed('@tensorflow/tfjs-backend-wasm');
  attempts.push(wasmOk ? { name: '@tensorflow/tfjs-backend-wasm', ok: true } : { name: '@tensorflow/tfjs-backend-wasm', ok: false, reason: 'not installed' });
  const rest = tfPackage ? { backend: 'tensorflow', pkg: tfPackage } : wasmOk ? { backend: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm' } : { backend: 'cpu', pkg: '@tensorflow/tfjs-backend-cpu' };
  const tfjsVersion = (req('@tensorflow/tfjs/package.json') as { version: string }).version;
  const wasm = wasmOk ? { simd: WebAssembly.validate(SIMD_PROBE), threads: false } : undefined;
  return n.kernels
    ? { backend: 'native', package: `infoscope native kernels (${n.kernels.buildFlags ?? ''}); tfjs ${rest.backend} (${rest.pkg}) for the rest`, attempts, tfjsVersion, ...(wasm ? { wasm } : {}) }
    : { backend: rest.backend, package: rest.pkg, attempts, tfjsVersion, ...(wasm ? { wasm } : {}) };
}
