// The leaky RNN's whole training step in one call: input projection over all time steps, the
// sequential recurrence, readout, masked loss, backward pass through time, element-wise gradient
// clipping and Adam. The same equations as models/rnn/bptt.ts and adam.ts (the reference the tests
// compare against); sums of the loss, the bias gradients and the gradient norm in double, Adam in
// double as the JavaScript does, so that the two paths differ only by float rounding in the
// products and the transcendentals.
//
// With two threads the batch is split into two halves of trials. Each half runs forward and
// backward on its own (the trials are independent until the weight gradients), on its own copy of
// its trials' rows and with its own noise; the halves' gradients are then added, half 0 + half 1,
// and Adam runs once.
#include "rnn_step.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "elementwise.h"
#include "gemm.h"
#include "parallel.h"
#include "trials.h"

namespace infoscope {

namespace {

// Buffers reused across steps (a step needs ~20 MB). One per thread: the helper thread has its own.
struct Workspace {
  std::vector<float> z, rate, dAlpha, out, dOut, dRate, dZ, carry, g, back, xs, ys, cs, noise, wOutT, wRecT;
};

thread_local Workspace ws;

void transpose(const float* a, int rows, int cols, float* out) {
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) out[(long)j * rows + i] = a[(long)i * cols + j];
}

// The noise of trials [b0, b1), laid out [T, b1 - b0, N].
const float* noiseOf(const NoiseIn& nz, int T, int B, int N, int b0, int b1, std::vector<float>& buf) {
  if (nz.values) return gatherTrials(nz.values, T, B, N, b0, b1, buf);
  if (!nz.seeds) return nullptr;
  float* out = sized(buf, (size_t)T * (b1 - b0) * N);
  recurrentNoise(T, b1 - b0, N, nz.sd, nz.seeds + 4L * b0, nz.z, out);
  return out;
}

// Forward pass of a contiguous batch (d.B trials): rate, dAlpha = alpha f'(z) and out, all [T*B, .].
void forwardContiguous(const RnnDims& d, const RnnHyper& h, const RnnParams& p, const float* x, const float* noise, float* rate, float* dAlpha, float* out) {
  const long TB = (long)d.T * d.B;
  const long BN = (long)d.B * d.N;
  float* z = sized(ws.z, TB * d.N);
  // all input projections at once: [T*B, nIn] x [nIn, N]
  gemm(TB, d.N, d.nIn, x, d.nIn, 1, p.wIn, d.N, z, d.N, false);
  float* rec = sized(ws.back, BN);
  const float keep = 1.0f - h.alpha;
  for (int t = 0; t < d.T; ++t) {
    const long base = t * BN;
    if (t > 0) gemm(d.B, d.N, d.N, rate + base - BN, d.N, 1, p.wRec, d.N, rec, d.N, false);
    activate(h.act, d.B, d.N, z + base, p.b, t > 0 ? rec : nullptr, noise ? noise + base : nullptr, t > 0 ? rate + base - BN : nullptr, keep, h.alpha, rate + base, dAlpha + base);
  }
  gemm(TB, d.nOut, d.N, rate, d.N, 1, p.wOut, d.nOut, out, d.nOut, false);
  sigmoidRows(TB, d.nOut, out, p.bOut);
}

// What one part of the batch contributes: its share of the loss sums and of the gradients.
struct Partial {
  double sse = 0, s1 = 0, s2 = 0;
  std::vector<float> gIn, gRec, gOut;
  std::vector<double> gB, gBOut;
};

// Forward and backward through time for trials [b0, b1) of the batch d. Normalisers are the whole
// batch's, so that the parts' gradients add up to the batch's.
void partialGrads(const RnnDims& full, int b0, int b1, const RnnHyper& h, const RnnParams& p, const float* xAll, const float* yAll, const float* cAll, const NoiseIn& nz, Partial& g) {
  const RnnDims d{full.nIn, full.N, full.nOut, full.T, b1 - b0};
  const int N = d.N, nIn = d.nIn, nOut = d.nOut;
  const long TB = (long)d.T * d.B;
  const long BN = (long)d.B * N;
  const double inv = 1.0 / ((double)full.T * full.B * nOut);
  const double nRateAll = (double)full.T * full.B * N;
  const float* x = gatherTrials(xAll, d.T, full.B, nIn, b0, b1, ws.xs);
  const float* y = gatherTrials(yAll, d.T, full.B, nOut, b0, b1, ws.ys);
  const float* cMask = gatherTrials(cAll, d.T, full.B, nOut, b0, b1, ws.cs);
  const float* noise = noiseOf(nz, d.T, full.B, N, b0, b1, ws.noise);
  float* rate = sized(ws.rate, TB * N);
  float* dAlpha = sized(ws.dAlpha, TB * N);
  float* out = sized(ws.out, TB * nOut);
  forwardContiguous(d, h, p, x, noise, rate, dAlpha, out);

  // masked mean squared error and its gradient w.r.t. the readout pre-activation
  const long nOutAll = TB * nOut;
  double sse = 0;
  float* dOut = sized(ws.dOut, nOutAll);
  for (long i = 0; i < nOutAll; ++i) {
    const double o = out[i];
    const double c = cMask[i];
    const double e = (o - (double)y[i]) * c;
    sse += e * e;
    dOut[i] = (float)(2.0 * inv * e * c * o * (1.0 - o));
  }
  g.sse = sse;
  const long nRate = TB * N;
  g.s1 = g.s2 = 0;
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    for (long i = 0; i < nRate; ++i) {
      g.s1 += std::fabs((double)rate[i]);
      g.s2 += (double)rate[i] * rate[i];
    }
  }

