/** A timing override that breaks a trial is named before any trial is drawn. */
import { describe, expect, it } from 'vitest';
import { getTask } from '../../tasks/registry.js';
import { layoutFromOptions, stimulusSchema } from '../../tasks/layout.js';
import { TASK_SETS } from '../../tasks/sets.js';

const layout = (timing: Record<string, number | number[]>) => layoutFromOptions(stimulusSchema.parse({}), timing);

describe('checkTiming', () => {
  it('passes every task\'s defaults', () => {
    for (const t of TASK_SETS.all) expect(getTask(t).checkTiming?.(layout({})), t).toBeNull();
  });

  it('names an epoch that ends before it starts or outside the trial', () => {
    expect(getTask('dm1').checkTiming?.(layout({ dmTestGoMs: 3000 }))).toMatch(/dm1 \(test\): epoch "stim1" \[25, 150\) lies outside the trial of 125 steps/);
    expect(getTask('go').checkTiming?.(layout({ goTestStimOnMs: 1600 }))).toMatch(/go \(test\): epoch "stim1" ends/);
    expect(getTask('dlydm1').checkTiming?.(layout({ dlyDmTestStim2Ms: [2000, 3200] }))).toMatch(/outside the trial of 150 steps/);
    expect(getTask('dms').checkTiming?.(layout({ matchTestStim1Ms: [500, 2400] }))).toMatch(/dms \(test\): epoch "delay1" ends/);
  });
});
