/**
 * infoscope's structural rules, written once: the architecture test checks the source tree
 * against them, and the picture in docs/architecture.md and the README is rendered from them (the
 * test fails when the picture and the rules disagree).
 */

export interface Room {
  /** Name used in the picture: the folder. */
  name: string;
  /** Files of the room: a folder prefix, or one file. */
  path: string;
  /** What it holds, a few words. */
  holds: string;
  /** Rooms it may import from (besides itself). Type-only and dynamic imports count too. */
  imports: string[];
}

/** Bottom to top. A room may import only the rooms listed for it, all of which sit below it. */
export const rooms: Room[] = [
  { name: 'src/core', path: 'src/core/', holds: 'the leaf: random streams, registries, errors, the shapes tasks, models and probes exchange', imports: [] },
  { name: 'tasks', path: 'tasks/', holds: 'trials, timing, sizes, performance', imports: ['src/core'] },
  { name: 'models', path: 'models/', holds: 'step and learn: leaky RNN, reservoir', imports: ['src/core'] },
  { name: 'probes/estimators', path: 'probes/estimators/', holds: 'MI estimators on plain arrays', imports: ['src/core'] },
  { name: 'probes/hooks', path: 'probes/hooks/', holds: 'what to measure on a network', imports: ['src/core', 'probes/estimators'] },
  { name: 'src/config', path: 'src/config/', holds: 'the one door for configs', imports: ['src/core', 'tasks', 'models', 'probes/hooks'] },
  { name: 'src/runfolder', path: 'src/runfolder/', holds: 'every file of a run folder', imports: ['src/core', 'src/config', 'probes/hooks'] },
  { name: 'src/engine', path: 'src/engine/', holds: 'wires tasks, models and probes: training, probe passes', imports: ['src/core', 'tasks', 'models', 'probes/estimators', 'probes/hooks', 'src/config', 'src/runfolder'] },
  { name: 'src/import', path: 'src/import/', holds: 'run folders from outside networks and activity', imports: ['src/core', 'tasks', 'models', 'src/config', 'src/runfolder', 'src/engine'] },
  { name: 'src/stats', path: 'src/stats/', holds: 'statistics across runs and seeds', imports: ['src/core', 'probes/estimators', 'src/runfolder'] },
  { name: 'src/charts', path: 'src/charts/', holds: 'Vega-Lite specs, SVG/PNG, reports', imports: ['src/core', 'src/runfolder', 'src/stats'] },
  { name: 'src/workflows', path: 'src/workflows/', holds: 'train and report, the demo', imports: ['src/core', 'src/config', 'src/runfolder', 'src/engine', 'src/charts'] },
  { name: 'src/sweep', path: 'src/sweep/', holds: 'settings x seeds on a pool or a queue', imports: ['src/core', 'src/config', 'src/runfolder', 'src/engine', 'src/stats', 'src/charts', 'src/workflows'] },
  { name: 'src/watch', path: 'src/watch/', holds: 'the live dashboard (reads folders)', imports: ['src/core', 'src/runfolder', 'src/stats', 'src/charts', 'src/sweep'] },
  {
    name: 'src/bench',
    path: 'src/bench/',
    holds: 'benchmarks and calibration',
    imports: ['src/core', 'tasks', 'models', 'probes/estimators', 'probes/hooks', 'src/config', 'src/runfolder', 'src/engine', 'src/stats', 'src/workflows', 'src/sweep'],
  },
  {
    name: 'src/cli',
    path: 'src/cli/',
    holds: 'one file per group of commands',
    imports: ['src/core', 'tasks', 'models', 'probes/estimators', 'probes/hooks', 'src/config', 'src/runfolder', 'src/engine', 'src/stats', 'src/charts', 'src/workflows', 'src/sweep', 'src/watch', 'src/bench', 'src/import'],
  },
  {
    name: 'src/index.ts',
    path: 'src/index.ts',
    holds: 'the library API',
    imports: ['src/core', 'tasks', 'models', 'probes/estimators', 'probes/hooks', 'src/config', 'src/runfolder', 'src/engine', 'src/stats', 'src/charts', 'src/workflows', 'src/sweep', 'src/watch', 'src/import'],
  },
];

/** Folders whose TypeScript is the product (what the rules and the budget apply to). */
export const sourceFolders = ['src', 'tasks', 'models', 'probes'] as const;

/** Lines a source file may have. */
export const MAX_LINES = 300;

/**
 * Packages that take a noticeable time to load (measured: 0.2-0.6 s each); the command line's
 * entry loads none of them before a command's action runs.
 */
export const heavyPackages = ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', 'bullmq', 'ioredis', 'vega', 'vega-lite', 'vega-embed', '@resvg/resvg-js', 'ml-matrix', 'yaml', 'zod', 'h5wasm', 'fflate'];

export function roomOf(path: string): Room | null {
  let best: Room | null = null;
  for (const r of rooms) if ((path === r.path || path.startsWith(r.path)) && (!best || r.path.length > best.path.length)) best = r;
  return best;
}

/** The picture of the rules, for docs: one line per room, bottom to top, with what it may import. */
export function renderRules(): string {
  const w = Math.max(...rooms.map((r) => r.name.length));
  const lines = rooms.map((r) => `${r.name.padEnd(w)}  ${r.holds}\n${' '.repeat(w)}  <- ${r.imports.length ? r.imports.join(', ') : 'nothing of ours'}`);
  return ['```', ...lines, '```'].join('\n');
}

/** Depth of each room: 0 for the leaf, else one more than the deepest room it may import. */
function depths(): Map<string, number> {
  const d = new Map<string, number>();
  for (const r of rooms) d.set(r.name, r.imports.length ? 1 + Math.max(...r.imports.map((i) => d.get(i) ?? 0)) : 0);
  return d;
}

/** The short picture for the README: the rooms layer by layer, top first; a room imports only from rooms below it. */
export function renderLayers(): string {
  const d = depths();
  const top = Math.max(...d.values());
  const lines: string[] = [];
  for (let k = top; k >= 0; k--) lines.push(rooms.filter((r) => d.get(r.name) === k).map((r) => r.name).join(', '));
  return ['```', ...lines, '```'].join('\n');
}
