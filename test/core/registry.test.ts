import { TASK_SETS } from '../../tasks/sets.js';
import { describe, expect, it } from 'vitest';
import { Registry } from '../../src/core/registry.js';
import { modelRegistry } from '../../models/registry.js';
import { probeRegistry } from '../../probes/hooks/registry.js';
import { taskRegistry } from '../../tasks/registry.js';

describe('Registry', () => {
  it('looks entries up by name and names the known ones when asked for another', () => {
    const r = new Registry<{ id: string }>('widget', (w) => w.id, [{ id: 'a' }, { id: 'b' }]);
    expect(r.get('b')).toEqual({ id: 'b' });
    expect(r.has('c')).toBe(false);
    expect(() => r.get('c')).toThrow('unknown widget "c"; known: a, b');
    r.register({ id: 'c' });
    expect(r.names()).toEqual(['a', 'b', 'c']);
  });

  it('refuses names that could not be a config value or a file stem', () => {
    const r = new Registry<string>('thing', (s) => s);
    for (const bad of ['', '1go', 'my task', 'a/b', '../x']) expect(() => r.register(bad), bad).toThrow(/must start with a letter/);
  });

  it('tasks, models and probe hooks are registries of this one shape', () => {
    expect(taskRegistry.names()).toEqual([...TASK_SETS.all, 'recorded']);
    expect(modelRegistry.names()).toEqual(['rnn', 'reservoir', 'recorded']);
    expect(probeRegistry.names()).toEqual(['layer', 'neuron', 'infoplane', 'rule', 'clusters']);
  });
});
