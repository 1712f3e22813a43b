/** Seeded randomness for estimators (jitter, permutations, subsamples, critic initialisation). */
import seedrandom from 'seedrandom';

export interface EstRng {
  uniform(): number;
  normal(): number;
  /** Integer in [0, n). */
  int(n: number): number;
}

/**
 * sfc32 (Chris Doty-Humphrey's small fast counter generator, passes PractRand), seeded through
 * seedrandom; about 4x cheaper per draw than seedrandom's own generators, which matters for the
 * jitter and permutations of large samples. Normals by Marsaglia's polar method.
 */
class Sfc32 implements EstRng {
  private a: number;
  private b: number;
  private c: number;
  private d = 1;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: string) {
    const init = seedrandom(seed);
    this.a = init.int32() | 0;
    this.b = init.int32() | 0;
    this.c = init.int32() | 0;
    for (let i = 0; i < 12; i++) this.uniform(); // mix the seed in
  }

  uniform(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u = 0;
    let v = 0;
    let q = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      q = u * u + v * v;
    } while (q >= 1 || q === 0);
    const f = Math.sqrt((-2 * Math.log(q)) / q);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

export function estRng(seed: number | string): EstRng {
  return new Sfc32(`infoscope-estimators/${seed}`);
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
