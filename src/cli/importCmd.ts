/** `import`: a run folder from a network or activity trained elsewhere (docs/import.md). */
import type { Command } from 'commander';
import type { CommandFile } from './types.js';

export const commands: CommandFile = {
  import(cmd: Command) {
    cmd
      .argument('<manifest>', 'manifest (.json or .yaml) naming the files and arrays, their axes, and the network')
      .option('--out <dir>', 'folder for run folders', 'runs')
      .option('--no-probe', 'write the run folder only (no probe pass, no report)')
      .option('--no-png', 'skip the PNG files of the report')
      .action(async (manifest: string, o) => {
        const { specFromManifest } = await import('../import/manifest.js');
        const { importRun } = await import('../import/importRun.js');
        const { dir } = await importRun(await specFromManifest(manifest, o.out));
        if (o.probe !== false) {
          const { probeRun } = await import('../engine/posthoc.js');
          const r = await probeRun(dir);
          process.stderr.write(`probed ${r.checkpoints.length} checkpoint(s): ${r.records} records in ${r.seconds.toFixed(1)} s\n`);
          const { writeReport } = await import('../charts/report.js');
          await writeReport(dir, o.png !== false);
        }
        process.stdout.write(`${dir}\n`);
      });
  },
};
