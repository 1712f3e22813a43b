/** Task registry: the built-in Go family plus anything a user registers. */
import { Registry } from '../src/core/registry.js';
import { goFamily } from './goFamily.js';
import type { Task } from './types.js';

export const taskRegistry = new Registry<Task>('task', (t) => t.name, goFamily);

export function registerTask(task: Task): void {
  taskRegistry.register(task);
}

export function getTask(name: string): Task {
  return taskRegistry.get(name);
}

export function hasTask(name: string): boolean {
  return taskRegistry.has(name);
}

export function taskNames(): string[] {
  return taskRegistry.names();
}
