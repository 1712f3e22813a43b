/**
 * Puts neighbour j at distance d into the k best so far (dist ascending, with their indices in idx;
 * k = dist.length), dropping the farthest. The caller has checked that d beats the k-th distance.
 * Returns the new k-th distance.
 */
export function insertNeighbour(dist: Float64Array, idx: Int32Array, d: number, j: number): number {
  let q = dist.length - 1;
  while (q > 0 && dist[q - 1] > d) {
    dist[q] = dist[q - 1];
    idx[q] = idx[q - 1];
    q--;
  }
  dist[q] = d;
  idx[q] = j;
  return dist[dist.length - 1];
}
