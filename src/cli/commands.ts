/**
 * Every command of the command line in one table: its name, its one-line description, and the file
 * that defines its options and action. `infoscope --help` reads only this table; the file of a
 * command loads when that command runs, and its action loads the heavy modules it needs.
 */
import { WATCH_DEFAULTS } from '../watch/defaults.js';
import type { CommandFile } from './types.js';

interface CommandEntry {
  name: string;
  description: string;
  load: () => Promise<CommandFile>;
}

const train = () => import('./train.js').then((m) => m.commands);
const view = () => import('./view.js').then((m) => m.commands);
const sweep = () => import('./sweep.js').then((m) => m.commands);
const estimate = () => import('./estimate.js').then((m) => m.commands);

export const commandTable: readonly CommandEntry[] = [
  { name: 'train', description: 'train a network; prints the run folder as the last line of stdout', load: train },
  { name: 'resume', description: 'continue a run from its last checkpoint', load: train },
  { name: 'probe', description: "run probe hooks on a run's saved checkpoints (records tagged origin: posthoc)", load: train },
  { name: 'sweep', description: 'train every setting x seed of a sweep file (.json or .yaml) and summarise across seeds; prints the sweep folder as the last line of stdout', load: sweep },
  { name: 'worker', description: 'process sweep runs from a BullMQ queue (sandboxed, one child process per concurrent run) until SIGINT/SIGTERM', load: sweep },
  { name: 'watch', description: `live dashboard of the runs in a folder (${WATCH_DEFAULTS.host} unless --host says otherwise)`, load: view },
  { name: 'report', description: "(re)write a run's charts (Vega-Lite, SVG, PNG) and report.html", load: view },
  { name: 'compare', description: 'compare runs (overlaid charts), sweeps (each setting a group, banded across seeds) or --group sets of runs, in one report', load: view },
  { name: 'demo', description: 'train an RNN and a reservoir on Go with probes, write both reports and their comparison', load: view },
  { name: 'import', description: 'make a run folder from a network or activity trained elsewhere (.npy, .npz, HDF5, safetensors; a manifest says what is what); prints the run folder', load: () => import('./importCmd.js').then((m) => m.commands) },
  { name: 'estimate', description: 'estimate I(X; Y) from two CSV files (one sample per row); prints one JSON object', load: estimate },
  { name: 'calibrate', description: 'run estimators on distributions of known MI and print estimate, interval, truth and error', load: estimate },
  { name: 'bench', description: 'benchmarks (JSON lines with --json)', load: () => import('./bench.js').then((m) => m.commands) },
  { name: 'doctor', description: 'show which backend loads, why others do not, and versions', load: () => import('./doctor.js').then((m) => m.commands) },
];