  // dL/dr_t from the readout for all t at once: dOut [T*B, nOut] x W_out^T [nOut, N]
  float* wOutT = sized(ws.wOutT, (long)nOut * N);
  transpose(p.wOut, N, nOut, wOutT);
  float* dRate = sized(ws.dRate, nRate);
  gemm(TB, N, nOut, dOut, nOut, 1, wOutT, N, dRate, N, false);
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    const double c1 = h.l1Rate / nRateAll;
    for (long i = 0; i < nRate; ++i) {
      const double r = rate[i];
      dRate[i] = (float)((double)dRate[i] + c1 * (r > 0 ? 1.0 : r < 0 ? -1.0 : 0.0) + h.l2Rate * r);
    }
  }

  // the sequential part, backwards: carry = dL/dr_{t-1} through the leak and W_rec
  float* dZ = sized(ws.dZ, nRate);
  float* gt = sized(ws.g, BN);
  float* carry = sized(ws.carry, BN);
  float* back = sized(ws.back, BN);
  std::memset(carry, 0, sizeof(float) * BN);
  g.gB.assign(N, 0.0);
  double* gB = g.gB.data();
  float* wRecT = sized(ws.wRecT, (long)N * N);
  transpose(p.wRec, N, N, wRecT);
  const float keep = 1.0f - h.alpha;
  for (int t = d.T - 1; t >= 0; --t) {
    const long base = t * BN;
    for (int bi = 0; bi < d.B; ++bi) {
      const long r = (long)bi * N;
      for (int j = 0; j < N; ++j) {
        const long i = base + r + j;
        const float gi = dRate[i] + carry[r + j];
        const float dz = gi * dAlpha[i];
        gt[r + j] = gi;
        dZ[i] = dz;
        gB[j] += dz;
      }
    }
    if (t > 0) {
      gemm(d.B, N, N, dZ + base, N, 1, wRecT, N, back, N, false);
      for (long i = 0; i < BN; ++i) carry[i] = keep * gt[i] + back[i];
    }
  }

  // weight gradients, one product each over all T*B rows; A^T is read through strides
  g.gIn.resize((size_t)nIn * N);
  g.gRec.resize((size_t)N * N);
  g.gOut.resize((size_t)N * nOut);
  // dW_rec = sum_t r_{t-1}^T dZ_t: rows 0..T-2 of R against rows 1..T-1 of dZ
  gemm(N, N, (int)(TB - d.B), rate, 1, N, dZ + BN, N, g.gRec.data(), N, false);
  gemm(N, nOut, (int)TB, rate, 1, N, dOut, nOut, g.gOut.data(), nOut, false);
  gemm(nIn, N, (int)TB, x, 1, nIn, dZ, N, g.gIn.data(), N, false);
  g.gBOut.assign(nOut, 0.0);
  for (long i = 0; i < TB; ++i)
    for (int k = 0; k < nOut; ++k) g.gBOut[k] += dOut[i * nOut + k];
}

