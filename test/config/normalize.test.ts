import { describe, expect, it } from 'vitest';
import { applyFlags, flagHelp, trainFlags } from '../../src/config/flags.js';
import { upgradeStoredConfig } from '../../src/config/migrate.js';
import { normalizeConfig } from '../../src/config/normalize.js';
import { problem } from './problem.js';


describe('normalizeConfig: the one door', () => {
  it('fills defaults (the paper main network: softplus, 0.5 I, 256 units, Adam 1e-3, batch 64, dt 20 ms)', () => {
    const c = normalizeConfig({});
    expect(c).toMatchObject({
      configVersion: 3,
      task: 'go',
      model: 'rnn',
      batch: 64,
      steps: 2000,
      stimulus: { dt: 20, tau: 100, sigmaX: 0.01, nRules: 20 },
      rnn: { hidden: 256, activation: 'softplus', recInit: 'diag', sigmaRec: 0.05, lr: 0.001, gradClip: 1 },
    });
    // the time grid and input noise are the task's, not the RNN's
    expect(Object.keys(c.rnn ?? {})).not.toContain('dt');
    expect(Object.keys(c.rnn ?? {})).not.toContain('sigmaX');
    // one time constant: the run's, which sets the RNN's leak and the input noise
    expect(Object.keys(c.rnn ?? {})).not.toContain('tau');
    expect(c.reservoir).toBeUndefined();
    // probe specs come back complete: estimators listed, options filled by each hook's schema
    expect(c.probes).toEqual([
      { hook: 'layer', estimators: ['decoder', 'kde-upper'], options: { bins: 2, noiseVar: 0.1, k: 3 } },
      { hook: 'neuron', estimators: ['binning', 'mixed', 'direction'], options: { bins: 2, k: 3, permutations: 50, alpha: 0.05 } },
      { hook: 'infoplane', estimators: ['kde-upper'], options: { noiseVar: 0.1 } },
    ]);
    // the Go tasks' timing, filled, so config.json says what the trials were
    expect(c.timing).toMatchObject({ responseMs: 500, goTestGoMs: 1500, dlyDelayMs: [200, 400, 800, 1600] });
  });

  it('is idempotent: the normal form normalises to itself', () => {
    for (const input of [{}, { model: 'reservoir', task: ['go', 'dlygo'], timing: { responseMs: 600 } }]) {
      const once = normalizeConfig(input);
      expect(normalizeConfig(JSON.parse(JSON.stringify(once)))).toEqual(once);
    }
  });

  it("takes a model's training budget from the model: a reservoir trains 25 steps unless told otherwise", () => {
    expect(normalizeConfig({ model: 'reservoir' })).toMatchObject({ steps: 25, evalEvery: 5, checkpointEvery: 5, probeEvery: 5 });
    expect(normalizeConfig({ model: 'reservoir', steps: 40, probeEvery: 20 })).toMatchObject({ steps: 40, probeEvery: 20 });
  });

  const bad: Array<[unknown, RegExp]> = [
    [{ stepz: 3 }, /unknown key "stepz"/],
    [{ rnn: { hiddn: 3 } }, /unknown key "hiddn" in "rnn"/],
    [{ steps: 'ten' }, /"steps" expected number, received string \(got "ten"\)/],
    [{ steps: 0 }, /"steps" too small.*\(got 0\)/],
    [{ batch: 2.5 }, /"batch" expected int/],
    [{ rnn: { lr: -1 } }, /"rnn.lr" too small/],
    [{ lr: 0.01 }, /unknown key "lr"; since config version 2 it is "rnn.lr"/],
    [{ rnn: { dt: 20 } }, /unknown key "dt" in "rnn"; since config version 2 it is "stimulus.dt"/],
    [{ rnn: { tau: 50 } }, /unknown key "tau" in "rnn"; since config version 3 it is "stimulus.tau"/],
    [{ targetPerf: 1.5 }, /"targetPerf" too big/],
    [{ rnn: { activation: 'sigmoid' } }, /"rnn.activation"/],
    [{ task: 'nogo' }, /unknown task "nogo"/],
    [{ task: ['go', 'nogo'] }, /unknown task "nogo"/],
    [{ model: 'lstm' }, /unknown model "lstm"/],
    [{ stimulus: { dt: 200, tau: 100 } }, /dt must be smaller than tau/],
    [{ timing: { responseMz: 3 } }, /unknown key "responseMz" in "timing"/],
    [{ timing: { goStimOnMs: [700, 300] } }, /"timing.goStimOnMs"/],
    [{ reservoir: { leak: 0 } }, /"reservoir.leak"/],
    [{ probeTrials: 20, probeDirections: 32 }, /"probeTrials" \(20\) must be at least "probeDirections" \(32\)/],
    [{ probes: [{ hook: 'layer', options: { noiseVar: -0.1 } }] }, /"probes.0.options.noiseVar" too small/],
    [{ probes: [{ hook: 'layer', options: { k: 0 } }] }, /"probes.0.options.k" too small/],
    [{ probes: [{ hook: 'neuron', options: { bins: 0 } }] }, /"probes.0.options.bins" too small/],
    [{ probes: [{ hook: 'neuron', options: { k: 900 } }] }, /k = 900 needs more than 900 probe trials per direction/],
    [{ probes: [{ hook: 'infoplane', options: { noisevar: 1 } }] }, /unknown key "noisevar" in "probes.0.options"/],
    [{ probes: [{ hook: 'layer', estimators: ['ksg'] }] }, /probe hook "layer" has no estimator "ksg"/],
    [{ probes: [{ hook: 'nope' }] }, /unknown probe hook "nope"/],
  ];
  for (const [input, re] of bad) {
    it(`refuses ${JSON.stringify(input)} with one sentence`, () => {
      const msg = problem(input);
      expect(msg).toMatch(re);
      expect(msg).not.toContain('\n');
    });
  }
});

