// The echo-state network's heavy parts (see esn.cc).
#pragma once

namespace infoscope {

// States x_t = (1 - leak) x_{t-1} + leak tanh(u_t W_in + x_{t-1} W_rec + b), x_{-1} = 0, of a
// time-major batch; threads 2 runs the two halves of the batch at once (the same numbers).
void esnStates(int nIn, int N, int T, int B, float leak, const float* wIn, const float* wRec, const float* b, const float* x, float* out, int threads);

// Adds [x, 1]^T C [x, 1] to xtx [(N+1)^2] and [x, 1]^T C y to xty [(N+1) x nOut], C = diag(w) over
// the rows, in float products accumulated into double, as the JavaScript path does.
void esnAccumulate(int N, int nOut, long rows, const float* x, const float* y, const float* w, double* xtx, double* xty, int threads);

// W = (xtx + ridge I')^-1 xty by Cholesky in double, I' = I without the last (bias) entry. False
// when the matrix is not positive definite (the caller then solves another way); out untouched.
bool ridgeSolve(int n1, int nOut, const double* xtx, const double* xty, double ridge, float* out);

}  // namespace infoscope
