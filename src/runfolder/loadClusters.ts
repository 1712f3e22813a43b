/** The clusters hook's arrays of a run folder (docs/run-folder.md), for charts and summaries. */
import { CLUSTER_ARRAYS as A } from '../../probes/hooks/records.js';
import { listArrays, readArray } from './runFolder.js';
import type { RunPaths } from './paths.js';

export interface ClusterData {
  /** Cluster label per unit at every checkpoint the hook ran (-1: inactive), by step. */
  labels: Array<{ step: number; labels: Float32Array }>;
  /** The last such checkpoint's arrays. */
  last: {
    step: number;
    /** [N, tasks] */
    taskVariance: Float32Array;
    /** [K, 3]: k, silhouette, the rotation control's silhouette. */
    silhouette: Float32Array;
    /** [pairs, 20] and the control's; null without pairs. */
    ftv: Float32Array | null;
    ftvRotated: Float32Array | null;
    /** [clusters + 1, tasks, 2]: perf, loss; null where lesions did not run. */
    lesions: Float32Array | null;
    N: number;
  };
}

export function loadClusters(paths: RunPaths): ClusterData | null {
  const found = listArrays(paths).filter((a) => a.origin === 'train');
  const labels = found.filter((a) => a.stem === A.labels).map((a) => ({ step: a.step, labels: readArray(paths, a.file).data as Float32Array }));
  if (labels.length === 0) return null;
  labels.sort((a, b) => a.step - b.step);
  const step = labels[labels.length - 1].step;
  const at = (stem: string) => {
    const f = found.find((a) => a.step === step && a.stem === stem);
    return f ? (readArray(paths, f.file).data as Float32Array) : null;
  };
  const tv = at(A.taskVariance);
  const sil = at(A.silhouette);
  if (!tv || !sil) return null;
  const N = labels[labels.length - 1].labels.length;
  return { labels, last: { step, taskVariance: tv, silhouette: sil, ftv: at(A.ftv), ftvRotated: at(A.ftvRotated), lesions: at(A.lesions), N } };
}
