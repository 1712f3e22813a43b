/** Task registry: the 20 built-in tasks of Yang et al. 2019 plus anything a user registers. */
import { Registry } from '../src/core/registry.js';
import { dmFamily } from './dmFamily.js';
import { goFamily } from './goFamily.js';
import { matchFamily } from './matchFamily.js';
import type { Task } from './types.js';
import { recordedTask } from './recorded.js';

export const taskRegistry = new Registry<Task>('task', (t) => t.name, [...goFamily, ...dmFamily, ...matchFamily, recordedTask]);

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
