/**
 * NumPy .npy format. Writing: version 1.0, little-endian float32/float64/int32, C order (what
 * numpy.load reads). Reading: versions 1-3, C or Fortran order, either byte order, and the dtypes a
 * researcher's files hold — float16/32/64 (float16 widens to float32), signed and unsigned integers
 * of 1-8 bytes and bool (to int32, refused where a value does not fit). The input may be any view —
 * a pooled Node Buffer, a subarray — and is never read outside [byteOffset, byteOffset + byteLength).
 */

type NpyArray = Float32Array | Float64Array | Int32Array;

const DESCR: Record<string, string> = { Float32Array: '<f4', Float64Array: '<f8', Int32Array: '<i4' };

export function encodeNpy(data: NpyArray, shape: readonly number[]): Uint8Array {
  const n = shape.reduce((a, b) => a * b, 1);
  if (n !== data.length) throw new RangeError(`shape [${shape.join(', ')}] holds ${n} values but the array has ${data.length}`);
  const descr = DESCR[data.constructor.name];
  if (!descr) throw new TypeError(`cannot write ${data.constructor.name} as .npy`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple of 64, ending in \n
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/** A dtype this reader understands: its kind (f float, i signed, u unsigned, b bool) and size in bytes. */
interface Dtype {
  kind: 'f' | 'i' | 'u' | 'b';
  size: number;
  little: boolean;
}

const SIZES: Record<Dtype['kind'], number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };

/** Parses a descr such as '<f4', '>i8', '|u1', '|b1'; null where it is not one of those. */
function parseDescr(descr: string): Dtype | null {
  const m = /^([<>|=])([fiub])(\d+)$/.exec(descr);
  if (!m) return null;
  const kind = m[2] as Dtype['kind'];
  const size = Number(m[3]);
  if (!SIZES[kind].includes(size)) return null;
  return { kind, size, little: m[1] !== '>' };
}

/** Reads n values of a dtype from bytes [off, off + n * size) of a view, into the array type they fit. */
function readValues(view: DataView, off: number, n: number, dt: Dtype, what: string): NpyArray {
  const { kind, size, little } = dt;
  if (kind === 'f' && size === 8) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = view.getFloat64(off + 8 * i, little);
    return out;
  }
  if (kind === 'f') {
    const out = new Float32Array(n);
    if (size === 4) for (let i = 0; i < n; i++) out[i] = view.getFloat32(off + 4 * i, little);
    else for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(off + 2 * i, little));
    return out;
  }
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = off + size * i;
    let v: number | bigint;
    if (size === 1) v = kind === 'i' ? view.getInt8(p) : view.getUint8(p);
    else if (size === 2) v = kind === 'i' ? view.getInt16(p, little) : view.getUint16(p, little);
    else if (size === 4) v = kind === 'i' ? view.getInt32(p, little) : view.getUint32(p, little);
    else v = kind === 'i' ? view.getBigInt64(p, little) : view.getBigUint64(p, little);
    const x = Number(v);
    if (x < -2147483648 || x > 2147483647) throw new RangeError(`${what}: value ${v} at index ${i} does not fit in a 32-bit integer`);
    out[i] = kind === 'b' ? (x !== 0 ? 1 : 0) : x;
  }
  return out;
}

/** IEEE 754 half precision to a number (subnormals, infinities and NaN included). */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

/** Reorders a Fortran-order (column-major) array of a shape into C order (row-major). */
function fortranToC<A extends NpyArray>(data: A, shape: readonly number[]): A {
  if (shape.length < 2) return data;
  const out = new (data.constructor as new (n: number) => A)(data.length);
  const d = shape.length;
  const idx = new Array<number>(d).fill(0);
  // walk C order; the Fortran offset is sum idx[k] * prod(shape[0..k))
  const fStride = new Array<number>(d);
  fStride[0] = 1;
  for (let k = 1; k < d; k++) fStride[k] = fStride[k - 1] * shape[k - 1];
  for (let c = 0; c < data.length; c++) {
    let f = 0;
    for (let k = 0; k < d; k++) f += idx[k] * fStride[k];
    out[c] = data[f];
    for (let k = d - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return out;
}

interface DecodedNpy {
  data: NpyArray;
  shape: number[];
  /** The dtype as the file states it ('<f4', '|b1', ...). */
  descr: string;
}

/** Reads a .npy file's bytes (any Uint8Array or Buffer view) into a C-order typed array and its shape. */
export function decodeNpy(buf: Uint8Array): DecodedNpy {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.byteLength < 10 || buf[0] !== 0x93 || String.fromCharCode(...buf.subarray(1, 6)) !== 'NUMPY') throw new Error('not a .npy file (no \\x93NUMPY magic)');
  const major = buf[6];
  if (major < 1 || major > 3) throw new Error(`unsupported .npy version ${major}`);
  const start = major === 1 ? 10 : 12;
  if (buf.byteLength < start) throw new Error('the .npy file is truncated inside its header');
  const hlen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (start + hlen > buf.byteLength) throw new Error('the .npy file is truncated inside its header');
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(buf.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  if (descr === undefined || shapeStr === undefined || fortran === undefined) throw new Error('the .npy header lacks descr, shape or fortran_order');
  const dt = parseDescr(descr);
  if (!dt) throw new Error(`unsupported .npy dtype ${descr} (float16/32/64, integers and bool are read)`);
  const parts = shapeStr.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const shape = parts.map(Number);
  if (shape.some((s) => !Number.isInteger(s) || s < 0)) throw new Error(`the .npy shape (${shapeStr}) is not a tuple of sizes`);
  const n = shape.reduce((a, b) => a * b, 1);
  const off = start + hlen;
  const need = n * dt.size;
  if (buf.byteLength - off < need) throw new Error(`the .npy file is truncated: shape (${shape.join(', ')}) needs ${need} bytes of data, the file has ${buf.byteLength - off}`);
  let data: NpyArray;
  if (dt.little && dt.size === 4 && dt.kind !== 'u') {
    // the common case in one copy: into a fresh, aligned buffer of its own
    const copy = new Uint8Array(need);
    copy.set(buf.subarray(off, off + need));
    data = dt.kind === 'f' ? new Float32Array(copy.buffer) : new Int32Array(copy.buffer);
  } else {
    data = readValues(view, off, n, dt, 'the .npy file');
  }
  return { data: fortran === 'True' ? fortranToC(data, shape) : data, shape, descr };
}
