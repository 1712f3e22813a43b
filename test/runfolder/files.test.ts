import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendJsonl, readJsonl } from '../../src/runfolder/atomic.js';
import { decodeNpy, encodeNpy } from '../../src/runfolder/npy.js';
import { tempDir } from '../helpers.js';

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
