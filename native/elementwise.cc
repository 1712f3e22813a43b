// Elementwise work of the leaky RNN's step. This file alone is compiled with -ffast-math, so that
// GCC vectorises expf and logf through glibc's vector math library (8 floats per call with AVX2);
// the step's loss, its checks for non-finite values and Adam live in rnn_step.cc, compiled without
// it. Each loop is branch-free: the sign of a noisy pre-activation is a coin flip.
#include "elementwise.h"

#include <cmath>

namespace infoscope {

void activate(int act, int rows, int n, const float* z, const float* bias, const float* rec, const float* noise, const float* prev, float keep, float alpha, float* rate, float* dAlpha) {
  for (int r = 0; r < rows; ++r) {
    const float* zr = z + (long)r * n;
    const float* rr = rec ? rec + (long)r * n : nullptr;
    const float* nr = noise ? noise + (long)r * n : nullptr;
    const float* pr = prev ? prev + (long)r * n : nullptr;
    float* out = rate + (long)r * n;
    float* da = dAlpha + (long)r * n;
    if (act == 0) {
#pragma GCC ivdep
      for (int j = 0; j < n; ++j) {
        const float v = zr[j] + bias[j] + (rr ? rr[j] : 0.0f) + (nr ? nr[j] : 0.0f);
        const float f = v > 0.0f ? v : 0.0f;
        da[j] = v > 0.0f ? alpha : 0.0f;
        out[j] = (pr ? keep * pr[j] : 0.0f) + alpha * f;
      }
    } else if (act == 1) {
#pragma GCC ivdep
      for (int j = 0; j < n; ++j) {
        const float v = zr[j] + bias[j] + (rr ? rr[j] : 0.0f) + (nr ? nr[j] : 0.0f);
        const float e = expf(-fabsf(v));
        // log1p(e) for e in (0, 1]: logf(1 + e) loses e below ~1e-4, where e - e^2/2 is exact enough
        const float l = e < 1e-4f ? e * (1.0f - 0.5f * e) : logf(1.0f + e);
        const float f = (v > 0.0f ? v : 0.0f) + l;
        // alpha * sigmoid(v): 1 / (1 + e) for v >= 0, e / (1 + e) below
        da[j] = alpha * (v < 0.0f ? e : 1.0f) / (1.0f + e);
        out[j] = (pr ? keep * pr[j] : 0.0f) + alpha * f;
      }
    } else {
#pragma GCC ivdep
      for (int j = 0; j < n; ++j) {
        const float v = zr[j] + bias[j] + (rr ? rr[j] : 0.0f) + (nr ? nr[j] : 0.0f);
        // tanh(v) = 1 - 2 / (exp(2v) + 1), with v clamped where tanh is +-1 in float anyway
        const float vc = v > 15.0f ? 15.0f : (v < -15.0f ? -15.0f : v);
        const float f = 1.0f - 2.0f / (expf(2.0f * vc) + 1.0f);
        da[j] = alpha * (1.0f - f * f);
        out[j] = (pr ? keep * pr[j] : 0.0f) + alpha * f;
      }
    }
  }
}

void leakyTanh(long n, const float* pre, const float* prev, float keep, float leak, float* x) {
#pragma GCC ivdep
  for (long i = 0; i < n; ++i) {
    const float v = pre[i] > 15.0f ? 15.0f : (pre[i] < -15.0f ? -15.0f : pre[i]);
    const float f = 1.0f - 2.0f / (expf(2.0f * v) + 1.0f);
    x[i] = (prev ? keep * prev[i] : 0.0f) + leak * f;
  }
}

void sigmoidRows(int rows, int n, float* o, const float* bias) {
  for (int r = 0; r < rows; ++r) {
    float* orow = o + (long)r * n;
#pragma GCC ivdep
    for (int k = 0; k < n; ++k) {
      // e = exp(-|v|) lies in (0, 1], so nothing overflows: under -ffast-math, 1 / (1 + expf(88.8))
      // is inf times a reciprocal estimate, NaN, where unbounded (relu) activity drives a readout
      // pre-activation below -88.7
      const float v = orow[k] + bias[k];
      const float e = expf(-fabsf(v));
      orow[k] = (v < 0.0f ? e : 1.0f) / (1.0f + e);
    }
  }
}

}  // namespace infoscope
