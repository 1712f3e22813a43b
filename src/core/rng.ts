/**
 * Seeded random streams. One integer seed seeds everything; each purpose (weights, trials,
 * noise, probes, evaluation) and each training step gets its own stream, derived from a string
 * key by seedrandom. Deriving per step (rather than carrying one long stream) makes resume exact:
 * the state a checkpoint needs is just (seed, step).
 *
 * The bulk generator is xoshiro128** (fast, 128-bit state, serializable); normals come from the
 * Marsaglia-Tsang ziggurat (128 layers), about 10x cheaper than the polar method, which matters
 * because a training step draws a million recurrent-noise values.
 */
import seedrandom from 'seedrandom';

/** A source of random numbers. The engine hands one in; tasks and models never create their own. */
export interface Rng {
  /** Uniform on [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  /** x[i] += sd * normal() for every i, in order: the same numbers as that loop, faster. */
  addNormal(x: Float32Array, sd: number): void;
}

interface RngState {
  s: [number, number, number, number];
}

export class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(s: readonly number[]) {
    this.a = s[0] | 0;
    this.b = s[1] | 0;
    this.c = s[2] | 0;
    this.d = s[3] | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 0x9e3779b9 | 0;
  }

  /** A stream named by a key such as "7/trials/120"; the same key always gives the same stream. */
  static fromKey(key: string): Xoshiro128 {
    const g = seedrandom(key);
    return new Xoshiro128([g.int32(), g.int32(), g.int32(), g.int32()]);
  }

  nextUint32(): number {
    const r = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
    const t = this.b << 9;
    this.c ^= this.a;
    this.d ^= this.b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = rotl(this.d, 11);
    return r;
  }

  /** Uniform on [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  normal(): number {
    const hz = this.nextUint32() | 0;
    const iz = hz & 127;
    if (Math.abs(hz) < KN[iz]) return hz * WN[iz];
    return this.slowNormal(hz);
  }

  /** The ziggurat's rare path (about 1.2 % of draws): wedges and tail, starting from the word hz. */
  private slowNormal(hz: number): number {
    let iz = hz & 127;
    for (;;) {
      if (iz === 0) {
        let x: number, y: number;
        do {
          x = -Math.log(1 - this.next()) / ZIG_R;
          y = -Math.log(1 - this.next());
        } while (y + y < x * x);
        return hz > 0 ? ZIG_R + x : -ZIG_R - x;
      }
      const x = hz * WN[iz];
      if (FN[iz] + this.next() * (FN[iz - 1] - FN[iz]) < Math.exp(-0.5 * x * x)) return x;
      hz = this.nextUint32() | 0;
      iz = hz & 127;
      if (Math.abs(hz) < KN[iz]) return hz * WN[iz];
    }
  }

  /**
   * Fill out[offset + i * stride], i < count, with sd * N(0, 1): the same values, in the same order,
   * as calling sd * normal() count times, but with the generator state held in locals.
   */
  fillNormal(out: Float32Array, sd: number, offset = 0, count = out.length - offset, stride = 1): void {
    let a = this.a,
      b = this.b,
      c = this.c,
      d = this.d;
    let j = offset;
    for (let i = 0; i < count; i++, j += stride) {
      const r = Math.imul(rotl(Math.imul(b, 5), 7), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      const iz = r & 127;
      if (Math.abs(r) < KN[iz]) {
        out[j] = sd * r * WN[iz];
      } else {
        // Hand the state back, take the slow path through normal() on the first word's behalf.
        this.a = a;
        this.b = b;
        this.c = c;
        this.d = d;
        out[j] = sd * this.slowNormal(r);
        a = this.a;
        b = this.b;
        c = this.c;
        d = this.d;
      }
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** x[i] += sd * normal() for every i, in order (a task's input noise): natively where the kernels are loaded. */
  addNormal(x: Float32Array, sd: number): void {
    if (bulkNormals) {
      const st = Int32Array.of(this.a, this.b, this.c, this.d);
      bulkNormals(st, x, sd);
      [this.a, this.b, this.c, this.d] = st;
      return;
    }
    for (let i = 0; i < x.length; i++) x[i] += sd * this.normal();
  }

  getState(): RngState {
    return { s: [this.a, this.b, this.c, this.d] };
  }

  static fromState(st: RngState): Xoshiro128 {
    return new Xoshiro128(st.s);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A native implementation of addNormal's loop (models/native.ts installs native/noise.cc's, which
 * draws the same numbers): the state is handed over and back as 4 words.
 */
type BulkNormals = (state: Int32Array, x: Float32Array, sd: number) => void;
let bulkNormals: BulkNormals | null = null;

export function setBulkNormals(f: BulkNormals | null): void {
  bulkNormals = f;
}

/** Purposes get disjoint streams. */
type StreamPurpose = 'weights' | 'trials' | 'noise' | 'eval' | 'probes' | 'task-choice' | 'sizes';

/** Key of a stream: "<seed>/<purpose>/<index>/...". */
export function streamKey(seed: number, purpose: StreamPurpose, ...index: number[]): string {
  return [seed, purpose, ...index].join('/');
}

export function stream(seed: number, purpose: StreamPurpose, ...index: number[]): Xoshiro128 {
  return Xoshiro128.fromKey(streamKey(seed, purpose, ...index));
}

// Ziggurat tables for the standard normal (Marsaglia & Tsang 2000), 128 layers on 32-bit integers.
const ZIG_R = 3.442619855899;
const KN = new Float64Array(128);
const WN = new Float64Array(128);
const FN = new Float64Array(128);
(function buildZiggurat() {
  const m1 = 2147483648;
  const vn = 9.91256303526217e-3;
  let dn = ZIG_R;
  let tn = dn;
  const q = vn / Math.exp(-0.5 * dn * dn);
  KN[0] = (dn / q) * m1;
  KN[1] = 0;
  WN[0] = q / m1;
  WN[127] = dn / m1;
  FN[0] = 1;
  FN[127] = Math.exp(-0.5 * dn * dn);
  for (let i = 126; i >= 1; i--) {
    dn = Math.sqrt(-2 * Math.log(vn / dn + Math.exp(-0.5 * dn * dn)));
    KN[i + 1] = (dn / tn) * m1;
    tn = dn;
    FN[i] = Math.exp(-0.5 * dn * dn);
    WN[i] = dn / m1;
  }
})();

/** The ziggurat's tables, for the native generator (native/noise.cc), which must draw the same numbers. */
export const zigguratTables: { readonly kn: Float64Array; readonly wn: Float64Array; readonly fn: Float64Array } = { kn: KN, wn: WN, fn: FN };
