/**
 * Reading config.json files written before config version 2 (infoscope <= 0.1.0 wrote both model
 * sections, the learning rate at the top, and the time grid inside the RNN's section). Only stored
 * files go through here; a config a user writes today is read as version 2.
 */
import { CONFIG_VERSION } from './schema.js';

const V1_DEFAULT_ESTIMATORS: Record<string, string[]> = {
  layer: ['binning', 'kde-upper', 'kde-lower', 'mixed'],
  neuron: ['binning', 'mixed'],
  infoplane: ['kde-upper'],
};

export function upgradeStoredConfig(raw: unknown): unknown {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const c = { ...(raw as Record<string, unknown>) };
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
  c.configVersion = CONFIG_VERSION;
  return c;
}
