// The leaky RNN's training step (see rnn_step.cc). Arrays are row-major float32, owned by the caller.
#pragma once
#include <vector>

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

struct AdamHyper {
  double lr, beta1, beta2, eps, clip;
};

struct AdamState {
  double step;
  float* m[5];  // wIn, wRec, b, wOut, bOut
  float* v[5];
  std::vector<float> gradIn, gradRec, gradOut;  // scratch for the weight gradients
};

struct StepResult {
  double loss, gradNorm;
};

// dAlpha may be null (a forward pass that no backward pass follows).
void rnnForward(const RnnDims& d, const RnnHyper& h, const RnnParams& p, const float* x, const float* noise, float* rate, float* dAlpha, float* out);
StepResult rnnStep(const RnnDims& d, const RnnHyper& h, RnnParams& p, AdamState& adam, const AdamHyper& ah, const float* x, const float* y, const float* cMask, const float* noise);

}  // namespace infoscope
