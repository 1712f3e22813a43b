/** Seeded randomness for estimators (jitter, permutations, subsamples, critic initialisation). */
import seedrandom from 'seedrandom';

export interface EstRng {
  uniform(): number;
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

export function estRng(seed: number | string): EstRng {
  const g = seedrandom(`infoscope-estimators/${seed}`);
  let spare: number | null = null;
  return {
    uniform: () => g.double(),
    int: (n) => Math.floor(g.double() * n),
    normal() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      let v = 0;
      let q = 0;
      do {
        u = 2 * g.double() - 1;
        v = 2 * g.double() - 1;
        q = u * u + v * v;
      } while (q >= 1 || q === 0);
      const f = Math.sqrt((-2 * Math.log(q)) / q);
      spare = v * f;
      return u * f;
    },
  };
}

/** A random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, rng: EstRng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}
