/**
 * What `infoscope import` refuses: each refusal is one sentence naming the file or array and what is
 * wrong, and a refused import leaves nothing in the output folder (no run, no `.import-*` folder).
 * The files are written here from JavaScript in the formats NumPy and h5py write.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { importRun } from '../../src/import/importRun.js';
import { specFromManifest } from '../../src/import/manifest.js';
import { encodeNpy } from '../../src/runfolder/npy.js';
import { writeHdf5, writeNpz } from './writers.js';

const [T, B, N] = [5, 20, 4];

function activity(): Float32Array {
  const h = new Float32Array(T * B * N);
  for (let i = 0; i < h.length; i++) h[i] = Math.sin(0.37 * i);
  return h;
}
const labels = Int32Array.from({ length: B }, (_, i) => i % 2);

/** A folder with good files; `edit` may overwrite some before the manifest is read. */
function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'infoscope-import-refusal-'));
  writeFileSync(join(dir, 'hidden.npy'), encodeNpy(activity(), [T, B, N]));
  writeFileSync(join(dir, 'labels.npy'), encodeNpy(labels, [B]));
  return dir;
}

/** Runs the import and returns the refusal's message (fails the test when it succeeds). */
async function refusal(dir: string, activityPart: Record<string, unknown>): Promise<string> {
  const m = join(dir, 'manifest.json');
  writeFileSync(m, JSON.stringify({ activity: { hidden: { file: 'hidden.npy' }, labels: { file: 'labels.npy' }, ...activityPart } }));
  const out = join(dir, 'runs');
  let message = '';
  try {
    await importRun(await specFromManifest(m, out));
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    message = (e as Error).message;
  }
  expect(message, 'the import should have been refused').not.toBe('');
  expect(message.split('\n')).toHaveLength(1);
  let left: string[] = [];
  try {
    left = readdirSync(out);
  } catch {
    left = [];
  }
  expect(left).toEqual([]);
  return message;
}

