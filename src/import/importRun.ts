/**
 * `importRun`: a run folder from outside data, typed arrays in (the library API; the CLI's manifest
 * reader fills the same shape). Two kinds (docs/import.md):
 *
 * - activity: hidden activity [T, B, N] per checkpoint, with the trials' labels and/or continuous
 *   directions (optionally inputs [T, B, nIn], outputs [T, B, nOut], epochs). The folder replays it
 *   through the `recorded` model, so every probe hook runs on it as on a probe batch of infoscope's.
 * - weights: a leaky RNN of infoscope's form (W_in [nIn, N], W_rec [N, N], b [N], W_out [N, nOut],
 *   b_out [nOut], alpha, activation, recurrent noise) per checkpoint. The folder has real
 *   checkpoints: `probe` runs infoscope's own probe batches through the network, `resume` trains on.
 *
 * Everything is checked before anything is written; the folder is written under a temporary name
 * and renamed when complete, so a refused or failed import leaves nothing behind.
 */
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { RECORDED_TASK } from '../../tasks/recorded.js';
import { normalizeConfig } from '../config/normalize.js';
import { UserError } from '../core/errors.js';
import { version } from '../engine/version.js';
import { buildModel, layoutFor } from '../engine/setup.js';
import { writeCheckpoint } from '../runfolder/checkpoints.js';
import { encodeNpy } from '../runfolder/npy.js';
import { ensureDir, runPaths } from '../runfolder/paths.js';
import { writeConfig, writeMeta, writeProbeBatchInfo } from '../runfolder/runFolder.js';
import type { Meta } from '../runfolder/schema.js';
import { checkActivity, checkWeights } from './checks.js';
import type { ActivityImport, ImportSpec, WeightsImport } from './types.js';

const PRE = 'import';

/** Probe classes for activity given directions only: this many equal sectors. */
const SECTORS = 8;

function metaFor(kind: 'activity' | 'weights', seed: number, source: string | undefined, model: Meta['model'], step: number): Meta {
  const now = new Date().toISOString();
  return {
    infoscope: version,
    backend: 'imported',
    backendPackage: 'none',
    node: process.version,
    cpu: `${cpus()[0]?.model ?? 'unknown'} x${cpus().length}`,
    platform: `${process.platform}-${process.arch}`,
    seed,
    model,
    startedAt: now,
    endedAt: now,
    status: 'completed',
    step,
    totalSteps: step,
    stopReason: 'imported',
    message: `imported ${kind}${source ? ` from ${source}` : ''}`,
    wallSeconds: 0,
    timing: { train_s: 0, eval_s: 0, probe_s: 0, checkpoint_s: 0 },
    resumes: [],
    imported: { kind, source: source ?? null, at: now },
  };
}

