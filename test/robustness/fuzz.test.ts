/**
 * Generated bad input, from a seeded generator (the same cases every run): configs, command-line
 * flag values and CSV files. Each must either be refused with one sentence (a UserError or an
 * EstimatorInputError: the CLI turns both into exit 2) or succeed with a sound result: a config in
 * normal form that normalises to itself, an estimate that is a finite number. Never a stack trace
 * from deeper down, never a null or NaN result.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyFlags, parseFlagValue, trainFlags } from '../../src/config/flags.js';
import { normalizeConfig } from '../../src/config/normalize.js';
import { UserError } from '../../src/core/errors.js';
import { Xoshiro128 } from '../../src/core/rng.js';
import { readCsvLabels, readCsvMatrix } from '../../src/engine/csv.js';
import { estimate, estimatorNames } from '../../probes/estimators/estimate.js';
import { EstimatorInputError } from '../../probes/estimators/types.js';
import { tempDir } from '../helpers.js';

const rng = Xoshiro128.fromKey('fuzz/1');
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)];
const chance = (p: number) => rng.next() < p;

/** Candidate values per key: mostly valid, some not, so both paths are exercised. */
const candidates: Record<string, unknown[]> = {
  task: ['go', 'dlygo', ['go', 'antigo'], 'nogo', [], 3],
  model: ['rnn', 'reservoir', 'lstm', ''],
  seed: [0, 7, -1, 2.5, 2 ** 31, '3'],
  steps: [1, 50, 0, -5, 1e12, null],
  batch: [8, 64, 0, 5000, 2.5],
  evalEvery: [1, 25, 0],
  evalTrials: [16, 32, 0, 2000],
  checkpointEvery: [5, 200, 0],
  targetPerf: [0.95, null, 1.5, 0],
  threads: [1, 2, 3],
  backend: ['wasm', 'auto', 'gpu'],
  probeEvery: [0, 10, -1],
  probeTrials: [16, 200, 8, 5000],
  probeDirections: [4, 8, 20, 1, 100],
  name: ['my-run', 'bad name', ''],
  stepz: [1],
  lr: [0.01],
};
const sectionCandidates: Record<string, Record<string, unknown[]>> = {
  rnn: { hidden: [8, 256, 0, 5000], activation: ['relu', 'tanh', 'sigmoid'], recInit: ['diag', 'randortho', 'eye'], tau: [100, 10, -1], sigmaRec: [0, 0.05, -1], lr: [0.001, 0, 20], gradClip: [0, 1, -1], dt: [20] },
  reservoir: { hidden: [16, 0], leak: [0.3, 0, 1.5], spectralRadius: [0.9, 11], ridge: [1e-4, -1], density: [0.1, 0], washout: [0, 2.5], search: [true, 'yes'] },
  stimulus: { dt: [20, 10, 200, 0], tau: [100, 5], sigmaX: [0.01, -1], nRules: [20, 5, 6, 64, 65] },
  timing: { responseMs: [500, 300, -1], goStimOnMs: [[300, 700], [700, 300], 5], dlyDelayMs: [[200, 400], [], [-5]], bogusMs: [1] },
};
const hookOpts: Record<string, Record<string, unknown[]>> = {
  layer: { bins: [2, 8, 0, 1000], noiseVar: [0.1, 1, -0.1, 0], k: [3, 10, 0, 100000] },
  neuron: { bins: [2, 3, 1], k: [3, 50], permutations: [10, 0], alpha: [0.05, 0, 1] },
  infoplane: { noiseVar: [0.05, 1e7], noise: [1] },
  nope: { x: [1] },
};

function randomConfig(): Record<string, unknown> {
  const c: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(rng.next() * 3); i++) {
    const k = pick(Object.keys(candidates));
    c[k] = pick(candidates[k]);
  }
  for (const [section, keys] of Object.entries(sectionCandidates)) {
    if (!chance(0.2)) continue;
    const k = pick(Object.keys(keys));
    c[section] = { [k]: pick(keys[k]) };
  }
  if (chance(0.3)) {
    const hook = pick(Object.keys(hookOpts));
    const k = pick(Object.keys(hookOpts[hook]));
    c.probes = [{ hook, ...(chance(0.7) ? { options: { [k]: pick(hookOpts[hook][k]) } } : {}), ...(chance(0.2) ? { estimators: [pick(['binning', 'mixed', 'ksg', 'kde-upper'])] } : {}) }];
  }
  return c;
}

