// The leaky RNN's training step (see rnn_step.cc). Arrays are row-major float32, owned by the caller.
#pragma once
#include <cstdint>
#include <vector>

#include "noise.h"

namespace infoscope {

struct RnnDims {
  int nIn, N, nOut, T, B;
};

struct RnnHyper {
  float alpha;
  int act;  // 0 relu, 1 softplus, 2 tanh
  double l1Rate, l2Rate, l1Weight, l2Weight;
};

struct RnnParams {
  float *wIn, *wRec, *b, *wOut, *bOut;
};

// Recurrent noise [T, B, N]: given (values), drawn here from each trial's stream state (seeds, 4
// words per trial, scaled by sd), or none (both null).
struct NoiseIn {
  const float* values = nullptr;
  const int32_t* seeds = nullptr;
  double sd = 0;
  Ziggurat z{nullptr, nullptr, nullptr};
};

struct AdamHyper {
  double lr, beta1, beta2, eps, clip;
};

struct AdamState {
  double step;
  float* m[5];  // wIn, wRec, b, wOut, bOut
  float* v[5];
};

struct StepResult {
  double loss, gradNorm;
};

// threads: 1, or 2 (the batch is split in two halves computed at once; the halves' gradients are
// summed in a fixed order, so a given thread count repeats bit for bit).
// dAlpha may be null (a forward pass that no backward pass follows).
void rnnForward(const RnnDims& d, const RnnHyper& h, const RnnParams& p, const float* x, const NoiseIn& noise, float* rate, float* dAlpha, float* out, int threads);
StepResult rnnStep(const RnnDims& d, const RnnHyper& h, RnnParams& p, AdamState& adam, const AdamHyper& ah, const float* x, const float* y, const float* cMask, const NoiseIn& noise, int threads);

}  // namespace infoscope
