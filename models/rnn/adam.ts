/**
 * Adam over named Float32Array parameters, with the reference's element-wise gradient clipping to
 * [-clip, clip] before the update. Bias correction as in TensorFlow's Adam
 * (lr_t = lr sqrt(1 - b2^t) / (1 - b1^t), eps added to sqrt(v)).
 */
export interface AdamOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Element-wise clip value; 0 disables. */
  clip: number;
}

export const defaultAdam: AdamOptions = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, clip: 1 };

export class Adam {
  step = 0;
  readonly m: Record<string, Float32Array> = {};
  readonly v: Record<string, Float32Array> = {};

  constructor(
    readonly opts: AdamOptions,
    shapes: Record<string, number>,
  ) {
    for (const [k, n] of Object.entries(shapes)) {
      this.m[k] = new Float32Array(n);
      this.v[k] = new Float32Array(n);
    }
  }

  /** L2 norm of all gradients (before clipping), in float64. */
  static globalNorm(grads: Record<string, Float32Array>): number {
    let s = 0;
    for (const g of Object.values(grads)) for (let i = 0; i < g.length; i++) s += g[i] * g[i];
    return Math.sqrt(s);
  }

  apply(params: Record<string, Float32Array>, grads: Record<string, Float32Array>): void {
    const { lr, beta1, beta2, eps, clip } = this.opts;
    this.step++;
    const lrT = (lr * Math.sqrt(1 - beta2 ** this.step)) / (1 - beta1 ** this.step);
    for (const k of Object.keys(this.m)) {
      const p = params[k];
      const g = grads[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        let gi = g[i];
        if (clip > 0) gi = gi > clip ? clip : gi < -clip ? -clip : gi;
        const mi = beta1 * m[i] + (1 - beta1) * gi;
        const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= (lrT * mi) / (Math.sqrt(vi) + eps);
      }
    }
  }
}
