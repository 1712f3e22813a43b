/**
 * Training as a user asks for it: the engine's run (src/engine/train.ts), then the run's charts and
 * report. The engine itself never loads the charts; the CLI, the demo, sweeps and the library's
 * `train()` come through here.
 */
import { type ConfigInput, type Config } from '../config/schema.js';
import { type TrainOptions as EngineOptions, type TrainResult, resume as resumeRun, train as trainRun } from '../engine/train.js';

export type { TrainResult };

export interface TrainOptions extends EngineOptions {
  /** Write charts/ and report.html when training ends (default true). */
  report?: boolean;
}

/** The report of a finished run; a chart problem is a warning, never a failed run (the run is on disk). */
async function withReport(r: TrainResult, report: boolean | undefined): Promise<TrainResult> {
  if (report === false) return r;
  try {
    const { writeReport } = await import('../charts/report.js');
    await writeReport(r.dir);
  } catch (e) {
    process.stderr.write(`warning: could not write the report (${(e as Error).message}); retry with: infoscope report ${r.dir}\n`);
  }
  return r;
}

/** Start a new run; its report is written at the end unless `report: false`. */
export async function train(input: ConfigInput | Config, opts: TrainOptions = {}): Promise<TrainResult> {
  return withReport(await trainRun(input, opts), opts.report);
}

/** Continue a run from its last checkpoint (to its configured total, or `steps`), then report. */
export async function resume(dir: string, opts: TrainOptions & Parameters<typeof resumeRun>[1] = {}): Promise<TrainResult> {
  return withReport(await resumeRun(dir, opts), opts.report);
}
