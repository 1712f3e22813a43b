// Elementwise parts of the leaky RNN's step (see elementwise.cc for why they are a file of their own).
#pragma once

namespace infoscope {

// One time step for `rows` trials of n units: v = z + bias + rec + noise (rec, noise, prev may be
// null: the zero state at t = 0, no noise), rate = keep * prev + alpha * f(v), dAlpha = alpha * f'(v).
// act: 0 relu, 1 softplus, 2 tanh.
void activate(int act, int rows, int n, const float* z, const float* bias, const float* rec, const float* noise, const float* prev, float keep, float alpha, float* rate, float* dAlpha);

// The reservoir's update: x = keep * prev + leak * tanh(pre) (prev null: the zero state).
void leakyTanh(long n, const float* pre, const float* prev, float keep, float leak, float* x);

// o = sigmoid(o + bias) row by row.
void sigmoidRows(int rows, int n, float* o, const float* bias);

}  // namespace infoscope
