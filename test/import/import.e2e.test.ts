/**
 * Bring your own network: a leaky RNN trained in PyTorch (scripts/pytorch/export_for_import.py) or,
 * where Python with torch is missing, one trained here and written from JavaScript, saved as
 * safetensors and npz (weights) and npz and HDF5 (its activity, noise off, on infoscope's probe
 * batch). Imported, the network's forward pass reproduces the activity to float32 precision, and the
 * probes on the imported activity and on the imported network agree.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { root, tempDir } from '../helpers.js';
import { writeHdf5, writeNpz, writeSafetensors } from './writers.js';

const python = process.env.INFOSCOPE_PYTORCH ?? 'python3';
const hasTorch = spawnSync(python, ['-c', 'import torch, safetensors, h5py'], { encoding: 'utf8' }).status === 0;

describe(`import (${hasTorch ? `files from PyTorch, ${python}` : 'files written from JavaScript: no Python with torch, safetensors and h5py'})`, () => {
  const dir = tempDir();
  const out = join(dir, 'runs');
  let T = 0;
  let B = 0;
  let reference: Float32Array;
  let batch: import('../../tasks/types.js').TrialBatch;

  beforeAll(async () => {
    const { initBackend } = await import('../../src/engine/backend.js');
    await initBackend('auto');
    const { normalizeConfig } = await import('../../src/config/normalize.js');
    const { layoutFor, probeBatch } = await import('../../src/engine/setup.js');
    const { encodeNpy } = await import('../../src/runfolder/npy.js');
    // infoscope's probe batch for Go: what the imported network is run on, and what the activity was recorded on
    const config = normalizeConfig({ task: 'go', seed: 1 });
    batch = probeBatch(config, layoutFor(config));
    ({ T, B } = batch);
    writeFileSync(join(dir, 'x.npy'), encodeNpy(batch.x, [T, B, batch.nIn]));
    writeFileSync(join(dir, 'labels.npy'), encodeNpy(batch.dirIndex, [B]));
    writeFileSync(join(dir, 'directions.npy'), encodeNpy(batch.stimDir, [B]));
    if (hasTorch) {
      const r = spawnSync(python, [join(root, 'scripts/pytorch/export_for_import.py'), '--dir', dir], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
      if (r.status !== 0) throw new Error(r.stderr);
    } else {
      const { train } = await import('../../src/engine/train.js');
      const { readCheckpoint } = await import('../../src/runfolder/checkpoints.js');
      const { runPaths } = await import('../../src/runfolder/paths.js');
      const { buildModel } = await import('../../src/engine/setup.js');
      const run = await train({ task: 'go', steps: 30, rnn: { hidden: 32 }, probeEvery: 0, out: join(dir, 'trained') }, { report: false });
      const state = readCheckpoint(runPaths(run.dir), 30).model;
      const a = state.arrays as Record<string, Float32Array>;
      const shapes: Record<string, number[]> = { w_in: [85, 32], w_rec: [32, 32], b: [32], w_out: [32, 33], b_out: [33] };
      const named = { w_in: a.wIn, w_rec: a.wRec, b: a.b, w_out: a.wOut, b_out: a.bOut };
      writeSafetensors(join(dir, 'weights.safetensors'), Object.fromEntries(Object.entries(named).map(([k, v]) => [k, { data: v, shape: shapes[k] }])));
      writeNpz(join(dir, 'weights.npz'), Object.fromEntries(Object.entries(named).map(([k, v]) => [k, { data: v, shape: shapes[k] }])), false);
      const nc = normalizeConfig({ task: 'go', seed: 1, rnn: { hidden: 32, sigmaRec: 0 } });
      const model = buildModel(nc, layoutFor(nc));
      model.importState(state);
      const hidden = model.run(batch, null).hidden;
      writeNpz(join(dir, 'activity.npz'), { hidden: { data: hidden, shape: [T, B, 32] } });
      await writeHdf5(join(dir, 'activity.h5'), 'net/hidden', { data: hidden, shape: [T, B, 32] });
    }
    const { decodeNpy } = await import('../../src/runfolder/npy.js');
    void decodeNpy;
    const { readArrayFile } = await import('../../src/import/formats.js');
    reference = (await readArrayFile(join(dir, 'activity.npz'), 'hidden')).data as Float32Array;
  }, 180_000);

  const manifest = (name: string, m: unknown) => {
    const p = join(dir, `${name}.json`);
    writeFileSync(p, JSON.stringify(m));
    return p;
  };
  const weightsManifest = (file: string) => ({ name: `w-${file.replace(/\W/g, '')}`, weights: { checkpoints: [{ step: 30, file }], alpha: 0.2, activation: 'softplus', sigmaRec: 0, task: 'go' } });
  const activityManifest = (file: string, array: string) => ({ name: `a-${file.replace(/\W/g, '')}`, activity: { hidden: { file, array }, labels: { file: 'labels.npy' }, directions: { file: 'directions.npy' }, epochs: batch.epochs } });

  it('the imported network reproduces the recorded activity to float32 precision (safetensors and npz alike)', async () => {
    const { specFromManifest } = await import('../../src/import/manifest.js');
    const { importRun } = await import('../../src/import/importRun.js');
    const { readCheckpoint } = await import('../../src/runfolder/checkpoints.js');
    const { runPaths } = await import('../../src/runfolder/paths.js');
    const { readConfig } = await import('../../src/runfolder/runFolder.js');
    const { buildModel, layoutFor } = await import('../../src/engine/setup.js');
    const runs = [];
    for (const file of ['weights.safetensors', 'weights.npz']) runs.push((await importRun(await specFromManifest(manifest(file, weightsManifest(file)), out))).dir);
    const states = runs.map((d) => readCheckpoint(runPaths(d), 30).model);
    expect(states[1].arrays.wRec).toEqual(states[0].arrays.wRec);
    const config = readConfig(runPaths(runs[0]));
    expect(config.rnn).toMatchObject({ hidden: 32, activation: 'softplus', sigmaRec: 0 });
    const model = buildModel(config, layoutFor(config));
    model.importState(states[0]);
    const h = model.run(batch, null).hidden;
    let worst = 0;
    let scale = 0;
    for (let i = 0; i < h.length; i++) {
      worst = Math.max(worst, Math.abs(h[i] - reference[i]));
      scale = Math.max(scale, Math.abs(reference[i]));
    }
    // float32 products in a different order over 100 steps: relative differences of a few ulps, far below 1e-4
    expect(worst / scale).toBeLessThan(hasTorch ? 1e-4 : 1e-7);
  }, 120_000);

  it('probes on the imported activity (npz and HDF5) agree with probes on the imported network, and the reports render', async () => {
    const { specFromManifest } = await import('../../src/import/manifest.js');
    const { importRun } = await import('../../src/import/importRun.js');
    const { probeRun } = await import('../../src/engine/posthoc.js');
    const { readProbes } = await import('../../src/runfolder/runFolder.js');
    const { runPaths } = await import('../../src/runfolder/paths.js');
    const { writeReport } = await import('../../src/charts/report.js');
    const net = (await importRun(await specFromManifest(manifest('wnet', { ...weightsManifest('weights.safetensors'), name: 'net' }), out))).dir;
    const acts = [];
    for (const [file, array] of [['activity.npz', 'hidden'], ['activity.h5', 'net/hidden']] as const) acts.push((await importRun(await specFromManifest(manifest(`act-${file}`, activityManifest(file, array)), out))).dir);
    for (const d of [net, ...acts]) await probeRun(d, { hooks: ['layer'], estimators: ['decoder'] });
    const curve = (d: string) =>
      readProbes(runPaths(d))
        .filter((r) => r.hook === 'layer' && r.estimator === 'decoder' && r.quantity === 'I(S;H)')
        .map((r) => [r.t, r.value, r.reliability]);
    const fromNet = curve(net);
    expect(fromNet.length).toBe(T);
    // the two files hold the same numbers: identical records
    expect(curve(acts[1])).toEqual(curve(acts[0]));
    const fromActivity = curve(acts[0]);
    if (!hasTorch) expect(fromActivity).toEqual(fromNet);
    else for (let t = 0; t < T; t++) expect(Math.abs((fromActivity[t][1] as number) - (fromNet[t][1] as number)), `t = ${t}`).toBeLessThan(0.05);
    const r = await writeReport(acts[0], false);
    expect(existsSync(r.report)).toBe(true);
    expect(r.charts).toContain('layer-mi');
    // compare takes imported runs as it takes trained ones: overlaid, and as groups across "seeds"
    const { compareRuns } = await import('../../src/charts/compare.js');
    const { compareGroups } = await import('../../src/charts/compareGroups.js');
    const c = await compareRuns(acts, join(dir, 'cmp'));
    expect(existsSync(c.report)).toBe(true);
    const g = await compareGroups([{ label: 'npz', dirs: [acts[0]] }, { label: 'h5', dirs: [acts[1]] }], join(dir, 'cmp-groups'), { report: false });
    expect(g.summary.settings.map((x) => x.label)).toEqual(['npz', 'h5']);
    // nothing but complete run folders in the output folder
    expect(readdirSync(out).filter((f) => f.startsWith('.import-'))).toEqual([]);
  }, 240_000);
});
