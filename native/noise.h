// Recurrent noise of a batch, drawn exactly as src/core/rng.ts draws it (see noise.cc).
#pragma once
#include <cstdint>

namespace infoscope {

// Ziggurat tables (128 layers), built once by the JavaScript side and handed over, so that both
// paths compare against the same numbers.
struct Ziggurat {
  const double *kn, *wn, *fn;
};

// out[(t * B + b) * N + j] = sd * normal draw number t * N + j of trial b's xoshiro128** stream,
// whose state is seeds[4 b .. 4 b + 3] (the state fromKey derives from the trial's key).
void recurrentNoise(int T, int B, int N, double sd, const int32_t* seeds, const Ziggurat& z, float* out);

// x[i] += sd * normal() for i < n, in order, from the stream whose state is state[0..3] (updated):
// Xoshiro128.addNormal's loop.
void addNormals(int32_t* state, float* x, long n, double sd, const Ziggurat& z);

}  // namespace infoscope
