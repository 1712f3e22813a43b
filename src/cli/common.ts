/** Pieces every command file uses: value parsers, the config-file reader, how a run's result is printed. */
import { InvalidArgumentError, Option } from 'commander';
import { backendChoices } from '../config/backends.js';
import { UserError } from '../core/errors.js';
import { readJson } from '../core/files.js';
import type { StopFlag } from '../engine/stop.js';
import type { TrainResult } from '../workflows/train.js';

export const int = (name: string) => (v: string) => {
  if (!/^-?\d+$/.test(v.trim())) throw new InvalidArgumentError(`${name} must be an integer.`);
  return Number(v);
};

export const num = (name: string) => (v: string) => {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
  return n;
};

export const list = (s?: string) => (s ? s.split(',').map((x) => x.trim()) : undefined);

export const backendOption = () => new Option('--backend <name>', 'what runs the training step: native kernels, or a tfjs backend').choices(backendChoices);

export function readConfigFile(path: string): Record<string, unknown> {
  const v = readJson(path, 'config file', UserError);
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new UserError(`config file ${path} is not a JSON object`);
  return v as Record<string, unknown>;
}

/** The run folder as stdout's last line; the exit code says how the run ended (3 diverged, 130/143 stopped by a signal). */
export function printRun(r: TrainResult, stop?: StopFlag): void {
  if (r.message) process.stderr.write(`${r.message}\n`);
  process.stdout.write(`${r.dir}\n`);
  if (r.status === 'diverged') process.exitCode = 3;
  else if (r.status === 'stopped') process.exitCode = stop?.exitCode() ?? 130;
}
