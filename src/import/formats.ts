/**
 * Reading one named array from the files researchers write: NumPy .npy and .npz (np.savez and
 * np.savez_compressed; fflate inflates), HDF5 (h5wasm, the HDF5 library compiled to WebAssembly),
 * and safetensors (its 8-byte header length, JSON header and raw little-endian data, read here).
 * Every refusal is one sentence naming the file and the array (docs/import.md).
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../core/errors.js';
import { decodeNpy, halfToFloat } from '../runfolder/npy.js';

export interface LoadedArray {
  data: Float32Array | Float64Array | Int32Array;
  shape: number[];
}

function fail(file: string, array: string | undefined, what: string): never {
  throw new UserError(`${basename(file)}${array ? `, array "${array}"` : ''}: ${what}`);
}

function readBytes(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new UserError(`cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

function npy(file: string, bytes: Uint8Array, array?: string): LoadedArray {
  try {
    const { data, shape } = decodeNpy(bytes);
    return { data, shape };
  } catch (e) {
    return fail(file, array, (e as Error).message);
  }
}

async function npz(file: string, array: string): Promise<LoadedArray> {
  const { unzipSync } = await import('fflate');
  const bytes = readBytes(file);
  let members: Record<string, Uint8Array>;
  try {
    members = unzipSync(bytes, { filter: (f) => f.name === `${array}.npy` });
  } catch (e) {
    return fail(file, array, `the archive is damaged (${(e as Error).message})`);
  }
  const entries = centralDirectory(bytes);
  const member = members[`${array}.npy`];
  if (!member) {
    const listed = entries.map((m) => m.name.replace(/\.npy$/, ''));
    return fail(file, array, `no such array in the archive${listed.length ? ` (it holds ${listed.join(', ')})` : ''}`);
  }
  const listed = entries.find((m) => m.name === `${array}.npy`);
  if (listed && crc32(member) !== listed.crc) return fail(file, array, 'the archive member is damaged (its CRC-32 does not match the one the archive records)');
  return npy(file, member, array);
}

/** Member names and CRC-32s of a zip archive, from its central directory. */
function centralDirectory(bytes: Uint8Array): Array<{ name: string; crc: number }> {
  const out: Array<{ name: string; crc: number }> = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 46 <= bytes.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const len = view.getUint16(i + 28, true);
    out.push({ name: new TextDecoder().decode(bytes.subarray(i + 46, i + 46 + len)), crc: view.getUint32(i + 16, true) });
    i += 45 + len;
  }
  return out;
}

let CRC_TABLE: Uint32Array | null = null;

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), as zip records it for each member. */
function crc32(bytes: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

async function hdf5(file: string, array: string): Promise<LoadedArray> {
  readBytes(file); // a missing or unreadable file gets the general sentence
  const h5 = (await import('h5wasm/node')).default;
  await h5.ready;
  let f: InstanceType<typeof h5.File>;
  try {
    f = new h5.File(file, 'r');
  } catch (e) {
    return fail(file, undefined, `not a readable HDF5 file (${(e as Error).message})`);
  }
  try {
    const node = f.get(array);
    if (!node || !(node instanceof h5.Dataset)) {
      const have = f.keys().join(', ');
      return fail(file, array, `no such dataset${have ? ` (the file holds ${have})` : ''}`);
    }
    const shape = (node.shape ?? []).map(Number);
    const value = node.value as unknown;
    if (value instanceof Float32Array || value instanceof Float64Array || value instanceof Int32Array) return { data: value, shape };
    if (ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array)) return { data: Float64Array.from(value as unknown as ArrayLike<number>), shape };
    if (value instanceof BigInt64Array || value instanceof BigUint64Array) return { data: Float64Array.from(value, Number), shape };
    return fail(file, array, `dtype ${node.dtype} is not numeric`);
  } catch (e) {
    if (e instanceof UserError) throw e;
    return fail(file, array, `cannot be read (${(e as Error).message})`);
  } finally {
    f.close();
  }
}

/** safetensors dtypes and their byte sizes. */
const ST_SIZES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

function safetensors(file: string, array: string): LoadedArray {
  const bytes = readBytes(file);
  if (bytes.length < 8) fail(file, undefined, 'truncated: shorter than its 8-byte header length');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = Number(view.getBigUint64(0, true));
  if (8 + hlen > bytes.length) fail(file, undefined, `truncated: its header says ${hlen} bytes, the file has ${bytes.length - 8}`);
  let header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + hlen)));
  } catch {
    return fail(file, undefined, 'its header is not JSON: not a safetensors file');
  }
  const t = header[array];
  if (!t || array === '__metadata__') return fail(file, array, `no such tensor (the file holds ${Object.keys(header).filter((k) => k !== '__metadata__').join(', ')})`);
  const size = ST_SIZES[t.dtype];
  if (!size) fail(file, array, `unknown dtype ${t.dtype} (F16, BF16, F32, F64 and integers are read)`);
  const n = t.shape.reduce((a, b) => a * b, 1);
  const [a, b] = t.data_offsets;
  const off = 8 + hlen + a;
  if (b - a !== n * size) fail(file, array, `its offsets hold ${b - a} bytes, shape [${t.shape.join(', ')}] of ${t.dtype} needs ${n * size}`);
  if (8 + hlen + b > bytes.length) fail(file, array, `truncated: the tensor ends at byte ${8 + hlen + b}, the file has ${bytes.length}`);
  const out = t.dtype === 'F64' || t.dtype === 'I64' ? new Float64Array(n) : t.dtype.startsWith('F') || t.dtype === 'BF16' ? new Float32Array(n) : new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = off + i * size;
    switch (t.dtype) {
      case 'F64': out[i] = view.getFloat64(p, true); break;
      case 'F32': out[i] = view.getFloat32(p, true); break;
      case 'F16': out[i] = halfToFloat(view.getUint16(p, true)); break;
      case 'BF16': out[i] = new Float32Array(new Uint32Array([view.getUint16(p, true) << 16]).buffer)[0]; break;
      case 'I64': out[i] = Number(view.getBigInt64(p, true)); break;
      case 'I32': out[i] = view.getInt32(p, true); break;
      case 'I16': out[i] = view.getInt16(p, true); break;
      case 'I8': out[i] = view.getInt8(p); break;
      default: out[i] = view.getUint8(p);
    }
  }
  return { data: out, shape: t.shape.slice() };
}

/** One array of a file, by the file's extension: .npy (the array is the file), .npz, .h5/.hdf5, .safetensors. */
export async function readArrayFile(file: string, array?: string): Promise<LoadedArray> {
  const ext = /\.([a-z0-9]+)$/i.exec(file)?.[1]?.toLowerCase();
  if (ext === 'npy') return npy(file, readBytes(file), array);
  if (!array) fail(file, undefined, 'name the array to read from it ("array" in the manifest)');
  if (ext === 'npz') return npz(file, array);
  if (ext === 'h5' || ext === 'hdf5') return hdf5(file, array);
  if (ext === 'safetensors') return safetensors(file, array);
  return fail(file, array, 'unknown format: infoscope reads .npy, .npz, .h5/.hdf5 and .safetensors');
}
