/** Cluster identities across checkpoints (the clusters hook's labels; docs/clusters.md). */

/**
 * Cluster identities carried from one checkpoint to the next: each cluster of `next` takes the id of
 * the earlier cluster it shares the most units with (Jaccard), greedily by overlap, each earlier id
 * used once; a cluster that overlaps none (or whose match is taken) gets a new id. Labels per unit,
 * -1 for inactive units; `prevIds` maps the earlier labels to their ids.
 */
export function trackClusters(prev: Int32Array, prevIds: Int32Array, next: Int32Array, nextK: number, firstFreeId: number): { ids: Int32Array; nextFree: number } {
  const prevK = prevIds.length;
  const inter = new Float64Array(prevK * nextK);
  const sizeP = new Float64Array(prevK);
  const sizeN = new Float64Array(nextK);
  for (let i = 0; i < next.length; i++) {
    if (prev[i] >= 0) sizeP[prev[i]]++;
    if (next[i] >= 0) sizeN[next[i]]++;
    if (prev[i] >= 0 && next[i] >= 0) inter[prev[i] * nextK + next[i]]++;
  }
  const pairs: Array<{ p: number; n: number; j: number }> = [];
  for (let p = 0; p < prevK; p++) for (let n = 0; n < nextK; n++) if (inter[p * nextK + n] > 0) pairs.push({ p, n, j: inter[p * nextK + n] / (sizeP[p] + sizeN[n] - inter[p * nextK + n]) });
  pairs.sort((a, b) => b.j - a.j || a.p - b.p || a.n - b.n);
  const ids = new Int32Array(nextK).fill(-1);
  const used = new Set<number>();
  for (const { p, n } of pairs) {
    if (ids[n] >= 0 || used.has(p)) continue;
    ids[n] = prevIds[p];
    used.add(p);
  }
  let free = firstFreeId;
  for (let n = 0; n < nextK; n++) if (ids[n] < 0) ids[n] = free++;
  return { ids, nextFree: free };
}
