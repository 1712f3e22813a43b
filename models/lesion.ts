/** Lesions for analyses: rows of weight matrices (a unit's outgoing weights) zeroed, and restored exactly. */

/**
 * Zero rows `units` of each row-major matrix (`cols` columns; row i holds unit i's outgoing weights)
 * and return the function that puts the saved values back.
 */
export function zeroRows(mats: ReadonlyArray<{ a: Float32Array; cols: number }>, units: Int32Array): () => void {
  const saved = mats.map(({ a, cols }) => Array.from(units, (u) => a.slice(u * cols, (u + 1) * cols)));
  mats.forEach(({ a, cols }) => units.forEach((u) => a.fill(0, u * cols, (u + 1) * cols)));
  return () => mats.forEach(({ a, cols }, m) => units.forEach((u, i) => a.set(saved[m][i], u * cols)));
}
