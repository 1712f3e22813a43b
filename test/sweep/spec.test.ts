import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { expandSweep, parseSweepSpec, readSweepSpecFile, runIdOf } from '../../src/sweep/spec.js';
import { tempDir } from '../helpers.js';

describe('sweep spec', () => {
  it('expands the minimal form to settings x seeds, with deterministic ids', () => {
    const spec = parseSweepSpec({ base: { task: 'go', steps: 40 }, parameters: { model: ['rnn', 'reservoir'] }, seeds: [1, 2, 3] });
    const plan = expandSweep(spec);
    expect(plan.settings.map((s) => s.label)).toEqual(['model=rnn', 'model=reservoir']);
    expect(plan.runs).toHaveLength(6);
    expect(new Set(plan.runs.map((r) => r.id)).size).toBe(6);
    // each run is a config in normal form, one thread (the pool runs one per core), the sweep's seed
    for (const r of plan.runs) {
      expect(r.config.threads).toBe(1);
      expect(r.config.steps).toBe(40);
      expect(r.id).toBe(runIdOf(r.config));
      expect(r.id).toMatch(new RegExp(`^go-${r.config.model}-s${r.seed}-[0-9a-f]{10}$`));
    }
    // the same spec, the same plan; a different seed or setting, a different id
    expect(expandSweep(spec).runs.map((r) => r.id)).toEqual(plan.runs.map((r) => r.id));
    expect(expandSweep(parseSweepSpec({ base: { task: 'go', steps: 41 }, parameters: { model: ['rnn', 'reservoir'] }, seeds: [1, 2, 3] })).runs[0].id).not.toBe(plan.runs[0].id);
    expect(plan.folderName).toMatch(/^sweep-[0-9a-f]{8}$/);
  });

  it('sets dotted keys and draws random settings reproducibly inside their ranges', () => {
    const spec = parseSweepSpec({ base: { steps: 10 }, method: 'random', runs: 5, parameters: { 'rnn.lr': { min: 1e-4, max: 1e-2, log: true }, 'rnn.hidden': { min: 16, max: 64, int: true }, 'rnn.activation': ['relu', 'softplus'] }, seeds: 2 });
    const plan = expandSweep(spec);
    expect(plan.settings).toHaveLength(5);
    expect(plan.runs.map((r) => r.seed)).toEqual([1, 2, 1, 2, 1, 2, 1, 2, 1, 2]);
    for (const r of plan.runs) {
      expect(r.config.rnn?.lr).toBeGreaterThanOrEqual(1e-4);
      expect(r.config.rnn?.lr).toBeLessThanOrEqual(1e-2);
      expect(Number.isInteger(r.config.rnn?.hidden)).toBe(true);
      expect(['relu', 'softplus']).toContain(r.config.rnn?.activation);
    }
    expect(expandSweep(spec).settings).toEqual(plan.settings);
  });

  it('reads YAML as well as JSON', () => {
    const d = tempDir();
    writeFileSync(join(d, 's.yaml'), 'base:\n  task: go\n  steps: 5\nparameters:\n  model: [rnn, reservoir]\nseeds: [1, 2]\n');
    expect(expandSweep(parseSweepSpec(readSweepSpecFile(join(d, 's.yaml')))).runs).toHaveLength(4);
  });

  it.each([
    [{ base: {}, parameters: { seed: [1, 2] } }, /set by the sweep itself/],
    [{ parameters: { 'rnn.lr': { min: 0.1, max: 1 } } }, /needs "method": "random"/],
    [{ method: 'random', parameters: { x: [1] } }, /needs "runs"/],
    [{ seeds: [1, 1] }, /lists a seed twice/],
    [{ base: { task: 'nope' } }, /sweep setting base, seed 1: .*task/],
    [{ parameters: { 'rnn.hidden': [0] } }, /rnn.hidden=0, seed 1: .*rnn.hidden/],
    [{ nonsense: 1 }, /unknown key "nonsense"/],
    [[1, 2], /must be an object/],
    [JSON.parse('{"parameters": {"__proto__.polluted": [1, 2]}}'), /key "parameters.__proto__.polluted" is not allowed/],
    [JSON.parse('{"base": {"rnn": {"constructor": {"x": 1}}}}'), /key "base.rnn.constructor" is not allowed/],
    [{ parameters: { 'rnn.hidden': Array.from({ length: 100 }, (_, i) => i + 8), 'rnn.lr': Array.from({ length: 100 }, (_, i) => (i + 1) / 1e4) } }, /10,000 settings x 3 seeds = 30,000 runs, more than "maxRuns" \(10,000\)/],
  ])('refuses %j in one sentence', (input, re) => {
    let err: unknown;
    try {
      expandSweep(parseSweepSpec(input));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(re);
    expect((err as Error).message).not.toMatch(/\n/);
  });

  it('a 100 x 100 grid plans all 10,000 settings, each with its own id (maxRuns raised)', () => {
    const plan = expandSweep(parseSweepSpec({ base: { steps: 1 }, parameters: { 'rnn.hidden': Array.from({ length: 100 }, (_, i) => i + 8), 'rnn.lr': Array.from({ length: 100 }, (_, i) => (i + 1) / 1e4) }, seeds: 1, maxRuns: 10_000 }));
    expect(plan.settings).toHaveLength(10_000);
    expect(new Set(plan.settings.map((s) => s.id)).size).toBe(10_000);
    expect(new Set(plan.runs.map((r) => r.id)).size).toBe(10_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);
});
