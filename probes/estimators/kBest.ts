/**
 * Puts neighbour j at distance d into the k best so far (dist[0..k) ascending, their indices in
 * idx), dropping the farthest. The caller has checked that d beats the k-th distance. Returns the
 * new k-th distance.
 */
export function insertNeighbour(dist: Float64Array, idx: Int32Array, k: number, d: number, j: number): number {
  let q = k - 1;
  while (q > 0 && dist[q - 1] > d) {
    dist[q] = dist[q - 1];
    idx[q] = idx[q - 1];
    q--;
  }
  dist[q] = d;
  idx[q] = j;
  return dist[k - 1];
}
