/**
 * Mapping a URL path to a file under the served runs folder, refusing everything that could leave
 * it: `..` segments (also percent-encoded, also double-encoded), backslashes, NUL bytes, absolute
 * paths, and symlinks whose target lies outside.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';

export class PathRefused extends Error {}

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function validRunName(name: string): boolean {
  return RUN_NAME.test(name) && !name.includes('..');
}

/** The decoded, checked segments of a URL path (after a route prefix). */
export function safeSegments(rawPath: string): string[] {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    throw new PathRefused('malformed percent-encoding');
  }
  // a '%' left after one decoding is a double-encoded path: nothing we serve needs it
  if (decoded.includes('%')) throw new PathRefused('double-encoded path');
  if (decoded.includes('\0') || decoded.includes('\\')) throw new PathRefused('NUL or backslash in path');
  if (decoded.startsWith('/') || isAbsolute(decoded)) throw new PathRefused('absolute path');
  const segs = decoded.split('/').filter((s) => s.length > 0);
  for (const s of segs) {
    if (s === '.' || s === '..') throw new PathRefused('dot segment');
    if (/^[A-Za-z]:$/.test(s)) throw new PathRefused('drive letter');
  }
  return segs;
}

/** Resolve segments under root; the real path (symlinks followed) must stay inside root. */
export function resolveUnder(root: string, segs: string[]): string {
  const realRoot = realpathSync(root);
  const candidate = join(realRoot, ...segs);
  let real: string;
  try {
    real = realpathSync(candidate);
  } catch {
    throw new PathRefused('not found');
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) throw new PathRefused('outside the runs folder');
  return real;
}
