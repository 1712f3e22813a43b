/** Rate nonlinearities of the leaky RNN (their arithmetic is fused into the forward loop in bptt.ts). */

export type Activation = 'softplus' | 'relu' | 'tanh';
export const activations: readonly Activation[] = ['softplus', 'relu', 'tanh'];
