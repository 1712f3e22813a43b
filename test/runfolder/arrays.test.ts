import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { neuronArrayName, parseNeuronArrayName } from '../../probes/hooks/records.js';
import { arrayFileName, parseArrayFileName } from '../../src/runfolder/arrays.js';
import { encodeNpy } from '../../src/runfolder/npy.js';
import { listArrays, readArray, truncateProbes } from '../../src/runfolder/runFolder.js';
import { runPaths } from '../../src/runfolder/paths.js';
import { tempDir } from '../helpers.js';

describe('array file names: written and read by one pair of functions', () => {
  it('round-trip step, stem and origin', () => {
    for (const [step, stem, origin] of [[0, 'neuron-binning', 'train'], [200, 'neuron-mixed-peak', 'posthoc'], [7, 'my_hook.x', 'train']] as const) {
      const f = arrayFileName(step, stem, origin);
      expect(parseArrayFileName(f)).toEqual({ step, stem, origin });
    }
    expect(arrayFileName(3, 'neuron-binning')).toBe('step-3-neuron-binning.npy');
    expect(parseArrayFileName('notes.txt')).toBeNull();
    expect(parseNeuronArrayName(neuronArrayName('mixed', 'peak'))).toEqual({ estimator: 'mixed', part: 'peak' });
    expect(parseNeuronArrayName(neuronArrayName('kde-upper', 'mi'))).toEqual({ estimator: 'kde-upper', part: 'mi' });
  });

  it('truncating a run on resume drops training arrays after the checkpoint and keeps post-hoc ones', () => {
    const p = runPaths(tempDir());
    mkdirSync(p.arrays, { recursive: true });
    writeFileSync(p.probes, '');
    for (const [step, origin] of [[0, 'train'], [10, 'train'], [20, 'train'], [20, 'posthoc']] as const) {
      writeFileSync(join(p.arrays, arrayFileName(step, 'neuron-binning', origin)), encodeNpy(new Float32Array([step]), [1]));
    }
    truncateProbes(p, 10);
    expect(listArrays(p).map((a) => a.file)).toEqual(['step-0-neuron-binning.npy', 'step-10-neuron-binning.npy', 'step-20-neuron-binning-posthoc.npy']);
    expect(Array.from(readArray(p, 'step-10-neuron-binning.npy').data)).toEqual([10]);
  });

  it('a damaged array is named in one sentence', () => {
    const p = runPaths(tempDir());
    mkdirSync(p.arrays, { recursive: true });
    writeFileSync(join(p.arrays, 'step-1-x.npy'), encodeNpy(new Float32Array(8), [8]).subarray(0, 70));
    expect(() => readArray(p, 'step-1-x.npy')).toThrow(/array step-1-x\.npy in .* is damaged/);
  });
});
