/** Every task's test grid: the reference's sizes, a grid index per trial, any batch size balanced over directions. */
import { describe, expect, it } from 'vitest';
import { getTask } from '../../tasks/registry.js';
import { TASK_SETS } from '../../tasks/sets.js';
import { REFERENCE_DIRECTIONS, gridSize, testPoint } from '../../tasks/grid.js';
import { stream } from '../../src/core/rng.js';
import { defaultLayout as L } from '../../tasks/layout.js';

/** Sizes of the reference's test batches (docs/yang-tasks.md). */
const REFERENCE_SIZE: Record<string, number> = {
  go: 40, rtgo: 40, dlygo: 40, antigo: 40, antirtgo: 40, antidlygo: 40,
  dm1: 100, dm2: 100, ctxdm1: 500, ctxdm2: 500, multidm: 500,
  dlydm1: 100, dlydm2: 100, ctxdlydm1: 500, ctxdlydm2: 500, multidlydm: 500,
  dms: 80, dnms: 80, dmc: 80, dnmc: 80,
};

describe('test grids', () => {
  it('all 20 tasks: a batch of the reference size holds each grid point once; the grid index names it in C order', () => {
    expect(TASK_SETS.all).toEqual(Object.keys(REFERENCE_SIZE));
    for (const name of TASK_SETS.all) {
      const task = getTask(name);
      const G = gridSize(task.gridShape?.(REFERENCE_DIRECTIONS) ?? []);
      expect(G, name).toBe(REFERENCE_SIZE[name]);
      const b = task.sample(G, stream(1, 'trials'), 'test', L, { noise: false, directions: REFERENCE_DIRECTIONS });
      expect([...b.gridIndex].sort((x, y) => x - y), name).toEqual(Array.from({ length: G }, (_, i) => i));
      // C order: the direction is the slowest axis, so grid index / (G / 20) is the direction index
      for (let i = 0; i < G; i++) expect(b.dirIndex[i]).toBe(Math.floor(b.gridIndex[i] / (G / REFERENCE_DIRECTIONS)));
      // the same grid point gives the same trial, whatever the batch size
      const bigger = task.sample(2 * G + 3, stream(1, 'trials'), 'test', L, { noise: false, directions: REFERENCE_DIRECTIONS });
      const j = bigger.gridIndex.indexOf(b.gridIndex[5], G);
      expect([bigger.stimDir[j], bigger.stimDir2[j], bigger.respDir[j]]).toEqual([b.stimDir[5], b.stimDir2[5], b.respDir[5]]);
    }
  });

  it('the Go family\'s grid point g is the reference\'s: direction g // 2, ring g % 2 + 1', () => {
    const b = getTask('go').sample(40, stream(1, 'trials'), 'test', L, { noise: false, directions: 20 });
    for (let i = 0; i < 40; i++) {
      const g = b.gridIndex[i];
      expect(b.stimDir[i]).toBeCloseTo((2 * Math.PI * Math.floor(g / 2)) / 20, 12);
      expect(b.modality[i]).toBe((g % 2) + 1);
    }
  });

  it('any batch size keeps the directions balanced (trials run through the directions first)', () => {
    for (const [b, dirs, shape] of [[0, 8, [8, 2]], [9, 8, [8, 2]], [13, 8, [8, 5, 5]]] as const) {
      const p = testPoint(b, shape);
      expect(p.indices[0]).toBe(b % dirs);
    }
    for (const name of ['go', 'dm1', 'ctxdm1', 'dmc']) {
      const batch = getTask(name).sample(200, stream(2, 'trials'), 'test', L, { noise: false });
      const counts = new Array(8).fill(0);
      for (const d of batch.dirIndex) counts[d]++;
      expect(counts, name).toEqual(new Array(8).fill(25));
    }
  });

  it('continuous directions stay within their sector (DMC: within their category)', () => {
    for (const name of ['go', 'dm1', 'dms', 'dmc']) {
      const b = getTask(name).sample(400, stream(3, 'trials'), 'test', L, { noise: false, continuous: true, directions: 8 });
      for (let i = 0; i < 400; i++) {
        if (name === 'dmc') {
          expect(b.stimDir[i] >= Math.PI ? 1 : 0).toBe(b.dirIndex[i] < 4 ? 0 : 1);
          continue;
        }
        const centre = (2 * Math.PI * b.dirIndex[i]) / 8;
        const d = Math.abs(b.stimDir[i] - centre);
        expect(Math.min(d, 2 * Math.PI - d)).toBeLessThanOrEqual(Math.PI / 8 + 1e-12);
      }
    }
    expect(() => getTask('dmc').sample(10, stream(3, 'trials'), 'test', L, { directions: 7 })).toThrow(/even number of directions/);
  });
});
