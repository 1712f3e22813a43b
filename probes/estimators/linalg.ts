/**
 * Small dense linear algebra on row-major Float64Arrays, for the estimators' few-dimensional fits
 * (a decoder in 16-32 principal components, a covariance of a few columns): Gram-Schmidt, the
 * Jacobi eigen-decomposition of a symmetric matrix, Cholesky factor and solve.
 */

/**
 * Orthonormalise k vectors of length `rows` in place (modified Gram-Schmidt). Element r of vector c
 * sits at a[r * rowStride + c * vecStride]: (k, 1) for a row-major [rows, k] matrix, (1, rows) for
 * vectors stored one after the other.
 */
export function orthonormalise(a: Float64Array, rows: number, k: number, rowStride = k, vecStride = 1): void {
  for (let c = 0; c < k; c++) {
    const vc = c * vecStride;
    for (let p = 0; p < c; p++) {
      const vp = p * vecStride;
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += a[vc + r * rowStride] * a[vp + r * rowStride];
      for (let r = 0; r < rows; r++) a[vc + r * rowStride] -= dot * a[vp + r * rowStride];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += a[vc + r * rowStride] * a[vc + r * rowStride];
    norm = Math.sqrt(norm) || 1;
    for (let r = 0; r < rows; r++) a[vc + r * rowStride] /= norm;
  }
}

/** Jacobi eigen-decomposition of a small symmetric matrix: eigenvalues (descending) and vectors as columns. */
export function symmetricEigen(m: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(m);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  let scale = 0;
  for (let i = 0; i < k * k; i++) scale += a[i] * a[i];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += a[p * k + q] ** 2;
    // converged relative to the matrix's size (an absolute threshold never triggers on large variances)
    if (off <= 1e-26 * scale) break;
    for (let p = 0; p < k; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = a[p * k + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * k + q] - a[p * k + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let r = 0; r < k; r++) {
          const arp = a[r * k + p];
          const arq = a[r * k + q];
          a[r * k + p] = c * arp - s * arq;
          a[r * k + q] = s * arp + c * arq;
        }
        for (let r = 0; r < k; r++) {
          const apr = a[p * k + r];
          const aqr = a[q * k + r];
          a[p * k + r] = c * apr - s * aqr;
          a[q * k + r] = s * apr + c * aqr;
        }
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const order = Array.from({ length: k }, (_, i) => i).sort((i, j) => a[j * k + j] - a[i * k + i]);
  const values = Float64Array.from(order, (i) => a[i * k + i]);
  const vectors = new Float64Array(k * k);
  order.forEach((src, dst) => {
    for (let r = 0; r < k; r++) vectors[r * k + dst] = v[r * k + src];
  });
  return { values, vectors };
}

/** Cholesky factor (lower, in place) of a small SPD matrix; false if it is not positive definite. */
export function cholesky(a: Float64Array, q: number): boolean {
  for (let j = 0; j < q; j++) {
    let s = a[j * q + j];
    for (let k = 0; k < j; k++) s -= a[j * q + k] ** 2;
    if (!(s > 0)) return false;
    const piv = Math.sqrt(s);
    a[j * q + j] = piv;
    for (let i = j + 1; i < q; i++) {
      let t = a[i * q + j];
      for (let k = 0; k < j; k++) t -= a[i * q + k] * a[j * q + k];
      a[i * q + j] = t / piv;
    }
  }
  return true;
}

/** Solves L L^T w = b for w, given the Cholesky factor L (lower, as cholesky() leaves it). */
export function choleskySolve(l: Float64Array, q: number, b: ArrayLike<number>, out: Float64Array, tmp = new Float64Array(q)): void {
  for (let a = 0; a < q; a++) {
    let t = b[a];
    for (let c = 0; c < a; c++) t -= l[a * q + c] * tmp[c];
    tmp[a] = t / l[a * q + a];
  }
  for (let a = q - 1; a >= 0; a--) {
    let t = tmp[a];
    for (let c = a + 1; c < q; c++) t -= l[c * q + a] * out[c];
    out[a] = t / l[a * q + a];
  }
}