export async function importRun(spec: ImportSpec): Promise<{ dir: string }> {
  if (!spec.activity === !spec.weights) throw new UserError(`${PRE}: give either activity or weights (import twice for both)`);
  const seed = spec.seed ?? 1;
  ensureDir(spec.out);
  const tmp = mkdtempSync(join(spec.out, '.import-'));
  try {
    const paths = runPaths(tmp);
    const name = spec.name ?? (spec.activity ? 'imported-activity' : 'imported-network');
    if (spec.activity) writeActivity(paths, spec.activity, seed, name, spec.source);
    else writeWeights(paths, spec.weights as WeightsImport, seed, name, spec.source);
    writeFileSync(paths.metrics, '');
    const { createRunFolder } = await import('../runfolder/paths.js');
    // the final name is reserved by creating it, then replaced by the complete folder
    const final = createRunFolder(spec.out, name);
    rmSync(final.dir, { recursive: true, force: true });
    renameSync(tmp, final.dir);
    return { dir: final.dir };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

function writeActivity(paths: ReturnType<typeof runPaths>, a: ActivityImport, seed: number, name: string, source?: string): void {
  checkActivity(a);
  const labels = a.labels ?? sectorLabels(a.directions as Float64Array);
  const classes = new Set(labels).size;
  const config = normalizeConfig({
    name,
    seed,
    task: RECORDED_TASK,
    model: 'recorded',
    recorded: { hidden: a.N, outputs: a.outputs ? (a.nOut as number) : 0, time: a.T, trials: a.B },
    out: paths.dir,
    probeTrials: Math.max(16, a.B),
    probeDirections: Math.min(64, Math.max(2, classes)),
    probeSampling: a.directions ? 'continuous' : 'grid',
    stimulus: { dt: a.dt ?? 20, tau: 5 * (a.dt ?? 20) },
    probes: a.outputs
      ? [{ hook: 'layer', estimators: ['decoder', 'kde-upper'] }, { hook: 'neuron' }, { hook: 'infoplane' }]
      : [{ hook: 'layer', estimators: ['decoder'] }, { hook: 'neuron', estimators: a.directions ? ['binning', 'mixed', 'direction'] : ['binning', 'mixed'] }],
  });
  writeConfig(paths, config);
  ensureDir(join(paths.dir, 'recorded'), 'recorded-trials folder');
  const rec = join(paths.dir, 'recorded');
  writeFileSync(join(rec, 'labels.npy'), encodeNpy(labels, [a.B]));
  if (a.directions) writeFileSync(join(rec, 'directions.npy'), encodeNpy(a.directions, [a.B]));
  if (a.inputs) writeFileSync(join(rec, 'inputs.npy'), encodeNpy(a.inputs, [a.T, a.B, a.nIn as number]));
  const epochs = a.epochs ?? { trial: [0, a.T] };
  writeProbeBatchInfo(paths, { task: RECORDED_TASK, T: a.T, trials: a.B, directions: classes, dt: a.dt ?? 20, goStep: epochs.go1?.[0] ?? a.T, epochs });
  const nOut = a.outputs ? (a.nOut as number) : 1;
  a.hidden.forEach((h, i) => {
    const output = a.outputs ? a.outputs[i].data : new Float32Array(a.T * a.B * nOut);
    writeCheckpoint(paths, h.step, { kind: 'recorded', scalars: { hidden: a.N, time: a.T, trials: a.B }, arrays: { hidden: h.data, output } }, seed, 'imported');
  });
  writeMeta(paths, metaFor('activity', seed, source, { kind: 'recorded', units: a.N }, a.hidden[a.hidden.length - 1].step));
}

/** Classes from continuous directions: SECTORS equal sectors of the circle, the first centred on 0. */
function sectorLabels(dirs: Float64Array): Int32Array {
  return Int32Array.from(dirs, (d) => {
    const w = (((d / (2 * Math.PI)) * SECTORS + 0.5) % SECTORS + SECTORS) % SECTORS;
    return Math.floor(w);
  });
}

function writeWeights(paths: ReturnType<typeof runPaths>, w: WeightsImport, seed: number, name: string, source?: string): void {
  const dt = w.dt ?? 20;
  const config = normalizeConfig({
    name,
    seed,
    task: w.task,
    model: 'rnn',
    rnn: { hidden: w.N, activation: w.activation, sigmaRec: w.sigmaRec },
    stimulus: { dt, tau: dt / w.alpha },
    out: paths.dir,
  });
  checkWeights(w, config);
  writeConfig(paths, config);
  const layout = layoutFor(config);
  const model = buildModel(config, layout);
  const base = model.exportState();
  for (const c of w.checkpoints) {
    const arrays: Record<string, Float32Array | Float64Array> = { ...base.arrays, wIn: c.wIn, wRec: c.wRec, b: c.b, wOut: c.wOut, bOut: c.bOut };
    for (const [k, v] of Object.entries(arrays)) if (k.startsWith('adam.')) arrays[k] = new Float32Array(v.length);
    model.importState({ ...base, arrays, scalars: { ...base.scalars, adamStep: 0 } });
    writeCheckpoint(paths, c.step, model.exportState(), seed, 'imported');
  }
  model.dispose();
  writeMeta(paths, metaFor('weights', seed, source, { kind: 'rnn', activation: w.activation, units: w.N }, w.checkpoints[w.checkpoints.length - 1].step));
}
