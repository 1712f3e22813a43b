// The echo-state network's state run, the statistics of its ridge readout and the solve.
#include "esn.h"

#include <cmath>
#include <vector>

#include "elementwise.h"
#include "gemm.h"
#include "parallel.h"
#include "trials.h"

namespace infoscope {

namespace {

// per thread: the helper thread has its own
thread_local std::vector<float> preBuf, xBuf, outBuf, scaledX, scaledY, xtxPart, xtyPart;

void statesContiguous(int nIn, int N, int T, int B, float leak, const float* wIn, const float* wRec, const float* b, const float* x, float* out) {
  const long TB = (long)T * B, BN = (long)B * N;
  float* pre = sized(preBuf, (size_t)TB * N);
  gemm(TB, N, nIn, x, nIn, 1, wIn, N, pre, N, false);
  for (long i = 0; i < TB; ++i)
    for (int j = 0; j < N; ++j) pre[i * N + j] += b[j];
  for (int t = 0; t < T; ++t) {
    const long base = t * BN;
    // pre_t += x_{t-1} W_rec, then the leaky tanh update
    if (t > 0) gemm(B, N, N, out + base - BN, N, 1, wRec, N, pre + base, N, true);
    leakyTanh(BN, pre + base, t > 0 ? out + base - BN : nullptr, 1.0f - leak, leak, out + base);
  }
}

}  // namespace

void esnStates(int nIn, int N, int T, int B, float leak, const float* wIn, const float* wRec, const float* b, const float* x, float* out, int threads) {
  if (threads < 2 || B < 2) {
    statesContiguous(nIn, N, T, B, leak, wIn, wRec, b, x, out);
    return;
  }
  auto part = [&](int b0, int b1) {
    float* o = sized(outBuf, (size_t)T * (b1 - b0) * N);
    statesContiguous(nIn, N, T, b1 - b0, leak, wIn, wRec, b, gatherTrials(x, T, B, nIn, b0, b1, xBuf), o);
    scatterTrials(o, T, B, N, b0, b1, out);
  };
  const int mid = half(B);
  Helper::get().both([&] { part(0, mid); }, [&] { part(mid, B); });
}

void esnAccumulate(int N, int nOut, long rows, const float* x, const float* y, const float* w, double* xtx, double* xty, int threads) {
  const int n1 = N + 1;
  // rows scaled by sqrt(w): [x, 1] -> xs, y -> ys
  float* xs = sized(scaledX, (size_t)rows * n1);
  float* ys = sized(scaledY, (size_t)rows * nOut);
  for (long i = 0; i < rows; ++i) {
    const float s = std::sqrt(w[i]);
    for (int j = 0; j < N; ++j) xs[i * n1 + j] = s * x[i * N + j];
    xs[i * n1 + N] = s;
    for (int k = 0; k < nOut; ++k) ys[i * nOut + k] = s * y[i * nOut + k];
  }
  // X^T X is symmetric: only the blocks on and above the diagonal are computed, column panels of
  // 64 (each entry is the same sum in the same order as the full product's, so nothing changes but
  // the time), then mirrored. The panels are shared between threads by column: no entry is summed
  // by two threads, so the result does not depend on the thread count.
  constexpr int P = 64;
  float* c = sized(xtxPart, (size_t)n1 * n1);
  float* cy = sized(xtyPart, (size_t)n1 * nOut);
  const int panels = (n1 + P - 1) / P;
  auto work = [&](int which, int of) {
    for (int q = which; q < panels; q += of) {
      const int j0 = q * P, nc = n1 - j0 < P ? n1 - j0 : P;
      gemm(j0 + nc, nc, (int)rows, xs, 1, n1, xs + j0, n1, c + j0, n1, false);
    }
    if (which == of - 1) gemm(n1, nOut, (int)rows, xs, 1, n1, ys, nOut, cy, nOut, false);
  };
  if (threads >= 2)
    Helper::get().both([&] { work(0, 2); }, [&] { work(1, 2); });
  else
    work(0, 1);
  for (int i = 0; i < n1; ++i) {
    for (int j = i; j < n1; ++j) {
      const double v = c[(size_t)i * n1 + j];
      xtx[(size_t)i * n1 + j] += v;
      if (j != i) xtx[(size_t)j * n1 + i] += v;
    }
  }
  for (size_t i = 0; i < (size_t)n1 * nOut; ++i) xty[i] += cy[i];
}

bool ridgeSolve(int n1, int nOut, const double* xtx, const double* xty, double ridge, float* out) {
  // L L^T = A, lower triangle in l (row-major)
  std::vector<double> l((size_t)n1 * n1, 0.0);
  for (int i = 0; i < n1; ++i) {
    for (int j = 0; j <= i; ++j) {
      double s = xtx[(size_t)i * n1 + j] + (i == j && i < n1 - 1 ? ridge : 0.0);
      const double* li = &l[(size_t)i * n1];
      const double* lj = &l[(size_t)j * n1];
      for (int k = 0; k < j; ++k) s -= li[k] * lj[k];
      if (i == j) {
        if (!(s > 0) || !std::isfinite(s)) return false;
        l[(size_t)i * n1 + i] = std::sqrt(s);
      } else {
        l[(size_t)i * n1 + j] = s / lj[j];
      }
    }
  }
  std::vector<double> z(n1);
  for (int k = 0; k < nOut; ++k) {
    // L z = b, then L^T w = z
    for (int i = 0; i < n1; ++i) {
      double s = xty[(size_t)i * nOut + k];
      for (int j = 0; j < i; ++j) s -= l[(size_t)i * n1 + j] * z[j];
      z[i] = s / l[(size_t)i * n1 + i];
    }
    for (int i = n1 - 1; i >= 0; --i) {
      double s = z[i];
      for (int j = i + 1; j < n1; ++j) s -= l[(size_t)j * n1 + i] * z[j];
      z[i] = s / l[(size_t)i * n1 + i];
    }
    for (int i = 0; i < n1; ++i) out[(size_t)i * nOut + k] = (float)z[i];
  }
  return true;
}

}  // namespace infoscope
