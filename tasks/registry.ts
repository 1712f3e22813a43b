/** Task registry: the built-in Go family plus anything a user registers. */
import { goFamily } from './goFamily.js';
import type { Task } from './types.js';

const registry = new Map<string, Task>(goFamily.map((t) => [t.name, t]));

export function registerTask(task: Task): void {
  if (!/^[a-z][a-z0-9_-]*$/i.test(task.name)) throw new Error(`task name "${task.name}" must be letters, digits, - or _`);
  registry.set(task.name, task);
}

export function getTask(name: string): Task {
  const t = registry.get(name);
  if (!t) throw new Error(`unknown task "${name}"; known tasks: ${[...registry.keys()].join(', ')}`);
  return t;
}

export function hasTask(name: string): boolean {
  return registry.has(name);
}

export function taskNames(): string[] {
  return [...registry.keys()];
}
