/**
 * The manifest of `infoscope import` (JSON or YAML; docs/import.md): which file and array is what,
 * the axis order of each array, and what the network is. Read once, checked against the arrays'
 * shapes, turned into the typed arrays importRun takes.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { activations } from '../../models/rnn/activations.js';
import { describeIssue } from '../config/normalize.js';
import { UserError } from '../core/errors.js';
import { type LoadedArray, readArrayFile } from './formats.js';
import type { ActivityImport, ImportSpec, WeightsImport } from './types.js';

const AXES = ['checkpoint', 'time', 'trial', 'unit', 'input', 'output'] as const;
type Axis = (typeof AXES)[number];

const ref = (axes: Axis[] = []) =>
  z.strictObject({
    file: z.string().min(1).describe('the file, relative to the manifest'),
    array: z.string().min(1).optional().describe('the array in it (npz member, HDF5 dataset path, safetensors tensor); a .npy file is one array'),
    axes: z.array(z.enum(AXES)).default(axes).describe("the meaning of each axis, in the file's order"),
  });

const manifestSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/).optional(),
  seed: z.number().int().min(0).optional(),
  dt: z.number().positive().default(20).describe('time step of the recording or the network, ms'),
  activity: z
    .strictObject({
      hidden: ref(['time', 'trial', 'unit']),
      steps: z.array(z.number().int().min(0)).optional().describe('training step of each checkpoint, where hidden has a checkpoint axis'),
      outputs: ref(['time', 'trial', 'output']).optional(),
      inputs: ref(['time', 'trial', 'input']).optional(),
      labels: ref().optional(),
      directions: ref().optional(),
      epochs: z.record(z.string(), z.tuple([z.number().int(), z.number().int()])).optional(),
    })
    .optional(),
  weights: z
    .strictObject({
      checkpoints: z.array(z.strictObject({ step: z.number().int().min(0), file: z.string().min(1) })).min(1),
      names: z
        .strictObject({
          wIn: z.string().default('w_in'),
          wRec: z.string().default('w_rec'),
          b: z.union([z.string(), z.array(z.string()).min(1)]).default('b').describe('bias, or several summed (PyTorch: bias_ih and bias_hh)'),
          wOut: z.string().default('w_out'),
          bOut: z.string().default('b_out'),
        })
        .default({ wIn: 'w_in', wRec: 'w_rec', b: 'b', wOut: 'w_out', bOut: 'b_out' }),
      layout: z.enum(['infoscope', 'torch']).default('infoscope').describe('infoscope: x W_in, r W_rec, r W_out; torch: matrices stored [out, in] (nn.Linear, nn.RNN), transposed on import'),
      alpha: z.number().describe('dt / tau'),
      activation: z.enum(activations),
      sigmaRec: z.number().min(0).default(0),
      task: z.union([z.string(), z.array(z.string())]).default('go').describe("the infoscope task(s) whose probe batches the network is run on"),
    })
    .optional(),
});
type Manifest = z.output<typeof manifestSchema>;
type Ref = { file: string; array?: string; axes?: string[] };

async function parseManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the manifest ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let raw: unknown;
  try {
    raw = /\.ya?ml$/i.test(path) ? (await import('yaml')).parse(text) : JSON.parse(text);
  } catch (e) {
    throw new UserError(`the manifest ${path} is not valid ${/\.ya?ml$/i.test(path) ? 'YAML' : 'JSON'} (${(e as Error).message.split('\n')[0]})`);
  }
  const r = manifestSchema.safeParse(raw ?? {});
  if (!r.success) throw new UserError(describeIssue(r.error.issues[0], raw).replace(/^invalid config/, `invalid manifest ${path}`));
  return r.data;
}

/** The array in C order with its axes permuted into `want` (names), each present once. */
function permute(a: LoadedArray, have: string[], want: string[], what: string): { data: Float32Array; shape: number[] } {
  if (a.shape.length !== have.length) throw new UserError(`import: ${what} has ${a.shape.length} dimensions [${a.shape.join(', ')}], the manifest names ${have.length} axes (${have.join(', ')})`);
  for (const w of want) if (!have.includes(w)) throw new UserError(`import: ${what} needs a "${w}" axis; the manifest names ${have.join(', ')}`);
  if (new Set(have).size !== have.length) throw new UserError(`import: ${what} names an axis twice (${have.join(', ')})`);
  const order = want.map((w) => have.indexOf(w));
  const shape = order.map((i) => a.shape[i]);
  const strides = have.map((_, i) => a.shape.slice(i + 1).reduce((x, y) => x * y, 1));
  const out = new Float32Array(a.data.length);
  const idx = new Array<number>(want.length).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < want.length; k++) src += idx[k] * strides[order[k]];
    out[o] = a.data[src];
    for (let k = want.length - 1; k >= 0; k--) {
      if (++idx[k] < shape[k]) break;
      idx[k] = 0;
    }
  }
  return { data: out, shape };
}