describe('config files of earlier versions', () => {
  it('version 1 is read with the time grid, the learning rate and the rule count where they live now', () => {
    const v1 = { task: 'go', model: 'rnn', steps: 5, lr: 0.01, nRules: 24, rnn: { hidden: 32, dt: 10, tau: 50, sigmaX: 0.02, activation: 'relu' }, reservoir: { hidden: 256 } };
    const c = normalizeConfig(upgradeStoredConfig(v1));
    expect(c.stimulus).toEqual({ dt: 10, tau: 50, sigmaX: 0.02, nRules: 24 });
    expect(c.rnn).toMatchObject({ hidden: 32, lr: 0.01, activation: 'relu' });
    expect(c.rnn).not.toHaveProperty('tau');
    expect(c.reservoir).toBeUndefined();
  });

  it('version 2 loses the RNN\'s own tau where it equals the run\'s, and is refused with a sentence where not', () => {
    const v2 = { configVersion: 2, task: 'go', stimulus: { dt: 20, tau: 100, sigmaX: 0.01, nRules: 20 }, rnn: { hidden: 32, tau: 100 } };
    const c = normalizeConfig(upgradeStoredConfig(v2));
    expect(c.configVersion).toBe(3);
    expect(c.rnn).not.toHaveProperty('tau');
    expect(c.stimulus.tau).toBe(100);
    expect(() => normalizeConfig(upgradeStoredConfig({ ...v2, rnn: { hidden: 32, tau: 50 } }))).toThrow(/unknown key "tau" in "rnn"; since config version 3 it is "stimulus.tau"/);
  });
});

describe('command-line flags come from one table', () => {
  it('routes --hidden to the chosen model and turns --trials into steps with the batch the run will use', () => {
    expect(applyFlags({}, { hidden: 64 })).toEqual({ rnn: { hidden: 64 } });
    expect(applyFlags({ model: 'reservoir' }, { hidden: 64 })).toEqual({ model: 'reservoir', reservoir: { hidden: 64 } });
    expect(applyFlags({ batch: 32 }, { trials: 100 })).toEqual({ batch: 32, steps: 4 });
    expect(applyFlags({}, { trials: 100 })).toEqual({ steps: 2 });
    expect(applyFlags({ rnn: { hidden: 8, activation: 'relu' } }, { lr: 0.1 })).toEqual({ rnn: { hidden: 8, activation: 'relu', lr: 0.1 } });
  });

  it('shows every default in the help text, read from the schemas', () => {
    expect(flagHelp(trainFlags.find((f) => f.path === 'batch')!)).toBe('trials per step (default: 64)');
    expect(flagHelp(trainFlags.find((f) => f.path === 'steps')!)).toBe('training steps (default: 2000; reservoir: 25)');
    expect(flagHelp(trainFlags.find((f) => f.path === 'rnn.lr')!)).toBe('Adam learning rate [rnn] (default: 0.001)');
  });
});