// The two halves of a batch of B trials, or the whole batch as one part.
int partsOf(int B, int threads) { return threads >= 2 && B >= 2 ? 2 : 1; }

}  // namespace

void rnnForward(const RnnDims& d, const RnnHyper& h, const RnnParams& p, const float* x, const NoiseIn& nz, float* rate, float* dAlpha, float* out, int threads) {
  if (partsOf(d.B, threads) == 1) {
    // a forward pass alone (evaluation, probes) has no use for alpha * f'(z): keep it in the workspace
    if (dAlpha == nullptr) dAlpha = sized(ws.dAlpha, (size_t)d.T * d.B * d.N);
    forwardContiguous(d, h, p, x, noiseOf(nz, d.T, d.B, d.N, 0, d.B, ws.noise), rate, dAlpha, out);
    return;
  }
  auto part = [&](int b0, int b1) {
    const RnnDims s{d.nIn, d.N, d.nOut, d.T, b1 - b0};
    const long TB = (long)s.T * s.B;
    float* r = sized(ws.rate, TB * d.N);
    float* a = sized(ws.dAlpha, TB * d.N);
    float* o = sized(ws.out, TB * d.nOut);
    forwardContiguous(s, h, p, gatherTrials(x, d.T, d.B, d.nIn, b0, b1, ws.xs), noiseOf(nz, d.T, d.B, d.N, b0, b1, ws.noise), r, a, o);
    scatterTrials(r, d.T, d.B, d.N, b0, b1, rate);
    scatterTrials(o, d.T, d.B, d.nOut, b0, b1, out);
    if (dAlpha) scatterTrials(a, d.T, d.B, d.N, b0, b1, dAlpha);
  };
  const int mid = half(d.B);
  Helper::get().both([&] { part(0, mid); }, [&] { part(mid, d.B); });
}

