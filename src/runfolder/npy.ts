/** NumPy .npy format (version 1.0), little-endian float32/float64/int32: loadable with numpy.load. */

export type NpyArray = Float32Array | Float64Array | Int32Array;

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

export function decodeNpy(buf: Uint8Array): { data: NpyArray; shape: number[] } {
  if (buf[0] !== 0x93 || String.fromCharCode(...buf.subarray(1, 6)) !== 'NUMPY') throw new Error('not a .npy file');
  const major = buf[6];
  const hlen = major === 1 ? buf[8] | (buf[9] << 8) : buf[8] | (buf[9] << 8) | (buf[10] << 16) | (buf[11] << 24);
  const start = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(buf.subarray(start, start + hlen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeStr = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '';
  if (/'fortran_order':\s*True/.test(header)) throw new Error('Fortran-ordered .npy is not supported');
  const shape = shapeStr
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  const off = start + hlen;
  const bytes = buf.slice(off); // copy: aligned, owned
  const n = shape.reduce((a, b) => a * b, 1);
  let data: NpyArray;
  if (descr === '<f4') data = new Float32Array(bytes.buffer, 0, n);
  else if (descr === '<f8') data = new Float64Array(bytes.buffer, 0, n);
  else if (descr === '<i4') data = new Int32Array(bytes.buffer, 0, n);
  else throw new Error(`unsupported .npy dtype ${descr}`);
  return { data, shape };
}
