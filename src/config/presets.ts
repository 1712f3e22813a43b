/**
 * Named presets: a published setup in one word. A preset fixes what defines the setup (tasks, the
 * network, its training rule) and suggests a budget and schedule. A config that gives a fixed key a
 * different value contradicts the preset and is refused; the suggested keys are the user's to
 * change (a shorter run of the paper's networks is still the paper's networks).
 */
import { UserError } from '../core/errors.js';

interface Preset {
  /** One line: what the preset reproduces. */
  describe: string;
  /** Keys (dotted paths) a config may not contradict. */
  fixed: Record<string, unknown>;
  /** Defaults a config may override. */
  suggested: Record<string, unknown>;
}

/**
 * Yang, Joglekar, Song, Newsome & Wang (2019), the networks of the paper: all 20 tasks, softplus
 * units, W_rec = 0.5 I, sigma_rec 0.05, Adam lr 1e-3 with gradients clipped to +-1, batches of 64;
 * the full budget of 1e7 trials (156,251 steps) with perf evaluated every 500 steps on 16 x 32 trials.
 */
const yang2019: Preset = {
  describe: 'the networks of Yang et al. 2019: 20 tasks, 256 softplus units, W_rec = 0.5 I, 1e7 trials',
  fixed: {
    task: 'all',
    model: 'rnn',
    batch: 64,
    'rnn.hidden': 256,
    'rnn.activation': 'softplus',
    'rnn.recInit': 'diag',
    'rnn.sigmaRec': 0.05,
    'rnn.lr': 0.001,
    'rnn.gradClip': 1,
    'stimulus.dt': 20,
    'stimulus.tau': 100,
    'stimulus.sigmaX': 0.01,
  },
  suggested: { steps: 156_251, evalEvery: 500, evalBatches: 16, evalTrials: 32 },
};

export const PRESETS: Readonly<Record<string, Preset>> = { yang2019 };
export const PRESET_NAMES = Object.keys(PRESETS) as [string, ...string[]];

function get(o: Record<string, unknown>, path: string): unknown {
  let v: unknown = o;
  for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function set(o: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let at = o;
  for (const k of keys.slice(0, -1)) {
    const next = at[k];
    at = at[k] = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
  }
  at[keys[keys.length - 1]] = value;
}

/** A one-element list (what `--task all` gives) reads as its element. */
const unwrap = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);

/**
 * A config input with its preset applied: the preset's keys filled where the input leaves them out.
 * Returns the input unchanged when it names no preset; refuses a key that contradicts a fixed one.
 */
export function applyPreset(input: Record<string, unknown>): { input: Record<string, unknown>; fromPreset: string[] } {
  const name = input.preset;
  if (name === undefined) return { input, fromPreset: [] };
  const preset = typeof name === 'string' ? PRESETS[name] : undefined;
  if (!preset) throw new UserError(`invalid config: "preset" names unknown preset ${JSON.stringify(name)}; known presets: ${PRESET_NAMES.join(', ')}`);
  const out = { ...input };
  const fromPreset: string[] = [];
  for (const [path, value] of Object.entries(preset.fixed)) {
    const given = get(input, path);
    if (given === undefined) {
      set(out, path, value);
      fromPreset.push(path);
    } else if (JSON.stringify(unwrap(given)) !== JSON.stringify(value)) {
      throw new UserError(`invalid config: preset "${name}" sets "${path}" to ${JSON.stringify(value)}, the config gives ${JSON.stringify(given)}; drop one of the two`);
    }
  }
  for (const [path, value] of Object.entries(preset.suggested)) {
    if (get(input, path) !== undefined) continue;
    set(out, path, value);
    fromPreset.push(path);
  }
  return { input: out, fromPreset };
}
