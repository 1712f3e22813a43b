import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendJsonl, readJsonl } from '../../src/runfolder/atomic.js';
import { decodeNpy, encodeNpy } from '../../src/runfolder/npy.js';
import { tempDir } from '../helpers.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'npy');

describe('.npy files', () => {
  it('round-trip float32 and int32 arrays with their shape', () => {
    const a = new Float32Array([1, -2.5, 3e-8, 4, 5, 6]);
    const d = decodeNpy(encodeNpy(a, [2, 3]));
    expect(d.shape).toEqual([2, 3]);
    expect(d.data).toEqual(a);
    const i = decodeNpy(encodeNpy(new Int32Array([7, -1]), [2]));
    expect(i.data).toEqual(new Int32Array([7, -1]));
    expect(i.shape).toEqual([2]);
  });

  it('write a header numpy accepts: magic, version 1.0, 64-byte aligned, dict with descr and shape', () => {
    const b = encodeNpy(new Float32Array(12), [3, 4]);
    expect(Array.from(b.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const hlen = b[8] | (b[9] << 8);
    expect((10 + hlen) % 64).toBe(0);
    const header = new TextDecoder().decode(b.subarray(10, 10 + hlen));
    expect(header).toMatch(/^\{'descr': '<f4', 'fortran_order': False, 'shape': \(3, 4\), \} *\n$/);
    expect(b.length).toBe(10 + hlen + 48);
  });

  it('refuse a shape that does not match the data', () => {
    expect(() => encodeNpy(new Float32Array(5), [2, 3])).toThrow(/holds 6 values/);
  });

  it('read a pooled Buffer, an offset view and a misaligned view: only the bytes of the view', () => {
    const a = Float32Array.from({ length: 30 }, (_, i) => i * 0.5 - 3);
    const file = join(tempDir(), 'a.npy');
    writeFileSync(file, encodeNpy(a, [5, 6]));
    // small files come from Node's shared pool: byteOffset is not 0 and the pool holds other bytes
    Buffer.allocUnsafe(17);
    const inPool = Buffer.allocUnsafe(readFileSync(file).length);
    readFileSync(file).copy(inPool);
    expect(inPool.buffer.byteLength).toBeGreaterThan(inPool.byteLength);
    for (const b of [readFileSync(file), inPool]) expect(decodeNpy(b).data).toEqual(a);
    // a view 3 bytes into a larger buffer whose other bytes are garbage
    const bytes = encodeNpy(a, [5, 6]);
    const big = new Uint8Array(bytes.length + 11).fill(0xee);
    big.set(bytes, 3);
    const view = big.subarray(3, 3 + bytes.length);
    const d = decodeNpy(view);
    expect(d.shape).toEqual([5, 6]);
    expect(d.data).toEqual(a);
    // the result owns its memory: changing the source afterwards changes nothing
    big.fill(0);
    expect(d.data).toEqual(a);
  });

  it("read numpy's own files: float16, big-endian and Fortran order, integers and bool", () => {
    const fx = (f: string) => decodeNpy(readFileSync(join(fixtures, f)));
    // written by numpy (test/fixtures/npy): a = (arange(24).reshape(2, 3, 4) - 7.5) / 4
    const a = Array.from({ length: 24 }, (_, i) => (i - 7.5) / 4);
    for (const f of ['f2-c.npy', 'f4-fortran.npy', 'f8-big-fortran.npy']) {
      const d = fx(f);
      expect(d.shape, f).toEqual([2, 3, 4]);
      // every value is a multiple of 1/8 below 4: exact in half precision too
      expect(Array.from(d.data), f).toEqual(a);
    }
    expect(fx('f2-c.npy').data).toBeInstanceOf(Float32Array);
    expect(fx('f8-big-fortran.npy').data).toBeInstanceOf(Float64Array);
    expect(Array.from(fx('i8.npy').data)).toEqual([0, -3, -6, -9, -12, -15]);
    expect(Array.from(fx('u1.npy').data)).toEqual([250, 251, 252, 253, 254, 255]);
    expect(Array.from(fx('b1.npy').data)).toEqual([1, 0, 1]);
    expect(() => fx('i8-overflow.npy')).toThrow(/does not fit in a 32-bit integer/);
  });

  it('refuse truncated files, unknown dtypes and damaged headers with a reason', () => {
    const bytes = encodeNpy(new Float64Array(8), [2, 4]);
    expect(() => decodeNpy(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated: shape \(2, 4\) needs 64 bytes of data, the file has 63/);
    expect(() => decodeNpy(bytes.subarray(0, 20))).toThrow(/truncated inside its header/);
    expect(() => decodeNpy(new Uint8Array([1, 2, 3]))).toThrow(/not a .npy file/);
    const complex = Uint8Array.from(bytes);
    complex.set(new TextEncoder().encode("'<c8'"), complex.indexOf(0x27, 10) + 9);
    expect(() => decodeNpy(complex)).toThrow(/unsupported .npy dtype <c8/);
  });
});

describe('JSONL', () => {
  it('skips a torn last line but reports damage in the middle', () => {
    const f = join(tempDir(), 'm.jsonl');
    appendJsonl(f, [{ step: 1 }, { step: 2 }]);
    appendFileSync(f, '{"step": 3, "lo');
    expect(readJsonl(f)).toEqual([{ step: 1 }, { step: 2 }]);
    writeFileSync(f, '{"step": 1}\n{bad\n{"step": 3}\n');
    expect(() => readJsonl(f)).toThrow(/line 2 is not valid JSON/);
    expect(readFileSync(f, 'utf8')).toContain('bad');
  });
});
