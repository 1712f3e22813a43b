/** A short run with probes: probes.jsonl, arrays/*.npy, charts and report.html. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src/runfolder/npy.js';
import { readMeta, readProbes } from '../../src/runfolder/runFolder.js';
import { runPaths } from '../../src/runfolder/paths.js';
import { lastLine, runCli, tempDir } from '../helpers.js';

describe('a run with probes', () => {
  let dir = '';
  beforeAll(async () => {
    const out = tempDir();
    const r = await runCli(['train', '--steps', '20', '--probe-every', '10', '--hidden', '24', '--batch', '16', '--eval-every', '10', '--out', out, '--seed', '2', '--backend', 'wasm']);
    expect(r.code).toBe(0);
    dir = lastLine(r.stdout);
  });

  it('records probes at step 0, every probeEvery steps and at the end, with their parameters', () => {
    const recs = readProbes(runPaths(dir));
    expect([...new Set(recs.map((r) => r.step))]).toEqual([0, 10, 20]);
    expect(new Set(recs.map((r) => r.hook))).toEqual(new Set(['layer', 'neuron', 'infoplane']));
    expect(recs.every((r) => r.origin === 'train' && typeof r.params === 'object')).toBe(true);
    const meta = readMeta(runPaths(dir));
    expect(meta.timing.probe_s).toBeGreaterThan(0);
    expect(meta.timing.train_s).toBeGreaterThan(0);
  });

  it('writes per-neuron matrices numpy can load: [N, T] float32', () => {
    const files = readdirSync(join(dir, 'arrays'));
    expect(files).toContain('step-20-neuron-binning.npy');
    const { data, shape } = decodeNpy(readFileSync(join(dir, 'arrays', 'step-20-neuron-mixed.npy')));
    expect(shape).toEqual([24, 100]);
    expect(data).toBeInstanceOf(Float32Array);
    const peaks = decodeNpy(readFileSync(join(dir, 'arrays', 'step-20-neuron-mixed-peak.npy')));
    expect(peaks.shape).toEqual([24, 2]);
  });

  it('renders every chart as Vega-Lite, SVG and PNG with the expected marks', () => {
    const charts = join(dir, 'charts');
    for (const name of ['loss-perf', 'layer-mi', 'neuron-mi-binning', 'peak-times-mixed', 'infoplane']) {
      for (const ext of ['vl.json', 'svg', 'png']) expect(existsSync(join(charts, `${name}.${ext}`)), `${name}.${ext}`).toBe(true);
    }
    const svg = (n: string) => readFileSync(join(charts, `${n}.svg`), 'utf8');
    expect(svg('loss-perf')).toMatch(/role-mark.*mark-line/s);
    expect((svg('neuron-mi-binning').match(/mark-rect/g) ?? []).length).toBeGreaterThan(0);
    expect(svg('infoplane')).toMatch(/mark-symbol/);
    expect(svg('layer-mi')).toMatch(/time step/);
    const png = readFileSync(join(charts, 'infoplane.png'));
    expect(Array.from(png.subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const spec = JSON.parse(readFileSync(join(charts, 'layer-mi.vl.json'), 'utf8'));
    expect(JSON.stringify(spec)).toMatch(/noise variance 0.1/);
  });

  it('writes a self-contained report.html: summary table, every chart, no external URL', () => {
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/<th>final perf<\/th>/);
    expect(html).toMatch(/<th>backend<\/th><td>wasm/);
    expect((html.match(/<figure>/g) ?? []).length).toBeGreaterThanOrEqual(7);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?https?:/i);
  });

  it('`infoscope probe` appends post-hoc records tagged with their origin', async () => {
    const r = await runCli(['probe', dir, '--hooks', 'infoplane', '--checkpoints', 'last']);
    expect(r.code).toBe(0);
    const post = readProbes(runPaths(dir)).filter((x) => x.origin === 'posthoc');
    expect(post.map((x) => `${x.step} ${x.hook} ${x.quantity}`)).toEqual(['20 infoplane I(X;H)', '20 infoplane I(H;Y)']);
    // the same checkpoint and probe batch give the same numbers as during training
    const train = readProbes(runPaths(dir)).filter((x) => x.origin === 'train' && x.step === 20 && x.hook === 'infoplane');
    expect(post.map((x) => x.value)).toEqual(train.map((x) => x.value));
  });
});

describe('a probe that draws more trials while its numbers are unreliable', () => {
  it('doubles the fresh probe batch up to probeMaxTrials when the decoder cannot be trusted, and says how many it used', async () => {
    const { train } = await import('../../src/engine/train.js');
    const { readProbes } = await import('../../src/runfolder/runFolder.js');
    const { runPaths: paths } = await import('../../src/runfolder/paths.js');
    const base = { task: 'go', steps: 1, batch: 8, probeEvery: 1, rnn: { hidden: 16 }, backend: 'wasm' as const, threads: 1, probes: [{ hook: 'layer', estimators: ['decoder'] }] };
    // 32 trials of 8 directions leave 4 per class, fewer than the decoder's 5 folds: every record is 'unstable'
    const fixed = await train({ ...base, out: tempDir(), probeTrials: 32 }, { report: false });
    const used = (dir: string) => new Set(readProbes(paths(dir)).map((r) => r.params.trials));
    expect(used(fixed.dir)).toEqual(new Set([32]));
    const classRecords = (dir: string) => readProbes(paths(dir)).filter((r) => r.quantity === 'I(S;H)');
    expect(classRecords(fixed.dir).length).toBeGreaterThan(0);
    expect(classRecords(fixed.dir).every((r) => r.reliability === 'unstable')).toBe(true);
    const grown = await train({ ...base, out: tempDir(), probeTrials: 32, probeMaxTrials: 128 }, { report: false });
    const trials = [...used(grown.dir)] as number[];
    expect(trials.every((t) => t === 64 || t === 128)).toBe(true);
    expect(classRecords(grown.dir).filter((r) => r.reliability === 'unstable').length).toBeLessThan(classRecords(grown.dir).length);
  });
});
