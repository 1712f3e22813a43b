/**
 * The native kernels (native/*.cc, built by node-gyp at install): the leaky RNN's whole training
 * step in one call, and its forward pass. Loaded once; when the build is missing or does not load,
 * `loadNativeKernels` says why and the wasm path runs instead (src/engine/backend.ts decides).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from '../src/core/packageRoot.js';
import { setBulkNormals, zigguratTables } from '../src/core/rng.js';

interface NativeStepResult {
  loss: number;
  gradNorm: number;
  adamStep: number;
}

export interface NativeKernels {
  forward(args: Record<string, unknown>): void;
  step(args: Record<string, unknown>): NativeStepResult;
  gemm(a: Float32Array, m: number, k: number, b: Float32Array, n: number, out?: Float32Array): Float32Array;
  esnStates(args: Record<string, unknown>): void;
  esnAccumulate(args: { N: number; nOut: number; rows: number; x: Float32Array; y: Float32Array; w: Float32Array; xtx: Float64Array; xty: Float64Array; threads: number }): void;
  /** False when X^T C X + ridge is not positive definite. */
  ridgeSolve(args: { n1: number; nOut: number; xtx: Float64Array; xty: Float64Array; ridge: number; out: Float32Array }): boolean;
  addNormals(args: { state: Int32Array; x: Float32Array; sd: number; kn: Float64Array; wn: Float64Array; fn: Float64Array }): void;
  recurrentNoise(args: { T: number; B: number; N: number; sd: number; seeds: Int32Array; kn: Float64Array; wn: Float64Array; fn: Float64Array; out: Float32Array }): void;
  buildFlags?: string;
}

interface NativeLoad {
  kernels: NativeKernels | null;
  /** Where the addon is (or was looked for). */
  path: string;
  /** Why it is not available; null when it loaded. */
  reason: string | null;
}

let cached: NativeLoad | null = null;

export function loadNativeKernels(): NativeLoad {
  if (cached) return cached;
  const path = join(packageRoot(), 'build', 'Release', 'infoscope_native.node');
  if (!existsSync(path)) {
    cached = { kernels: null, path, reason: `not built (no ${path}): the install could not run node-gyp, or it failed; run \`npm rebuild infoscope\` or \`node scripts/build-native.mjs\` where a C++ toolchain exists` };
    return cached;
  }
  try {
    const kernels = createRequire(import.meta.url)(path) as NativeKernels;
    cached = { kernels, path, reason: null };
  } catch (e) {
    cached = { kernels: null, path, reason: `built but does not load (${(e as Error).message.split('\n')[0]})` };
  }
  return cached;
}

/** Which path the leaky RNN's step takes in this process (set by initBackend). */
let active: NativeKernels | null = null;

export function useNativeKernels(k: NativeKernels | null): void {
  active = k;
  // the trials' input noise too: the same draws, from C++
  setBulkNormals(k ? (state, x, sd) => k.addNormals({ state, x, sd, ...zigguratTables }) : null);
}

export function activeNativeKernels(): NativeKernels | null {
  return active;
}
