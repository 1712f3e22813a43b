/**
 * The reference time grid of Yang et al. 2019 (docs/yang-tasks.md): one time step dt and one time
 * constant tau, in ms. alpha = dt / tau is the leaky RNN's leak and scales the input noise
 * (sigma_x * sqrt(2 / alpha)). The config's `stimulus` section defaults to these; a model that is
 * built outside a run (a script, a benchmark) reads them from here.
 */
export const REFERENCE_TIME = { dt: 20, tau: 100 } as const;
