// The leaky RNN's whole training step in one call: input projection over all time steps, the
// sequential recurrence, readout, masked loss, backward pass through time, element-wise gradient
// clipping and Adam. The same equations as models/rnn/bptt.ts and adam.ts (the reference the tests
// compare against); sums of the loss, the bias gradients and the gradient norm in double, Adam in
// double as the JavaScript does, so that the two paths differ only by float rounding in the
// products and the transcendentals.
#include "rnn_step.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "elementwise.h"
#include "gemm.h"

namespace infoscope {

namespace {

// Buffers reused across steps (a step needs ~20 MB; fresh pages every step cost page faults).
struct Workspace {
  std::vector<float> z, rate, dAlpha, out, dOut, dRate, dZ, carry, g, back, wOutT, wRecT;
  std::vector<double> gB;
  static float* sized(std::vector<float>& v, size_t n) {
    if (v.size() < n) v.resize(n);
    return v.data();
  }
};

thread_local Workspace ws;

void transpose(const float* a, int rows, int cols, float* out) {
  for (int i = 0; i < rows; ++i)
    for (int j = 0; j < cols; ++j) out[(long)j * rows + i] = a[(long)i * cols + j];
}

}  // namespace

void rnnForward(const RnnDims& d, const RnnHyper& h, const RnnParams& p, const float* x, const float* noise, float* rate, float* dAlpha, float* out) {
  const long TB = (long)d.T * d.B;
  const long BN = (long)d.B * d.N;
  float* z = Workspace::sized(ws.z, TB * d.N);
  // a forward pass alone (evaluation, probes) has no use for alpha * f'(z): keep it in the workspace
  if (dAlpha == nullptr) dAlpha = Workspace::sized(ws.dAlpha, TB * d.N);
  // all input projections at once: [T*B, nIn] x [nIn, N]
  gemm(TB, d.N, d.nIn, x, d.nIn, 1, p.wIn, d.N, z, d.N, false);
  float* rec = Workspace::sized(ws.back, BN);
  const float keep = 1.0f - h.alpha;
  for (int t = 0; t < d.T; ++t) {
    const long base = t * BN;
    if (t > 0) gemm(d.B, d.N, d.N, rate + base - BN, d.N, 1, p.wRec, d.N, rec, d.N, false);
    activate(h.act, d.B, d.N, z + base, p.b, t > 0 ? rec : nullptr, noise ? noise + base : nullptr, t > 0 ? rate + base - BN : nullptr, keep, h.alpha, rate + base, dAlpha + base);
  }
  gemm(TB, d.nOut, d.N, rate, d.N, 1, p.wOut, d.nOut, out, d.nOut, false);
  sigmoidRows(TB, d.nOut, out, p.bOut);
}

StepResult rnnStep(const RnnDims& d, const RnnHyper& h, RnnParams& p, AdamState& adam, const AdamHyper& ah, const float* x, const float* y, const float* cMask, const float* noise) {
  const long TB = (long)d.T * d.B;
  const long BN = (long)d.B * d.N;
  const int N = d.N, nIn = d.nIn, nOut = d.nOut;
  float* rate = Workspace::sized(ws.rate, TB * N);
  float* dAlpha = Workspace::sized(ws.dAlpha, TB * N);
  float* out = Workspace::sized(ws.out, TB * nOut);
  rnnForward(d, h, p, x, noise, rate, dAlpha, out);

  // masked mean squared error and its gradient w.r.t. the readout pre-activation
  const long nOutAll = TB * nOut;
  const double inv = 1.0 / (double)nOutAll;
  double sum = 0;
  float* dOut = Workspace::sized(ws.dOut, nOutAll);
  for (long i = 0; i < nOutAll; ++i) {
    const double o = out[i];
    const double c = cMask[i];
    const double e = (o - (double)y[i]) * c;
    sum += e * e;
    dOut[i] = (float)(2.0 * inv * e * c * o * (1.0 - o));
  }
  double loss = sum * inv;
  const long nRate = TB * N;
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    double s1 = 0, s2 = 0;
    for (long i = 0; i < nRate; ++i) {
      s1 += std::fabs((double)rate[i]);
      s2 += (double)rate[i] * rate[i];
    }
    loss += h.l1Rate * s1 / (double)nRate + 0.5 * h.l2Rate * s2;
  }
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

