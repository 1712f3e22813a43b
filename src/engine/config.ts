/** Validating a training config: defaults filled in, and one clear sentence for the first problem. */
import type { z } from 'zod';
import { type Config, type ConfigInput, configSchema } from '../runfolder/schema.js';
import { hasTask, taskNames } from '../../tasks/registry.js';
import { modelKinds } from '../../models/registry.js';
import { UserError } from './errors.js';

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const key = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = key ? ` in "${key}"` : '';
    const keys = issue.keys.map((k) => `"${k}"`).join(', ');
    return `invalid config: unknown key ${keys}${where}`;
  }
  const got = valueAt(input, issue.path);
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  const msg = issue.message.replace(/^Invalid input: /, '');
  return `invalid config: "${key || '(root)'}" ${msg.charAt(0).toLowerCase()}${msg.slice(1)}${shown}`;
}

export function parseConfig(input: unknown): Config {
  const r = configSchema.safeParse(input ?? {});
  if (!r.success) throw new UserError(describeIssue(r.error.issues[0], input));
  const c = r.data;
  for (const t of taskList(c)) {
    if (!hasTask(t)) throw new UserError(`invalid config: "task" names unknown task "${t}"; known tasks: ${taskNames().join(', ')}`);
  }
  if (!modelKinds().includes(c.model)) throw new UserError(`invalid config: "model" names unknown model "${c.model}"; known models: ${modelKinds().join(', ')}`);
  return c;
}

export function taskList(c: Pick<Config, 'task'>): string[] {
  return Array.isArray(c.task) ? c.task : [c.task];
}

export type { Config, ConfigInput };
