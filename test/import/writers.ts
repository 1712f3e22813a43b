/** Writers of the formats `infoscope import` reads, for tests that build files without Python. */
import { writeFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { encodeNpy } from '../../src/runfolder/npy.js';

type Arr = { data: Float32Array | Float64Array | Int32Array; shape: number[] };

/** np.savez (level 0) or np.savez_compressed (level 6) of named arrays. */
export function writeNpz(path: string, arrays: Record<string, Arr>, compressed = true): void {
  const members = Object.fromEntries(Object.entries(arrays).map(([k, a]) => [`${k}.npy`, encodeNpy(a.data, a.shape)]));
  writeFileSync(path, zipSync(members, { level: compressed ? 6 : 0 }));
}

/** safetensors: an 8-byte little-endian header length, the JSON header, then each tensor's bytes. */
export function writeSafetensors(path: string, tensors: Record<string, { data: Float32Array; shape: number[] }>): void {
  let offset = 0;
  const header: Record<string, unknown> = {};
  for (const [k, t] of Object.entries(tensors)) {
    header[k] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(new TextEncoder().encode(json), 8);
  let p = 8 + json.length;
  for (const t of Object.values(tensors)) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), p);
    p += t.data.byteLength;
  }
  writeFileSync(path, out);
}

/** An HDF5 file with one dataset at `name` (groups made on the way), by h5wasm. */
export async function writeHdf5(path: string, name: string, a: { data: Float32Array; shape: number[] }): Promise<void> {
  const h5 = (await import('h5wasm/node')).default;
  await h5.ready;
  const f = new h5.File(path, 'w');
  const parts = name.split('/');
  let g: { create_group(n: string): unknown; create_dataset(o: unknown): unknown } = f as never;
  for (const part of parts.slice(0, -1)) g = g.create_group(part) as typeof g;
  g.create_dataset({ name: parts[parts.length - 1], data: a.data, shape: a.shape });
  f.close();
}