  // dL/dr_t from the readout for all t at once: dOut [T*B, nOut] x W_out^T [nOut, N]
  float* wOutT = Workspace::sized(ws.wOutT, (long)nOut * N);
  transpose(p.wOut, N, nOut, wOutT);
  float* dRate = Workspace::sized(ws.dRate, nRate);
  gemm(TB, N, nOut, dOut, nOut, 1, wOutT, N, dRate, N, false);
  if (h.l1Rate > 0 || h.l2Rate > 0) {
    const double c1 = h.l1Rate / (double)nRate;
    for (long i = 0; i < nRate; ++i) {
      const double r = rate[i];
      dRate[i] = (float)((double)dRate[i] + c1 * (r > 0 ? 1.0 : r < 0 ? -1.0 : 0.0) + h.l2Rate * r);
    }
  }

  // the sequential part, backwards: carry = dL/dr_{t-1} through the leak and W_rec
  float* dZ = Workspace::sized(ws.dZ, nRate);
  float* g = Workspace::sized(ws.g, BN);
  float* carry = Workspace::sized(ws.carry, BN);
  float* back = Workspace::sized(ws.back, BN);
  std::memset(carry, 0, sizeof(float) * BN);
  if ((long)ws.gB.size() < N) ws.gB.resize(N);
  double* gB = ws.gB.data();
  std::memset(gB, 0, sizeof(double) * N);
  float* wRecT = Workspace::sized(ws.wRecT, (long)N * N);
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
        g[r + j] = gi;
        dZ[i] = dz;
        gB[j] += dz;
      }
    }
    if (t > 0) {
      gemm(d.B, N, N, dZ + base, N, 1, wRecT, N, back, N, false);
      for (long i = 0; i < BN; ++i) carry[i] = keep * g[i] + back[i];
    }
  }

  // weight gradients, one product each over all T*B rows; A^T is read through strides
  std::vector<float>& gIn = adam.gradIn;
  std::vector<float>& gRec = adam.gradRec;
  std::vector<float>& gOut = adam.gradOut;
  gIn.resize((long)nIn * N);
  gRec.resize((long)N * N);
  gOut.resize((long)N * nOut);
  // dW_rec = sum_t r_{t-1}^T dZ_t: rows 0..T-2 of R against rows 1..T-1 of dZ
  gemm(N, N, (int)(TB - d.B), rate, 1, N, dZ + BN, N, gRec.data(), N, false);
  gemm(N, nOut, (int)TB, rate, 1, N, dOut, nOut, gOut.data(), nOut, false);
  gemm(nIn, N, (int)TB, x, 1, nIn, dZ, N, gIn.data(), N, false);
  std::vector<float> gBias(N), gBOut(nOut);
  for (int j = 0; j < N; ++j) gBias[j] = (float)gB[j];
  {
    std::vector<double> acc(nOut, 0.0);
    for (long i = 0; i < TB; ++i)
      for (int k = 0; k < nOut; ++k) acc[k] += dOut[i * nOut + k];
    for (int k = 0; k < nOut; ++k) gBOut[k] = (float)acc[k];
  }
  if (h.l1Weight > 0 || h.l2Weight > 0) {
    float* gw[3] = {gIn.data(), gRec.data(), gOut.data()};
    for (int w = 0; w < 3; ++w) {
      const double c1 = h.l1Weight / (double)wLen[w];
      for (long i = 0; i < wLen[w]; ++i) {
        const double v = weights[w][i];
        gw[w][i] = (float)((double)gw[w][i] + c1 * (v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0) + h.l2Weight * v);
      }
    }
  }

  // global norm before clipping, in double, in the parameter order wIn, wRec, b, wOut, bOut
  const float* grads[5] = {gIn.data(), gRec.data(), gBias.data(), gOut.data(), gBOut.data()};
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