async function load(base: string, r: Ref): Promise<LoadedArray> {
  return readArrayFile(resolve(base, r.file), r.array);
}

const label = (r: Ref) => `${r.file}${r.array ? `, array "${r.array}"` : ''}`;

async function activityOf(base: string, m: NonNullable<Manifest['activity']>, dt: number): Promise<ActivityImport> {
  const h = await load(base, m.hidden);
  const axes = m.hidden.axes ?? [];
  const hasCk = axes.includes('checkpoint');
  const hid = permute(h, axes, hasCk ? ['checkpoint', 'time', 'trial', 'unit'] : ['time', 'trial', 'unit'], label(m.hidden));
  const [C, T, B, N] = hasCk ? hid.shape : [1, ...hid.shape];
  const steps = m.steps ?? (hasCk ? Array.from({ length: C }, (_, i) => i) : [0]);
  if (steps.length !== C) throw new UserError(`import: ${label(m.hidden)} has ${C} checkpoints, "steps" lists ${steps.length}`);
  const per = T * B * N;
  const hidden = steps.map((step, i) => ({ step, data: hid.data.slice(i * per, (i + 1) * per) }));
  const out: ActivityImport = { hidden, T, B, N, dt };
  if (m.outputs) {
    const o = await load(base, m.outputs);
    const oa = m.outputs.axes ?? [];
    const p = permute(o, oa, oa.includes('checkpoint') ? ['checkpoint', 'time', 'trial', 'output'] : ['time', 'trial', 'output'], label(m.outputs));
    const nOut = p.shape[p.shape.length - 1];
    const perO = T * B * nOut;
    if (p.data.length !== C * perO) throw new UserError(`import: ${label(m.outputs)} has shape [${o.shape.join(', ')}]; with ${C} checkpoints, ${T} steps and ${B} trials it needs ${C} x ${T} x ${B} x outputs: check its axes`);
    out.outputs = steps.map((step, i) => ({ step, data: p.data.slice(i * perO, (i + 1) * perO) }));
    out.nOut = nOut;
  }
  if (m.inputs) {
    const p = permute(await load(base, m.inputs), m.inputs.axes ?? [], ['time', 'trial', 'input'], label(m.inputs));
    out.inputs = p.data;
    out.nIn = p.shape[2];
    if (p.shape[0] !== T || p.shape[1] !== B) throw new UserError(`import: ${label(m.inputs)} is [time, trial] = [${p.shape[0]}, ${p.shape[1]}], hidden [${T}, ${B}]: check the axes`);
  }
  if (m.labels) {
    const l = await load(base, m.labels);
    if (l.shape.length !== 1) throw new UserError(`import: ${label(m.labels)} must be one label per trial, got shape [${l.shape.join(', ')}]`);
    if (Array.from(l.data).some((v) => !Number.isInteger(v))) throw new UserError(`import: ${label(m.labels)} holds a value that is not an integer class`);
    out.labels = Int32Array.from(l.data);
  }
  if (m.directions) {
    const d = await load(base, m.directions);
    if (d.shape.length !== 1) throw new UserError(`import: ${label(m.directions)} must be one direction per trial, got shape [${d.shape.join(', ')}]`);
    out.directions = Float64Array.from(d.data);
  }
  if (m.epochs) out.epochs = m.epochs;
  return out;
}

