/**
 * File names under arrays/: step-<n>-<stem>.npy for arrays recorded during training, and
 * step-<n>-<stem>-posthoc.npy for those `infoscope probe` adds later. Writers and readers both use
 * these two functions.
 */
export type ArrayOrigin = 'train' | 'posthoc';

export function arrayFileName(step: number, stem: string, origin: ArrayOrigin = 'train'): string {
  return `step-${step}-${stem}${origin === 'posthoc' ? '-posthoc' : ''}.npy`;
}

export function parseArrayFileName(file: string): { step: number; stem: string; origin: ArrayOrigin } | null {
  const m = /^step-(\d+)-([A-Za-z0-9_.-]+?)(-posthoc)?\.npy$/.exec(file);
  return m ? { step: Number(m[1]), stem: m[2], origin: m[3] ? 'posthoc' : 'train' } : null;
}
