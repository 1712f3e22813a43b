/** Every chart a run's data supports, in the order the report and the dashboard show them. */
import type { RunData } from '../runfolder/loadRun.js';
import { type NamedSpec, infoplaneSpec, layerMiSpec, lossPerfSpec, neuronHeatmapSpec, peakTimeSpec } from './specs.js';
import { clusterCharts } from './clusterSpecs.js';
import { perfByTaskSpec, ruleSpec, taskLayerSpec } from './taskSpecs.js';

export function runCharts(run: RunData): NamedSpec[] {
  const several = run.tasks.length > 1;
  const out: NamedSpec[] = [{ name: 'loss-perf', title: 'Loss and performance', spec: lossPerfSpec(run) }];
  const byTask = several ? perfByTaskSpec(run) : null;
  if (byTask) out.push({ name: 'perf-by-task', title: 'Performance per task', spec: byTask });
  const tasksLayer = several ? taskLayerSpec(run) : null;
  if (tasksLayer) out.push({ name: 'layer-mi-by-task', title: 'Layer MI per task', spec: tasksLayer });
  const rule = several ? ruleSpec(run) : null;
  if (rule) out.push({ name: 'rule-mi', title: 'Which task: I(rule; H)', spec: rule });
  if (several) out.push(...clusterCharts(run));
  // with several tasks, the detailed layer chart and the neuron charts are the first task's
  const layer = layerMiSpec(run, several ? run.tasks[0] : undefined);
  if (layer) out.push({ name: 'layer-mi', title: several ? `Layer MI over the trial (${run.tasks[0]})` : 'Layer MI over the trial', spec: layer });
  for (const m of run.neurons) {
    out.push({ name: `neuron-mi-${m.estimator}`, title: `Per-neuron MI (${m.estimator})`, spec: neuronHeatmapSpec(run, m) });
    out.push({ name: `peak-times-${m.estimator}`, title: `Peak times (${m.estimator})`, spec: peakTimeSpec(run, m) });
  }
  const ip = infoplaneSpec(run, several ? run.tasks[0] : undefined);
  if (ip) out.push({ name: 'infoplane', title: 'Information plane', spec: ip });
  return out;
}