describe('import refuses what does not fit, in one sentence, leaving nothing behind', () => {
  it('accepts the good folder (the baseline the refusals edit)', async () => {
    const dir = folder();
    const m = join(dir, 'manifest.json');
    writeFileSync(m, JSON.stringify({ activity: { hidden: { file: 'hidden.npy' }, labels: { file: 'labels.npy' } } }));
    const { dir: run } = await importRun(await specFromManifest(m, join(dir, 'runs')));
    expect(readdirSync(join(dir, 'runs'))).toEqual([run.split('/').pop()]);
  });

  it('activity saved [trial, time, unit] under the default axes: the trial count disagrees with the labels', async () => {
    const dir = folder();
    const h = activity();
    const swapped = new Float32Array(h.length);
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let n = 0; n < N; n++) swapped[(b * T + t) * N + n] = h[(t * B + b) * N + n];
    writeFileSync(join(dir, 'hidden.npy'), encodeNpy(swapped, [B, T, N]));
    expect(await refusal(dir, {})).toMatch(/labels: 20 entries but hidden has 5 trials: check the axis order/);
  });

  it('an axis list that does not match the array, or names an axis twice', async () => {
    const dir = folder();
    expect(await refusal(dir, { hidden: { file: 'hidden.npy', axes: ['time', 'unit'] } })).toMatch(/3 dimensions \[5, 20, 4\].*2 axes/);
    expect(await refusal(dir, { hidden: { file: 'hidden.npy', axes: ['time', 'trial', 'trial'] } })).toMatch(/needs a "unit" axis|names an axis twice/);
  });

  it('directions for another number of trials', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'dirs.npy'), encodeNpy(new Float64Array(B - 1), [B - 1]));
    expect(await refusal(dir, { directions: { file: 'dirs.npy' } })).toMatch(/directions: 19 entries but hidden has 20 trials/);
  });

  it('NaN in the activity, located by time, trial and unit', async () => {
    const dir = folder();
    const h = activity();
    h[(2 * B + 7) * N + 3] = Number.NaN;
    writeFileSync(join(dir, 'hidden.npy'), encodeNpy(h, [T, B, N]));
    expect(await refusal(dir, {})).toMatch(/NaN at \[time, trial, unit\] = \[2, 7, 3\]; activity must be finite/);
  });

  it('an unknown dtype (complex64), naming the file', async () => {
    const dir = folder();
    const good = encodeNpy(activity(), [T, B, N]);
    const text = new TextDecoder('latin1').decode(good);
    const bad = text.replace("'descr': '<f4'", "'descr': '<c8'");
    expect(bad).not.toBe(text);
    writeFileSync(join(dir, 'hidden.npy'), Buffer.from(bad, 'latin1'));
    expect(await refusal(dir, {})).toMatch(/^hidden\.npy: unsupported \.npy dtype <c8/);
  });

  it('a truncated file', async () => {
    const dir = folder();
    const bytes = readFileSync(join(dir, 'hidden.npy'));
    writeFileSync(join(dir, 'hidden.npy'), bytes.subarray(0, bytes.length - 13));
    expect(await refusal(dir, {})).toMatch(/^hidden\.npy: the \.npy file is truncated/);
  });

  it('a damaged member of a compressed npz (CRC-32 checked), and a member that is not there', async () => {
    const dir = folder();
    writeNpz(join(dir, 'act.npz'), { hidden: { data: activity(), shape: [T, B, N] } }, false);
    const bytes = new Uint8Array(readFileSync(join(dir, 'act.npz')));
    // a stored (level 0) member: flip one byte of its data, past the 128-byte npy header
    bytes[30 + 'hidden.npy'.length + 200] ^= 0x40;
    writeFileSync(join(dir, 'act.npz'), bytes);
    expect(await refusal(dir, { hidden: { file: 'act.npz', array: 'hidden' } })).toMatch(/^act\.npz, array "hidden": the archive member is damaged/);
    writeNpz(join(dir, 'act2.npz'), { hidden: { data: activity(), shape: [T, B, N] } }, true);
    const z = new Uint8Array(readFileSync(join(dir, 'act2.npz')));
    z[30 + 'hidden.npy'.length + 20] ^= 0xff;
    writeFileSync(join(dir, 'act2.npz'), z);
    expect(await refusal(dir, { hidden: { file: 'act2.npz', array: 'hidden' } })).toMatch(/^act2\.npz, array "hidden": the archive (member )?is damaged/);
    writeNpz(join(dir, 'act3.npz'), { h: { data: activity(), shape: [T, B, N] } });
    expect(await refusal(dir, { hidden: { file: 'act3.npz', array: 'hidden' } })).toMatch(/no such array in the archive \(it holds h\)/);
  });

  it('a missing HDF5 dataset names what the file holds', async () => {
    const dir = folder();
    await writeHdf5(join(dir, 'act.h5'), 'net/hidden', { data: activity(), shape: [T, B, N] });
    expect(await refusal(dir, { hidden: { file: 'act.h5', array: 'net/rates' } })).toMatch(/^act\.h5, array "net\/rates": no such dataset \(the file holds net\)/);
  });

  it('labels that are not classes, and a single class', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'l1.npy'), encodeNpy(new Float64Array(B).fill(0.5), [B]));
    expect(await refusal(dir, { labels: { file: 'l1.npy' } })).toMatch(/not an integer class/);
    writeFileSync(join(dir, 'l2.npy'), encodeNpy(new Int32Array(B), [B]));
    expect(await refusal(dir, { labels: { file: 'l2.npy' } })).toMatch(/a single class carries no information/);
  });

  it('a missing file names the path', async () => {
    const dir = folder();
    expect(await refusal(dir, { hidden: { file: 'nowhere.npy' } })).toMatch(/cannot read .*nowhere\.npy \(ENOENT\)/);
  });
});
