/**
 * Reading config.json files written by earlier versions. Version 1 (infoscope <= 0.1.0) wrote both
 * model sections, the learning rate at the top, and the time grid inside the RNN's section.
 * Version 2 had a time constant in the RNN's section beside the one in `stimulus`; version 3 keeps
 * one (`stimulus.tau`), which sets both the leak and the input noise. Only stored files go through
 * here; a config a user writes today is read as the current version.
 */
import { REFERENCE_TIME } from '../core/timeGrid.js';
import { CONFIG_VERSION } from './schema.js';

const V1_DEFAULT_ESTIMATORS: Record<string, string[]> = {
  layer: ['binning', 'kde-upper', 'kde-lower', 'mixed'],
  neuron: ['binning', 'mixed'],
  infoplane: ['kde-upper'],
};

export function upgradeStoredConfig(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const c = { ...(raw as Record<string, unknown>) };
  if (c.configVersion === 2) return fromVersion2(c);
  if (c.configVersion !== undefined) return c;
  const model = typeof c.model === 'string' ? c.model : 'rnn';
  const rnn = { ...((c.rnn ?? {}) as Record<string, unknown>) };
  const stimulus: Record<string, unknown> = {};
  // version 1 read dt and tau for the time grid and input noise from the RNN's section, for every model
  for (const k of ['dt', 'sigmaX'] as const) {
    if (rnn[k] !== undefined) stimulus[k] = rnn[k];
    delete rnn[k];
  }
  if (rnn.tau !== undefined) stimulus.tau = rnn.tau;
  delete rnn.tau;
  if (c.nRules !== undefined) stimulus.nRules = c.nRules;
  delete c.nRules;
  if (c.lr !== undefined) rnn.lr = c.lr;
  delete c.lr;
  c.stimulus = stimulus;
  // version 1 filled the sections of both built-in models; keep the one that ran
  if (model === 'rnn') c.rnn = rnn;
  else delete c.rnn;
  if (model !== 'reservoir') delete c.reservoir;
  // the estimators a version-1 run used when its config named none (later versions changed the defaults)
  if (Array.isArray(c.probes)) {
    c.probes = (c.probes as Array<Record<string, unknown>>).map((p) => (p.estimators || !V1_DEFAULT_ESTIMATORS[String(p.hook)] ? p : { ...p, estimators: V1_DEFAULT_ESTIMATORS[String(p.hook)] }));
  }
  // probe batches of version 1 had exactly the grid directions
  c.probeSampling = 'grid';
  c.configVersion = CONFIG_VERSION;
  return c;
}

/** Version 2 -> 3: rnn.tau goes where it equals stimulus.tau (it always did unless set by hand). */
function fromVersion2(c: Record<string, unknown>): Record<string, unknown> {
  const rnn = c.rnn as Record<string, unknown> | undefined;
  const stimulus = (c.stimulus ?? {}) as Record<string, unknown>;
  if (rnn && rnn.tau !== undefined && rnn.tau === (stimulus.tau ?? REFERENCE_TIME.tau)) {
    const { tau: _t, ...rest } = rnn;
    c.rnn = rest;
  }
  // a different rnn.tau stays, and the normaliser says where it moved: such a run cannot be redone exactly
  // probe batches of version 2 had exactly the grid directions
  c.probeSampling ??= 'grid';
  c.configVersion = CONFIG_VERSION;
  return c;
}
