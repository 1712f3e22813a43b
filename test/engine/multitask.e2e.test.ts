/** One network, several tasks: it learns, its probes cover each task and which task it is doing, its charts show them. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers.js';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('multi-task training', () => {
  it('learns: the loss falls and perf rises on several tasks (Go, Anti, DM 1, DMS; 64 units, 600 steps)', async () => {
    const { train } = await import('../../src/engine/train.js');
    const { readMetrics } = await import('../../src/runfolder/runFolder.js');
    const { runPaths } = await import('../../src/runfolder/paths.js');
    const r = await train({ task: ['go', 'antigo', 'dm1', 'dms'], steps: 600, evalEvery: 100, probeEvery: 0, rnn: { hidden: 64 }, seed: 1, out: tempDir() }, { report: false });
    const m = readMetrics(runPaths(r.dir));
    // every task drawn about a quarter of the steps
    const counts = new Map<string, number>();
    for (const l of m) counts.set(l.task, (counts.get(l.task) ?? 0) + 1);
    for (const t of ['go', 'antigo', 'dm1', 'dms']) expect(counts.get(t)).toBeGreaterThan(110);
    const loss = m.map((l) => l.loss as number);
    expect(mean(loss.slice(-100))).toBeLessThan(0.7 * mean(loss.slice(0, 100)));
    const evals = m.filter((l) => l.perf_by_task);
    const first = evals[0].perf_by_task as Record<string, number>;
    const last = evals[evals.length - 1].perf_by_task as Record<string, number>;
    const rose = Object.keys(first).filter((t) => last[t] >= first[t] + 0.2);
    expect(rose.length, JSON.stringify({ first, last })).toBeGreaterThanOrEqual(2);
    expect(evals[evals.length - 1].perf_min).toBe(Math.min(...Object.values(last)));
  }, 120_000);

  it('probes every task on its own batch, measures I(rule; H_t) across them, and draws per-task charts', async () => {
    const { train } = await import('../../src/engine/train.js');
    const { readProbes } = await import('../../src/runfolder/runFolder.js');
    const { runPaths } = await import('../../src/runfolder/paths.js');
    const { loadRun } = await import('../../src/runfolder/loadRun.js');
    const { runCharts } = await import('../../src/charts/runCharts.js');
    const tasks = ['go', 'dm1', 'dms'];
    const r = await train({ task: tasks, steps: 2, probeEvery: 2, probeTrials: 64, probeThread: 'main', rnn: { hidden: 32 }, probes: [{ hook: 'layer', estimators: ['decoder'] }, { hook: 'neuron', estimators: ['binning'] }, { hook: 'rule' }], out: tempDir() }, { report: false });
    const recs = readProbes(runPaths(r.dir));
    for (const t of tasks) {
      const mine = recs.filter((x) => x.task === t && x.hook === 'layer' && x.quantity === 'I(S;H)' && x.step === 2);
      // each task's own time grid: Go test trials last 100 steps, DM 1 125, DMS 135
      expect(mine.length, t).toBe({ go: 100, dm1: 125, dms: 135 }[t]);
    }
    const rule = recs.filter((x) => x.hook === 'rule' && x.step === 2);
    expect(rule.length).toBe(25);
    expect(Math.max(...rule.map((x) => x.t as number))).toBeLessThan(100);
    expect(rule.every((x) => x.task === undefined && x.quantity === 'I(rule;H)' && x.ceiling !== undefined && Math.abs((x.ceiling as number) - Math.log(3)) < 1e-9)).toBe(true);
    // the rule input itself reaches the layer: the task is decodable after the first steps
    expect(rule.filter((x) => (x.t as number) >= 5).every((x) => (x.value as number) > 0.5 * Math.log(3))).toBe(true);
    const arrays = readdirSync(join(r.dir, 'arrays'));
    for (const t of tasks) expect(arrays.some((a) => a.startsWith(`step-2-${t}--neuron-binning`))).toBe(true);
    const run = loadRun(r.dir);
    expect(run.neurons.map((n) => n.task)).toEqual(['go']);
    const names = runCharts(run).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['perf-by-task', 'layer-mi-by-task', 'rule-mi', 'layer-mi', 'neuron-mi-binning']));
    expect(run.probeBatch?.byTask && Object.keys(run.probeBatch.byTask)).toEqual(tasks);
  }, 120_000);

  it('the reservoir trains on several tasks: one readout, perf per task', async () => {
    const { train } = await import('../../src/engine/train.js');
    const { readMetrics } = await import('../../src/runfolder/runFolder.js');
    const { runPaths } = await import('../../src/runfolder/paths.js');
    const r = await train({ task: ['go', 'antigo', 'dm1'], model: 'reservoir', steps: 25, evalEvery: 25, probeEvery: 0, out: tempDir() }, { report: false });
    const last = readMetrics(runPaths(r.dir)).filter((l) => l.perf_by_task).pop();
    expect(Object.keys(last?.perf_by_task ?? {})).toEqual(['go', 'antigo', 'dm1']);
    // Go and Anti from one readout, told apart only by the rule input
    expect(last?.perf_by_task?.go).toBeGreaterThan(0.8);
    expect(last?.perf_by_task?.antigo).toBeGreaterThan(0.8);
    expect(existsSync(join(r.dir, 'report.html'))).toBe(false);
  }, 120_000);
});
