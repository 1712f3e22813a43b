/**
 * Defaults of every estimator parameter, in one place: estimate(), the CLI's flags and the probe
 * hooks' option schemas all read them from here.
 */
export const estimatorDefaults = {
  /** Neighbours of the k-NN estimators (KSG, Ross, mixed KSG): 3, as scikit-learn and NPEET. */
  k: 3,
  /**
   * Bins per dimension for binning: 2, found good for hidden activity in the Go-task analysis
   * (docs/estimators.md explains why a coarse grid is used for layers).
   */
  bins: 2,
  /** Noise variance s2 of T = h + N(0, s2 I) for the Kolchinsky-Tracey bounds (Saxe et al.'s 0.1). */
  noiseVar: 0.1,
  /** Scale k-NN inputs to unit variance per column, then add this much tie-breaking jitter. */
  standardize: true,
  jitter: 1e-10,
  /** Label permutations of the null (0: none). */
  permutations: 0,
  /** Cross-validation folds of the decoder bound. */
  folds: 5,
  /** Most principal components the decoder keeps (those above the noise edge, up to this many). */
  decoderDims: 32,
  /** The decoder's QDA member: its components (the first ones), and the weight of the pooled covariance in each class's. */
  qdaDims: 6,
  qdaPooling: 0.5,
  /** The decoder's selective member: units kept by their between-class F statistic, within each training fold. */
  selectUnits: 8,
  /** The layer probe's decoder: at most this many components, from the distance matrix it shares with the KDE bounds. */
  layerDecoderDims: 16,
  seed: 0,
  /** Neural critics: training steps, batch, hidden units, learning rate. */
  neuralSteps: 500,
  neuralBatch: 128,
  neuralHidden: 64,
  neuralLr: 1e-3,
  /** Probe hooks: label permutations of the neuron probe's max-over-time null, and its level. */
  neuronPermutations: 50,
  alpha: 0.05,
} as const;
