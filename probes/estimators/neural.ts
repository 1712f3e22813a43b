/**
 * Neural variational lower bounds on I(X; Y) (docs/estimators.md, section 5): MINE (Donsker-Varadhan with
 * the moving-average gradient correction), InfoNCE and NWJ. The critic is separable,
 * f(x, y) = g(x) . h(y) with g, h small MLPs, so one B x B matmul scores every pairing in a batch:
 * the diagonal are samples of p(x, y), the off-diagonal of p(x) p(y).
 *
 * The critic is trained on one half of the data and the bound is evaluated on the other half
 * (a bound evaluated on its training data is inflated by overfitting). Seeded.
 */
import type * as TF from '@tensorflow/tfjs';
import { tf } from '../../src/core/tfjs.js';
import { estRng, permutation } from './random.js';
import type { Samples } from './types.js';

export type NeuralBound = 'mine' | 'infonce' | 'nwj';

interface NeuralOptions {
  bound: NeuralBound;
  steps: number;
  batch: number;
  hidden: number;
  lr: number;
  seed: number;
  /** Embedding size of g and h (default 16). */
  embed?: number;
  /** MINE's moving-average rate (default 0.01). */
  emaRate?: number;
}

interface Mlp {
  w1: TF.Variable;
  b1: TF.Variable;
  w2: TF.Variable;
  b2: TF.Variable;
}

function glorot(rows: number, cols: number, rng: ReturnType<typeof estRng>): TF.Variable {
  const lim = Math.sqrt(6 / (rows + cols));
  const v = new Float32Array(rows * cols).map(() => (2 * rng.uniform() - 1) * lim);
  return tf.variable(tf.tensor2d(v, [rows, cols]));
}

function mlp(inDim: number, hidden: number, out: number, rng: ReturnType<typeof estRng>): Mlp {
  return { w1: glorot(inDim, hidden, rng), b1: tf.variable(tf.zeros([hidden])), w2: glorot(hidden, out, rng), b2: tf.variable(tf.zeros([out])) };
}

function applyMlp(m: Mlp, x: TF.Tensor2D): TF.Tensor2D {
  return tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, m.w1), m.b1)), m.w2), m.b2) as TF.Tensor2D;
}

function rows(s: Samples, idx: ArrayLike<number>): TF.Tensor2D {
  const out = new Float32Array(idx.length * s.d);
  for (let i = 0; i < idx.length; i++) for (let j = 0; j < s.d; j++) out[i * s.d + j] = s.data[idx[i] * s.d + j];
  return tf.tensor2d(out, [idx.length, s.d]);
}

/** Score matrix S_ij = g(x_i) . h(y_j). */
function scores(g: Mlp, h: Mlp, xb: TF.Tensor2D, yb: TF.Tensor2D): TF.Tensor2D {
  return tf.matMul(applyMlp(g, xb), applyMlp(h, yb), false, true);
}

function offDiagMask(b: number): TF.Tensor2D {
  return tf.sub(tf.ones([b, b]), tf.eye(b)) as TF.Tensor2D;
}

/** log mean exp over the off-diagonal entries. */
function logMeanExpOffDiag(s: TF.Tensor2D, b: number): TF.Scalar {
  const masked = tf.add(s, tf.mul(tf.eye(b), -1e9));
  return tf.sub(tf.logSumExp(masked), Math.log(b * (b - 1))) as TF.Scalar;
}

function boundValue(bound: NeuralBound, s: TF.Tensor2D, b: number): TF.Scalar {
  const diag = tf.mean(tf.mul(s, tf.eye(b)).sum(1));
  if (bound === 'infonce') return tf.add(Math.log(b), tf.mean(tf.sub(tf.mul(s, tf.eye(b)).sum(1), tf.logSumExp(s, 1)))) as TF.Scalar;
  if (bound === 'nwj') {
    const off = tf.div(tf.sum(tf.mul(tf.exp(tf.sub(s, 1)), offDiagMask(b))), b * (b - 1));
    return tf.sub(diag, off) as TF.Scalar;
  }
  return tf.sub(diag, logMeanExpOffDiag(s, b)) as TF.Scalar; // Donsker-Varadhan
}

export function neuralMI(x: Samples, y: Samples, o: NeuralOptions): number {
  const rng = estRng(`neural/${o.seed}`);
  const n = x.n;
  const perm = permutation(n, rng);
  const nTrain = Math.floor(n / 2);
  const train = perm.subarray(0, nTrain);
  const test = perm.subarray(nTrain);
  const b = Math.max(2, Math.min(o.batch, nTrain, test.length));
  const embed = o.embed ?? 16;
  const g = mlp(x.d, o.hidden, embed, rng);
  const h = mlp(y.d, o.hidden, embed, rng);
  const vars = [g.w1, g.b1, g.w2, g.b2, h.w1, h.b1, h.w2, h.b2];
  const opt = tf.train.adam(o.lr);
  const emaRate = o.emaRate ?? 0.01;
  let ema = 1;
  const batchIdx = new Int32Array(b);
  try {
    for (let step = 0; step < o.steps; step++) {
      for (let i = 0; i < b; i++) batchIdx[i] = train[rng.int(nTrain)];
      tf.tidy(() => {
        const xb = rows(x, batchIdx);
        const yb = rows(y, batchIdx);
        opt.minimize(() => {
          const s = scores(g, h, xb, yb);
          if (o.bound === 'mine') {
            // grad of log E_q[e^f] is E_q[e^f grad f] / E_q[e^f]; MINE replaces the denominator by its moving average
            const diag = tf.mean(tf.mul(s, tf.eye(b)).sum(1));
            const meanExp = tf.div(tf.sum(tf.mul(tf.exp(s), offDiagMask(b))), b * (b - 1));
            ema = (1 - emaRate) * ema + emaRate * (meanExp.dataSync()[0] as number);
            return tf.neg(tf.sub(diag, tf.div(meanExp, Math.max(ema, 1e-4)))) as TF.Scalar;
          }
          return tf.neg(boundValue(o.bound, s, b)) as TF.Scalar;
        }, false, vars);
      });
    }
    // held-out value: the bound averaged over disjoint test batches
    let total = 0;
    let count = 0;
    for (let start = 0; start + b <= test.length; start += b) {
      const idx = test.subarray(start, start + b);
      total += tf.tidy(() => boundValue(o.bound, scores(g, h, rows(x, idx), rows(y, idx)), b).dataSync()[0]);
      count++;
    }
    return total / count;
  } finally {
    for (const v of vars) v.dispose();
    opt.dispose();
  }
}
