/**
 * Option pieces the built-in hooks share, each with its default from estimators/defaults.ts, so a
 * hook's optionsSchema says what it takes and the config normaliser validates it (a negative noise
 * variance or k = 0 is refused at the door, not written to probes.jsonl as nulls).
 */
import { z } from 'zod';
import { estimatorDefaults as D } from '../estimators/defaults.js';

export const kOption = () => z.number().int().min(1).max(1000).default(D.k).describe('neighbours of the k-NN estimators');
export const binsOption = () => z.number().int().min(2).max(64).default(D.bins).describe('equal-width bins per unit over the observed range');
export const noiseVarOption = () => z.number().positive().max(1e6).default(D.noiseVar).describe('noise variance s2 of T = H + N(0, s2 I) for the Kolchinsky-Tracey bounds');

/** The probe batch as the config describes it, for checks that depend on its size. */
export interface ProbeBatchSize {
  trials: number;
  directions: number;
}

/** k must leave neighbours to find inside every stimulus class of the probe batch. */
export function checkK(k: number, size: ProbeBatchSize): string | null {
  const perClass = Math.floor(size.trials / size.directions);
  return k < perClass ? null : `k = ${k} needs more than ${k} probe trials per direction, and the probe batch has ${perClass} (probeTrials ${size.trials} / probeDirections ${size.directions})`;
}
