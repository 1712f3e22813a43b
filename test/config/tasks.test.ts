/** The run's tasks at the config's door: sets, weights, timing overrides, presets. */
import { describe, expect, it } from 'vitest';
import { applyFlags, trainFlags } from '../../src/config/flags.js';
import { normalizeConfig } from '../../src/config/normalize.js';
import { problem } from './problem.js';
import { TASK_SETS, PAPER_TASK_WEIGHTS } from '../../tasks/sets.js';


describe('tasks in a config', () => {
  it('expands sets to lists and gives every task the paper\'s weight (Ctx DM 1 and 2 at 5)', () => {
    const c = normalizeConfig({ task: 'all' });
    expect(c.task).toEqual(TASK_SETS.all);
    expect(c.task).toHaveLength(20);
    expect(c.taskWeights.ctxdm1).toBe(PAPER_TASK_WEIGHTS.ctxdm1);
    expect(c.taskWeights.ctxdm1).toBe(5);
    expect(c.taskWeights.dms).toBe(1);
    expect(normalizeConfig({ task: ['go-family', 'dms'] }).task).toEqual([...TASK_SETS['go-family'], 'dms']);
    // a single task stays a single name
    expect(normalizeConfig({ task: 'dm1' }).task).toBe('dm1');
    expect(normalizeConfig({ task: ['dm1', 'dm2'], taskWeights: { dm2: 3 } }).taskWeights).toEqual({ dm1: 1, dm2: 3 });
  });

  it('a run with several tasks measures which task it is doing unless its probes are given', () => {
    expect(normalizeConfig({ task: ['go', 'dm1'] }).probes.map((p) => p.hook)).toEqual(['layer', 'neuron', 'infoplane', 'rule', 'clusters']);
    expect(normalizeConfig({ task: 'go' }).probes.map((p) => p.hook)).toEqual(['layer', 'neuron', 'infoplane']);
    expect(normalizeConfig({ task: ['go', 'dm1'], probes: [{ hook: 'layer' }] }).probes.map((p) => p.hook)).toEqual(['layer']);
  });

  it('refuses an unknown name (listing the known ones), a task twice, negative or all-zero weights, weights of other tasks', () => {
    expect(problem({ task: ['go', 'dm3'] })).toMatch(/unknown task "dm3"; known tasks: .*ctxdlydm1.*; sets: all, go-family, dm-family, match-family/);
    expect(problem({ task: ['go', 'go-family'] })).toMatch(/names "go" twice/);
    expect(problem({ task: ['go', 'dm1'], taskWeights: { dm1: -1 } })).toMatch(/"taskWeights.dm1" too small/);
    expect(problem({ task: ['go', 'dm1'], taskWeights: { go: 0, dm1: 0 } })).toMatch(/all zero/);
    expect(problem({ task: ['go', 'dm1'], taskWeights: { dms: 2 } })).toMatch(/"taskWeights" names "dms", which is not one of the run's tasks/);
  });

  it('refuses a timing override that makes an epoch negative or longer than the trial', () => {
    expect(problem({ task: 'dm1', timing: { dmTestGoMs: 3000 } })).toMatch(/"timing" breaks a trial of dm1 \(test\): epoch "stim1" \[25, 150\) lies outside the trial of 125 steps/);
    expect(problem({ task: ['go', 'dms'], timing: { matchTestStim1Ms: [500, 2400] } })).toMatch(/dms \(test\)/);
    expect(problem({ task: 'go', timing: { dmTestGoMs: 100 } })).toMatch(/unknown key "dmTestGoMs" in "timing"/);
  });
});

describe('preset yang2019', () => {
  it('is the paper\'s networks on all 20 tasks, with the full budget; suggested keys may be changed', () => {
    const c = normalizeConfig({ preset: 'yang2019' });
    expect(c).toMatchObject({ preset: 'yang2019', model: 'rnn', batch: 64, steps: 156_251, evalEvery: 500, evalBatches: 16, evalTrials: 32 });
    expect(c.task).toEqual(TASK_SETS.all);
    expect(c.rnn).toMatchObject({ hidden: 256, activation: 'softplus', recInit: 'diag', sigmaRec: 0.05, lr: 0.001, gradClip: 1 });
    expect(normalizeConfig({ preset: 'yang2019', steps: 2000 }).steps).toBe(2000);
    // giving a fixed key its preset value is no contradiction
    expect(normalizeConfig({ preset: 'yang2019', rnn: { activation: 'softplus' }, task: 'all' }).rnn?.activation).toBe('softplus');
  });

  it('refuses a flag that contradicts it, in one sentence', () => {
    expect(problem(applyFlags({ preset: 'yang2019' }, { activation: 'tanh' }, trainFlags))).toBe('invalid config: preset "yang2019" sets "rnn.activation" to "softplus", the config gives "tanh"; drop one of the two');
    expect(problem({ preset: 'yang2019', task: ['go'] })).toMatch(/sets "task" to "all"/);
    expect(problem({ preset: 'yang2019', model: 'reservoir' })).toMatch(/sets "model" to "rnn"/);
    expect(problem({ preset: 'nope' })).toMatch(/unknown preset "nope"; known presets: yang2019/);
    // `--task all` from the command line is the preset's own value
    expect(normalizeConfig(applyFlags({ preset: 'yang2019' }, { task: 'all' }, trainFlags)).task).toHaveLength(20);
  });
});