function soundConfig(c: ReturnType<typeof normalizeConfig>): void {
  expect(normalizeConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  const walk = (v: unknown): void => {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(c);
  expect(c.probeTrials).toBeGreaterThanOrEqual(c.probeDirections);
}

/** The refusal a user sees: one line, from our own error types. */
function refusal(e: unknown): void {
  if (!(e instanceof UserError || e instanceof EstimatorInputError)) throw e;
  expect(e.message).not.toContain('\n');
  expect(e.message.length).toBeGreaterThan(10);
}

describe('fuzz: generated bad input is refused in one sentence or handled soundly', () => {
  it('400 generated configs', () => {
    let accepted = 0;
    for (let i = 0; i < 400; i++) {
      const c = randomConfig();
      try {
        soundConfig(normalizeConfig(c));
        accepted++;
      } catch (e) {
        refusal(e);
      }
    }
    // the generator must exercise both paths
    expect(accepted).toBeGreaterThan(20);
    expect(accepted).toBeLessThan(380);
  });

  it('300 generated command lines of train flags', () => {
    const texts = ['0', '1', '-3', '2.5', 'abc', '', ' 7 ', '1e400', '64', 'go,antigo', 'relu', 'sigmoid', 'wasm', 'NaN', '0x10'];
    let accepted = 0;
    for (let i = 0; i < 300; i++) {
      const values: Record<string, unknown> = {};
      try {
        for (let k = 0; k < 1 + Math.floor(rng.next() * 3); k++) {
          const spec = pick(trainFlags);
          const name = spec.flags.split(' ')[0].replace(/^--/, '').replace(/-([a-z])/g, (_, ch: string) => ch.toUpperCase());
          values[name] = spec.kind === 'bool' ? true : parseFlagValue(spec, pick(texts));
        }
        soundConfig(normalizeConfig(applyFlags({}, values)));
        accepted++;
      } catch (e) {
        refusal(e);
      }
    }
    expect(accepted).toBeGreaterThan(10);
  });

  it('200 generated CSV files, read as data or labels and estimated', () => {
    const dir = tempDir('infoscope-fuzz-');
    const cell = () => pick(['1', '-2.5', '0', '3e5', '1e160', '1e-200', 'abc', '', 'NaN', 'Infinity', '7', '2', '4294967296', '0.1', ' 3 ']);
    let estimated = 0;
    for (let i = 0; i < 200; i++) {
      const rows = 1 + Math.floor(rng.next() * 40);
      const cols = 1 + Math.floor(rng.next() * 3);
      const lines: string[] = [];
      if (chance(0.2)) lines.push(Array.from({ length: cols }, () => pick(['a', 'x1', 'label', '5'])).join(','));
      for (let r = 0; r < rows; r++) {
        const w = chance(0.05) ? cols + 1 : cols;
        lines.push(Array.from({ length: w }, () => (chance(0.85) ? String(Math.floor(rng.next() * 5) - (chance(0.5) ? 0 : rng.next())) : cell())).join(','));
      }
      const f = join(dir, `f${i}.csv`);
      writeFileSync(f, lines.join(chance(0.1) ? '\r\n' : '\n') + '\n');
      try {
        const x = chance(0.3) ? readCsvLabels(f, 'X') : readCsvMatrix(f, 'X');
        const y = readCsvMatrix(f, 'Y');
        const e = estimate(x, y, { estimator: pick(estimatorNames.filter((n) => !['mine', 'infonce', 'nwj'].includes(n))), seed: i });
        expect(Number.isFinite(e.value), JSON.stringify(e)).toBe(true);
        estimated++;
      } catch (e) {
        refusal(e);
      }
    }
    expect(estimated).toBeGreaterThan(10);
  });
});
