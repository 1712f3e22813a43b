/** Cross-validation folds and label codes shared by the decoders. */
import type { Xoshiro128 } from '../../src/core/rng.js';
import type { Labels } from './types.js';

/** Stratified fold of every sample: each class spread evenly over the folds, in a seeded order. */
export function stratifiedFolds(labels: Int32Array, m: number, folds: number, rng: Xoshiro128): Int32Array {
  const fold = new Int32Array(labels.length);
  for (let s = 0; s < m; s++) {
    const idx: number[] = [];
    labels.forEach((l, i) => l === s && idx.push(i));
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    idx.forEach((i, r) => (fold[i] = r % folds));
  }
  return fold;
}

/** Dense codes 0..m-1 for arbitrary integer labels. */
export function denseLabels(labels: Labels): { codes: Int32Array; m: number; counts: number[] } {
  const map = new Map<number, number>();
  const codes = new Int32Array(labels.length);
  labels.forEach((l, i) => {
    if (!map.has(l)) map.set(l, map.size);
    codes[i] = map.get(l) as number;
  });
  const counts = new Array<number>(map.size).fill(0);
  for (const c of codes) counts[c]++;
  return { codes, m: map.size, counts };
}
