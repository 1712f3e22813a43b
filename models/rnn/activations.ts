/** Rate nonlinearities of the leaky RNN. */

export type Activation = 'softplus' | 'relu' | 'tanh';
export const activations: readonly Activation[] = ['softplus', 'relu', 'tanh'];

/**
 * In place over z[from, to): writes f(z) to `rate` and alpha * f'(z) to `dAlpha` (what backprop
 * through r_t = (1 - alpha) r_{t-1} + alpha f(z_t) needs). One loop per activation keeps the hot
 * path free of calls.
 */
export function activate(kind: Activation, alpha: number, z: Float32Array, rate: Float32Array, dAlpha: Float32Array, from: number, to: number): void {
  if (kind === 'relu') {
    for (let i = from; i < to; i++) {
      const v = z[i];
      if (v > 0) {
        rate[i] = v;
        dAlpha[i] = alpha;
      } else {
        rate[i] = 0;
        dAlpha[i] = 0;
      }
    }
  } else if (kind === 'softplus') {
    for (let i = from; i < to; i++) {
      const v = z[i];
      const e = Math.exp(-Math.abs(v));
      rate[i] = (v > 0 ? v : 0) + Math.log1p(e);
      // sigmoid(v) from the same exponential
      dAlpha[i] = alpha * (v >= 0 ? 1 / (1 + e) : e / (1 + e));
    }
  } else {
    for (let i = from; i < to; i++) {
      const f = Math.tanh(z[i]);
      rate[i] = f;
      dAlpha[i] = alpha * (1 - f * f);
    }
  }
}

/** f alone, for reference implementations and tests. */
export function activationValue(kind: Activation, v: number): number {
  if (kind === 'relu') return v > 0 ? v : 0;
  if (kind === 'tanh') return Math.tanh(v);
  return (v > 0 ? v : 0) + Math.log1p(Math.exp(-Math.abs(v)));
}
