/** `doctor`: which backend runs, why the others do not, and versions. */
import type { Command } from 'commander';
import { version } from '../engine/version.js';
import type { CommandFile } from './types.js';
import { backendOption } from './common.js';

export const commands: CommandFile = {
  doctor(cmd: Command) {
    cmd
      .addOption(backendOption().default('auto'))
      .option('--init', 'initialise the backend for real (loads tfjs: about a second) instead of predicting it')
      .option('--json', 'print JSON')
      .action(async (o) => {
        const { initBackend, predictBackend } = await import('../engine/backend.js');
        const r = o.init || o.backend !== 'auto' ? await initBackend(o.backend) : predictBackend();
        const info = { infoscope: version, node: process.version, platform: `${process.platform}-${process.arch}`, initialised: Boolean(o.init || o.backend !== 'auto'), ...r };
        if (o.json) {
          process.stdout.write(JSON.stringify(info) + '\n');
          return;
        }
        const lines = [
          `infoscope ${version}, node ${process.version}, ${info.platform}, tfjs ${r.tfjsVersion}`,
          `backend ${info.initialised ? 'in use' : 'a run would use'}: ${r.backend} (${r.package})`,
          ...(r.wasm ? [`wasm: SIMD ${r.wasm.simd ? 'yes' : 'no'}${info.initialised ? `, threads ${r.wasm.threads ? 'yes' : 'no'}` : ''}`] : []),
          'tried, in order:',
          ...r.attempts.map((a) => `  ${a.ok ? 'ok  ' : 'no  '} ${a.name}${a.reason ? `: ${a.reason}` : ''}`),
        ];
        process.stdout.write(lines.join('\n') + '\n');
      });
  },
};
