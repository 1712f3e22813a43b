/** `watch`, `report`, `compare`, `demo`: commands that show runs. */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { CompareError, compareRuns } from '../charts/compare.js';
import { writeReport } from '../charts/report.js';
import { UserError } from '../core/errors.js';
import { demo, demoDefaults } from '../engine/demo.js';
import { stderrProgress } from '../engine/progress.js';
import { isRunFolder } from '../runfolder/runFolder.js';
import { WATCH_DEFAULTS, startWatch } from '../watch/server.js';
import { int, num } from './common.js';
import { compareGroups, groupsOfSweeps, parseGroup } from '../sweep/compareGroups.js';
import { isSweepFolder } from '../sweep/folder.js';
import { join } from 'node:path';

export function addViewCommands(program: Command): void {
  program
    .command('watch')
    .description(`live dashboard of the runs in a folder (${WATCH_DEFAULTS.host} unless --host says otherwise)`)
    .argument('[runsFolder]', 'folder of run folders', 'runs')
    .option('--port <n>', 'port (0: any free port)', int('--port'), WATCH_DEFAULTS.port)
    .option('--host <addr>', 'address to bind', WATCH_DEFAULTS.host)
    .action(async (root: string, o) => {
      if (!existsSync(root)) throw new UserError(`${root} does not exist`);
      const w = await startWatch({ root, host: o.host, port: o.port });
      process.stderr.write(`infoscope watch: serving ${root} (Ctrl-C to stop)\n`);
      process.stdout.write(`${w.url}\n`);
    });

  program
    .command('report')
    .description("(re)write a run's charts (Vega-Lite, SVG, PNG) and report.html")
    .argument('<runFolder>')
    .option('--no-png', 'skip the PNG files')
    .action(async (dir: string, o) => {
      if (!isRunFolder(dir)) throw new UserError(`${dir} is not a run folder (no config.json and meta.json there)`);
      const r = await writeReport(dir, o.png !== false);
      process.stderr.write(`charts: ${r.charts.join(', ')}\n`);
      process.stdout.write(`${r.report}\n`);
    });

  program
    .command('compare')
    .description('compare runs (overlaid charts), sweeps (each setting a group, banded across seeds) or --group sets of runs, in one report')
    .argument('[folders...]', 'run folders, or sweep folders')
    .option('--group <label=dirs>', 'a group of run folders, label=dir1,dir2 (repeat for each group)', (v: string, acc: string[] = []) => [...acc, v])
    .option('--target-perf <p>', 'target perf of the "to target" summaries for groups (default 0.95)', num('--target-perf'))
    .requiredOption('--out <folder>', 'folder for the comparison report')
    .action(async (dirs: string[], o) => {
      const sweeps = dirs.filter((d) => isSweepFolder(d));
      if (o.group || sweeps.length > 0) {
        if (sweeps.length > 0 && sweeps.length < dirs.length) throw new UserError('compare takes either run folders or sweep folders, not both (group runs with --group label=dir1,dir2)');
        const groups = [...groupsOfSweeps(sweeps), ...((o.group as string[] | undefined) ?? []).map(parseGroup)];
        const r = await compareGroups(groups, o.out, { targetPerf: o.targetPerf });
        process.stderr.write(`${r.summary.settings.length} groups; summary: ${join(o.out, 'summary.json')}\n`);
        process.stdout.write(`${r.report}\n`);
        return;
      }
      try {
        const r = await compareRuns(dirs, o.out);
        process.stderr.write(`charts: ${r.charts.join(', ')}\n`);
        process.stdout.write(`${r.report}\n`);
      } catch (e) {
        if (e instanceof CompareError) throw new UserError(e.message);
        throw e;
      }
    });

  program
    .command('demo')
    .description('train an RNN and a reservoir on Go with probes, write both reports and their comparison')
    .option('--out <dir>', 'folder for the demo runs', demoDefaults.out)
    .option('--seed <n>', 'seed', int('--seed'), demoDefaults.seed)
    .option('--rnn-steps <n>', 'RNN training steps', int('--rnn-steps'), demoDefaults.rnnSteps)
    .option('--reservoir-steps <n>', 'reservoir training steps (64 trials each)', int('--reservoir-steps'), demoDefaults.reservoirSteps)
    .action(async (o) => {
      const t0 = performance.now();
      const log = (l: string) => process.stderr.write(l + '\n');
      const r = await demo({ out: o.out, seed: o.seed, rnnSteps: o.rnnSteps, reservoirSteps: o.reservoirSteps, onProgress: stderrProgress(), log });
      const s = ((performance.now() - t0) / 1000).toFixed(0);
      process.stdout.write(
        [
          `infoscope demo finished in ${s} s`,
          `  RNN        perf ${r.rnn.perf.toFixed(3)}  ${r.rnn.dir}/report.html`,
          `  reservoir  perf ${r.reservoir.perf.toFixed(3)}  ${r.reservoir.dir}/report.html`,
          `  comparison ${r.comparison}`,
          'Open the report.html files in a browser (they are self-contained). Charts as Vega-Lite, SVG and PNG are in each charts/ folder.',
          `Live dashboard of these runs: npx infoscope watch ${o.out}  (then open http://${WATCH_DEFAULTS.host}:${WATCH_DEFAULTS.port}/)`,
          '',
        ].join('\n'),
      );
    });
}
