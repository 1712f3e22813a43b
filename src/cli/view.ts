/** `watch`, `report`, `compare`, `demo`: commands that show runs. */
import type { Command } from 'commander';
import { UserError } from '../core/errors.js';
import { DEFAULT_TARGET_PERF } from '../stats/metrics.js';
import { WATCH_DEFAULTS } from '../watch/defaults.js';
import { demoDefaults } from '../workflows/defaults.js';
import type { CommandFile } from './types.js';
import { int, num } from './common.js';

export const commands: CommandFile = {
  watch(cmd: Command) {
    cmd
      .argument('[runsFolder]', 'folder of run folders', 'runs')
      .option('--port <n>', 'port (0: any free port)', int('--port'), WATCH_DEFAULTS.port)
      .option('--host <addr>', 'address to bind', WATCH_DEFAULTS.host)
      .action(async (root: string, o) => {
        const { existsSync } = await import('node:fs');
        if (!existsSync(root)) throw new UserError(`${root} does not exist`);
        const { startWatch } = await import('../watch/server.js');
        const w = await startWatch({ root, host: o.host, port: o.port });
        process.stderr.write(`infoscope watch: serving ${root} (Ctrl-C to stop)\n`);
        process.stdout.write(`${w.url}\n`);
      });
  },

  report(cmd: Command) {
    cmd
      .argument('<runFolder>')
      .option('--no-png', 'skip the PNG files')
      .action(async (dir: string, o) => {
        const { isRunFolder } = await import('../runfolder/paths.js');
        if (!isRunFolder(dir)) throw new UserError(`${dir} is not a run folder (no config.json and meta.json there)`);
        const { writeReport } = await import('../charts/report.js');
        const r = await writeReport(dir, o.png !== false);
        process.stderr.write(`charts: ${r.charts.join(', ')}\n`);
        process.stdout.write(`${r.report}\n`);
      });
  },

  compare(cmd: Command) {
    cmd
      .argument('[folders...]', 'run folders, or sweep folders')
      .option('--group <label=dirs>', 'a group of run folders, label=dir1,dir2 (repeat for each group)', (v: string, acc: string[] = []) => [...acc, v])
      .option('--target-perf <p>', `target perf of the "to target" summaries for groups (default: ${DEFAULT_TARGET_PERF})`, num('--target-perf'))
      .requiredOption('--out <folder>', 'folder for the comparison report')
      .action(async (dirs: string[], o) => {
        const { groupsOfSweeps, isSweepFolder } = await import('../sweep/folder.js');
        const sweeps = dirs.filter((d) => isSweepFolder(d));
        if (o.group || sweeps.length > 0) {
          if (sweeps.length > 0 && sweeps.length < dirs.length) throw new UserError('compare takes either run folders or sweep folders, not both (group runs with --group label=dir1,dir2)');
          const { compareGroups, parseGroup } = await import('../charts/compareGroups.js');
          const { join } = await import('node:path');
          const groups = [...groupsOfSweeps(sweeps), ...((o.group as string[] | undefined) ?? []).map(parseGroup)];
          const r = await compareGroups(groups, o.out, { targetPerf: o.targetPerf });
          process.stderr.write(`${r.summary.settings.length} groups; summary: ${join(o.out, 'summary.json')}\n`);
          process.stdout.write(`${r.report}\n`);
          return;
        }
        const { CompareError, compareRuns } = await import('../charts/compare.js');
        try {
          const r = await compareRuns(dirs, o.out);
          process.stderr.write(`charts: ${r.charts.join(', ')}\n`);
          process.stdout.write(`${r.report}\n`);
        } catch (e) {
          if (e instanceof CompareError) throw new UserError(e.message);
          throw e;
        }
      });
  },

  demo(cmd: Command) {
    cmd
      .option('--out <dir>', 'folder for the demo runs', demoDefaults.out)
      .option('--seed <n>', 'seed', int('--seed'), demoDefaults.seed)
      .option('--rnn-steps <n>', 'RNN training steps', int('--rnn-steps'), demoDefaults.rnnSteps)
      .option('--reservoir-steps <n>', 'reservoir training steps (64 trials each)', int('--reservoir-steps'), demoDefaults.reservoirSteps)
      .action(async (o) => {
        const [{ demo }, { stderrProgress }] = await Promise.all([import('../workflows/demo.js'), import('../engine/progress.js')]);
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
  },
};
