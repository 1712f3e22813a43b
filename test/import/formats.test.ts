/**
 * Every format `infoscope import` reads gives the same array: .npy in half, single and double
 * precision, C and Fortran order; .npz stored and compressed; HDF5; safetensors in F16, BF16, F32 and
 * F64. The values are multiples of 1/8 below 8 in magnitude, exact in every one of those precisions,
 * so the comparison is exact.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArrayFile } from '../../src/import/formats.js';
import { writeHdf5, writeNpz } from './writers.js';

const shape = [3, 4, 5];
const n = 60;
const values = Float64Array.from({ length: n }, (_, i) => ((i * 37) % 121) / 8 - 7.5);

/** A .npy file as NumPy writes it: magic, version 1.0, a header padded to 64 bytes, the data. */
function npyBytes(descr: string, fortran: boolean, data: Uint8Array): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

/** The values in C order, or in Fortran order (first index fastest). */
function ordered(fortran: boolean): number[] {
  if (!fortran) return Array.from(values);
  const [a, b, c] = shape;
  const out: number[] = [];
  for (let k = 0; k < c; k++) for (let j = 0; j < b; j++) for (let i = 0; i < a; i++) out.push(values[(i * b + j) * c + k]);
  return out;
}

/** float16 bits of a value exact in half precision (normal numbers and zero). */
function half(v: number): number {
  if (v === 0) return 0;
  const s = v < 0 ? 0x8000 : 0;
  const a = Math.abs(v);
  const e = Math.floor(Math.log2(a));
  return s | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

function encode(kind: 'f2' | 'f4' | 'f8' | 'bf16', list: number[]): Uint8Array {
  const size = kind === 'f8' ? 8 : kind === 'f4' ? 4 : 2;
  const view = new DataView(new ArrayBuffer(list.length * size));
  list.forEach((v, i) => {
    if (kind === 'f8') view.setFloat64(i * 8, v, true);
    else if (kind === 'f4') view.setFloat32(i * 4, v, true);
    else if (kind === 'f2') view.setUint16(i * 2, half(v), true);
    else view.setUint16(i * 2, new Uint32Array(new Float32Array([v]).buffer)[0] >>> 16, true);
  });
  return new Uint8Array(view.buffer);
}

function safetensorsBytes(dtype: string, data: Uint8Array): Uint8Array {
  let json = JSON.stringify({ __metadata__: { format: 'pt' }, w: { dtype, shape, data_offsets: [0, data.length] } });
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(new TextEncoder().encode(json), 8);
  out.set(data, 8 + json.length);
  return out;
}

describe('import reads every format to the same array', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infoscope-formats-'));
  const expectSame = (got: { data: ArrayLike<number>; shape: number[] }) => {
    expect(got.shape).toEqual(shape);
    expect(Array.from(got.data)).toEqual(Array.from(values));
  };

  for (const descr of ['<f2', '<f4', '<f8'] as const)
    for (const fortran of [false, true])
      it(`.npy ${descr}, ${fortran ? 'Fortran' : 'C'} order`, async () => {
        const file = join(dir, `a-${descr.slice(1)}-${fortran ? 'F' : 'C'}.npy`);
        writeFileSync(file, npyBytes(descr, fortran, encode(descr.slice(1) as 'f2', ordered(fortran))));
        expectSame(await readArrayFile(file, undefined));
      });

  it('.npz stored and compressed, among other members', async () => {
    for (const compressed of [false, true]) {
      const file = join(dir, `a-${compressed}.npz`);
      writeNpz(file, { other: { data: new Float32Array(7), shape: [7] }, w: { data: values, shape } }, compressed);
      expectSame(await readArrayFile(file, 'w'));
    }
  });

  it('HDF5, a dataset in a group', async () => {
    const file = join(dir, 'a.h5');
    await writeHdf5(file, 'g/w', { data: Float32Array.from(values), shape });
    expectSame(await readArrayFile(file, 'g/w'));
  });

  for (const [dtype, kind] of [['F16', 'f2'], ['BF16', 'bf16'], ['F32', 'f4'], ['F64', 'f8']] as const)
    it(`safetensors ${dtype}`, async () => {
      const file = join(dir, `a-${dtype}.safetensors`);
      writeFileSync(file, safetensorsBytes(dtype, encode(kind, Array.from(values))));
      expectSame(await readArrayFile(file, 'w'));
    });
});
