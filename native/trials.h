// Buffers and trial ranges shared by the native kernels. Arrays of a batch are time-major:
// [T, B, width], trial b of time step t at row t * B + b.
#pragma once
#include <cstring>
#include <vector>

namespace infoscope {

// v grown to hold n values (never shrunk: buffers are reused across steps; fresh pages every step
// cost page faults).
inline float* sized(std::vector<float>& v, size_t n) {
  if (v.size() < n) v.resize(n);
  return v.data();
}

// Trials [b0, b1) of a [T, B, width] array as a contiguous [T, b1 - b0, width] array: the array
// itself when the range is the whole batch, else a copy in buf.
inline const float* gatherTrials(const float* src, int T, int B, int width, int b0, int b1, std::vector<float>& buf) {
  if (b0 == 0 && b1 == B) return src;
  const long n = (long)(b1 - b0) * width;
  float* out = sized(buf, (size_t)T * n);
  for (int t = 0; t < T; ++t) std::memcpy(out + t * n, src + ((long)t * B + b0) * width, sizeof(float) * n);
  return out;
}

// The inverse: a contiguous [T, b1 - b0, width] array into trials [b0, b1) of dst [T, B, width].
inline void scatterTrials(const float* src, int T, int B, int width, int b0, int b1, float* dst) {
  const long n = (long)(b1 - b0) * width;
  for (int t = 0; t < T; ++t) std::memcpy(dst + ((long)t * B + b0) * width, src + t * n, sizeof(float) * n);
}

}  // namespace infoscope
