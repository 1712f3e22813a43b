/**
 * Test grids. A task's test mode enumerates a grid of parameters whose first axis is the direction of
 * the first stimulus; a trial's gridIndex is its point's position in the grid's C-order enumeration
 * (the last axis fastest), the reference's order. The trials of a test batch run through the grid
 * directions first (trial b: direction b mod n, the other axes from floor(b / n)), so any batch size
 * keeps the directions balanced; a batch of the grid's size holds every point once. With 20
 * directions that is the reference's test batch, each trial carrying its reference index
 * (docs/yang-tasks.md).
 */
import { wrapAngle } from './ring.js';
import type { Rng, SampleOptions } from './types.js';

/** The directions of the reference's test grid. */
export const REFERENCE_DIRECTIONS = 20;
/** Directions of a test batch when none are asked for: the published Go-task MI analysis used 8. */
const DEFAULT_TEST_DIRECTIONS = 8;

/** Indices of grid point g on a grid of this shape, C order. */
function unravel(g: number, shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let r = g;
  for (let a = shape.length - 1; a >= 0; a--) {
    out[a] = r % shape[a];
    r = Math.floor(r / shape[a]);
  }
  return out;
}

/** Trial b of a test batch: its grid point's indices (direction first) and its C-order gridIndex. */
export function testPoint(b: number, shape: readonly number[]): { indices: number[]; gridIndex: number } {
  const nDirs = shape[0];
  const others = gridSize(shape) / nDirs;
  const rest = Math.floor(b / nDirs) % others;
  const dir = b % nDirs;
  return { indices: [dir, ...unravel(rest, shape.slice(1))], gridIndex: dir * others + rest };
}

export function gridSize(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The test batch's direction count, checked. */
export function testDirections(opts: SampleOptions): number {
  const n = opts.directions ?? DEFAULT_TEST_DIRECTIONS;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`directions must be a positive integer, got ${n}`);
  return n;
}

/**
 * Direction i of n evenly spaced ones, 2 pi i / n; with `continuous`, drawn uniformly within its
 * sector (width 2 pi / n, centred on it), one draw per call.
 */
export function gridDirection(i: number, n: number, rng: Rng, continuous: boolean | undefined): number {
  return continuous ? wrapAngle((2 * Math.PI * (i + rng.next() - 0.5)) / n) : (2 * Math.PI * i) / n;
}