StepResult rnnStep(const RnnDims& d, const RnnHyper& h, RnnParams& p, AdamState& adam, const AdamHyper& ah, const float* x, const float* y, const float* cMask, const NoiseIn& nz, int threads) {
  const int N = d.N, nIn = d.nIn, nOut = d.nOut;
  static thread_local Partial parts[2];
  const int nParts = partsOf(d.B, threads);
  if (nParts == 1) {
    partialGrads(d, 0, d.B, h, p, x, y, cMask, nz, parts[0]);
  } else {
    const int mid = half(d.B);
    Partial& second = parts[1];
    Helper::get().both([&] { partialGrads(d, 0, mid, h, p, x, y, cMask, nz, parts[0]); }, [&] { partialGrads(d, mid, d.B, h, p, x, y, cMask, nz, second); });
  }
  // the batch's gradients: part 0, plus part 1 where the batch was split
  Partial& g = parts[0];
  if (nParts == 2) {
    const Partial& o = parts[1];
    g.sse += o.sse;
    g.s1 += o.s1;
    g.s2 += o.s2;
    for (size_t i = 0; i < g.gIn.size(); ++i) g.gIn[i] += o.gIn[i];
    for (size_t i = 0; i < g.gRec.size(); ++i) g.gRec[i] += o.gRec[i];
    for (size_t i = 0; i < g.gOut.size(); ++i) g.gOut[i] += o.gOut[i];
    for (int j = 0; j < N; ++j) g.gB[j] += o.gB[j];
    for (int k = 0; k < nOut; ++k) g.gBOut[k] += o.gBOut[k];
  }

  const double nRateAll = (double)d.T * d.B * N;
  double loss = g.sse / ((double)d.T * d.B * nOut);
  if (h.l1Rate > 0 || h.l2Rate > 0) loss += h.l1Rate * g.s1 / nRateAll + 0.5 * h.l2Rate * g.s2;
  const float* weights[3] = {p.wIn, p.wRec, p.wOut};
  const long wLen[3] = {(long)nIn * N, (long)N * N, (long)N * nOut};
  if (h.l1Weight > 0 || h.l2Weight > 0) {
    for (int w = 0; w < 3; ++w) {
      double s1 = 0, s2 = 0;
      for (long i = 0; i < wLen[w]; ++i) {
        s1 += std::fabs((double)weights[w][i]);
        s2 += (double)weights[w][i] * weights[w][i];
      }
      loss += h.l1Weight * s1 / (double)wLen[w] + 0.5 * h.l2Weight * s2;
    }
  }
  std::vector<float> gBias(N), gBOut(nOut);
  for (int j = 0; j < N; ++j) gBias[j] = (float)g.gB[j];
  for (int k = 0; k < nOut; ++k) gBOut[k] = (float)g.gBOut[k];
  if (h.l1Weight > 0 || h.l2Weight > 0) {
    float* gw[3] = {g.gIn.data(), g.gRec.data(), g.gOut.data()};
    for (int w = 0; w < 3; ++w) {
      const double c1 = h.l1Weight / (double)wLen[w];
      for (long i = 0; i < wLen[w]; ++i) {
        const double v = weights[w][i];
        gw[w][i] = (float)((double)gw[w][i] + c1 * (v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0) + h.l2Weight * v);
      }
    }
  }

  // global norm before clipping, in double, in the parameter order wIn, wRec, b, wOut, bOut
  const float* grads[5] = {g.gIn.data(), g.gRec.data(), gBias.data(), g.gOut.data(), gBOut.data()};
  const long gLen[5] = {(long)nIn * N, (long)N * N, N, (long)N * nOut, nOut};
  double s = 0;
  for (int q = 0; q < 5; ++q)
    for (long i = 0; i < gLen[q]; ++i) s += (double)grads[q][i] * grads[q][i];
  const double gradNorm = std::sqrt(s);

  // a non-finite loss must not touch the weights: the engine stops the run on it
  if (std::isfinite(loss) && std::isfinite(gradNorm)) {
    adam.step += 1;
    const double lrT = ah.lr * std::sqrt(1 - std::pow(ah.beta2, adam.step)) / (1 - std::pow(ah.beta1, adam.step));
    float* params[5] = {p.wIn, p.wRec, p.b, p.wOut, p.bOut};
    for (int q = 0; q < 5; ++q) {
      float* w = params[q];
      float* m = adam.m[q];
      float* v = adam.v[q];
      const float* gq = grads[q];
      for (long i = 0; i < gLen[q]; ++i) {
        double gi = gq[i];
        if (ah.clip > 0) gi = gi > ah.clip ? ah.clip : gi < -ah.clip ? -ah.clip : gi;
        const double mi = ah.beta1 * (double)m[i] + (1 - ah.beta1) * gi;
        const double vi = ah.beta2 * (double)v[i] + (1 - ah.beta2) * gi * gi;
        m[i] = (float)mi;
        v[i] = (float)vi;
        w[i] = (float)((double)w[i] - (lrT * mi) / (std::sqrt(vi) + ah.eps));
      }
    }
  }
  return {loss, gradNorm};
}

}  // namespace infoscope