/** Matrices of the torch layout ([out, in]) transposed to infoscope's ([in, out]). */
function transpose(a: LoadedArray): Float32Array {
  const [r, c] = a.shape;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = a.data[i * c + j];
  return out;
}

async function weightsOf(base: string, m: NonNullable<Manifest['weights']>, dt: number): Promise<WeightsImport> {
  const torch = m.layout === 'torch';
  let dims: { nIn: number; N: number; nOut: number } | null = null;
  const checkpoints = [];
  for (const c of m.checkpoints) {
    const get = (name: string) => load(base, { file: c.file, array: name });
    const matrix = async (name: string) => {
      const a = await get(name);
      if (a.shape.length !== 2) throw new UserError(`import: ${c.file}, array "${name}" has shape [${a.shape.join(', ')}]; a weight matrix has two axes`);
      return { data: torch ? transpose(a) : Float32Array.from(a.data), shape: torch ? [a.shape[1], a.shape[0]] : a.shape };
    };
    const [wIn, wRec, wOut] = [await matrix(m.names.wIn), await matrix(m.names.wRec), await matrix(m.names.wOut)];
    const bNames = Array.isArray(m.names.b) ? m.names.b : [m.names.b];
    const parts = await Promise.all(bNames.map(get));
    const b = new Float32Array(parts[0].data.length);
    for (const p of parts) {
      if (p.data.length !== b.length) throw new UserError(`import: ${c.file}: the biases ${bNames.join(', ')} differ in length`);
      for (let i = 0; i < b.length; i++) b[i] += p.data[i];
    }
    const bOut = Float32Array.from((await get(m.names.bOut)).data);
    const d = { nIn: wIn.shape[0], N: wRec.shape[0], nOut: wOut.shape[1] };
    if (wRec.shape[1] !== d.N || wIn.shape[1] !== d.N || wOut.shape[0] !== d.N) throw new UserError(`import: ${c.file}: W_in [${wIn.shape}], W_rec [${wRec.shape}] and W_out [${wOut.shape}] do not share one unit count${torch ? '' : ' (PyTorch stores matrices [out, in]: set "layout": "torch")'}`);
    if (dims && (dims.N !== d.N || dims.nIn !== d.nIn || dims.nOut !== d.nOut)) throw new UserError(`import: ${c.file} has other sizes than the checkpoints before it`);
    dims = d;
    checkpoints.push({ step: c.step, wIn: wIn.data, wRec: wRec.data, b, wOut: wOut.data, bOut });
  }
  const dd = dims as { nIn: number; N: number; nOut: number };
  return { checkpoints, ...dd, alpha: m.alpha, activation: m.activation, sigmaRec: m.sigmaRec, task: m.task, dt };
}

/** The import spec a manifest describes, every array read and checked against it. */
export async function specFromManifest(path: string, out: string): Promise<ImportSpec> {
  const m = await parseManifest(path);
  const base = dirname(resolve(path));
  if (!m.activity === !m.weights) throw new UserError(`invalid manifest ${path}: give either "activity" or "weights" (import twice for both)`);
  return {
    out,
    ...(m.name ? { name: m.name } : {}),
    ...(m.seed !== undefined ? { seed: m.seed } : {}),
    source: resolve(path),
    ...(m.activity ? { activity: await activityOf(base, m.activity, m.dt) } : {}),
    ...(m.weights ? { weights: await weightsOf(base, m.weights, m.dt) } : {}),
  };
}
