/** `doctor`: which backend loads, why the others do not, and versions. */
import type { Command } from 'commander';
import { initBackend } from '../engine/backend.js';
import { version } from '../engine/version.js';
import { backendOption } from './common.js';

export function addDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('show which backend loads, why others do not, and versions')
    .addOption(backendOption().default('auto'))
    .option('--json', 'print JSON')
    .action(async (o) => {
      const r = await initBackend(o.backend);
      const info = { infoscope: version, node: process.version, platform: `${process.platform}-${process.arch}`, ...r };
      if (o.json) {
        process.stdout.write(JSON.stringify(info) + '\n');
        return;
      }
      const lines = [
        `infoscope ${version}, node ${process.version}, ${info.platform}, tfjs ${r.tfjsVersion}`,
        `backend in use: ${r.backend} (${r.package})`,
        ...(r.wasm ? [`wasm: SIMD ${r.wasm.simd ? 'yes' : 'no'}, threads ${r.wasm.threads ? 'yes' : 'no'}`] : []),
        'tried, in order:',
        ...r.attempts.map((a) => `  ${a.ok ? 'ok  ' : 'no  '} ${a.name}${a.reason ? `: ${a.reason}` : ''}`),
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
