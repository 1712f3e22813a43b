// The JavaScript generator (src/core/rng.ts: xoshiro128** and the Marsaglia-Tsang ziggurat) in C++,
// draw for draw, so that the native path adds the same recurrent noise as the wasm path: the
// integer steps are the same 32-bit operations, and the products are the same double-precision
// products rounded once to float. This file is built without -ffp-contract=fast (binding.gyp): a
// fused multiply-add in the ziggurat's wedge test would round differently from JavaScript. The
// rare paths (about 1.2 % of draws) call exp and log; glibc's and V8's agree to the last bit on
// all but a vanishing fraction of arguments, and a disagreement can only flip a comparison that
// is within one ulp -- the test compares millions of draws bit for bit.
#include "noise.h"

#include <cmath>
#include <cstdlib>

namespace infoscope {

namespace {

constexpr double ZIG_R = 3.442619855899;

inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

struct Xoshiro {
  uint32_t a, b, c, d;
  uint32_t next() {
    const uint32_t r = rotl(b * 5u, 7) * 9u;
    const uint32_t t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return r;
  }
  double uniform() { return (double)next() / 4294967296.0; }
};

// |hz| as JavaScript's Math.abs sees an int32 (|-2^31| = 2^31, which int32 cannot hold).
inline double absInt(int32_t hz) { return std::fabs((double)hz); }

// out of line: inlined, the rare path crowds the hot loop's registers
__attribute__((noinline)) double slowNormal(Xoshiro& g, int32_t hz, const Ziggurat& z) {
  int iz = hz & 127;
  for (;;) {
    if (iz == 0) {
      double x, y;
      do {
        x = -std::log(1 - g.uniform()) / ZIG_R;
        y = -std::log(1 - g.uniform());
      } while (y + y < x * x);
      return hz > 0 ? ZIG_R + x : -ZIG_R - x;
    }
    const double x = (double)hz * z.wn[iz];
    const double u = g.uniform();
    if (z.fn[iz] + u * (z.fn[iz - 1] - z.fn[iz]) < std::exp(-0.5 * x * x)) return x;
    hz = (int32_t)g.next();
    iz = hz & 127;
    if (absInt(hz) < z.kn[iz]) return (double)hz * z.wn[iz];
  }
}

inline double normal(Xoshiro& g, const Ziggurat& z) {
  const int32_t r = (int32_t)g.next();
  const int iz = r & 127;
  return absInt(r) < z.kn[iz] ? (double)r * z.wn[iz] : slowNormal(g, r, z);
}

// n draws of sd * normal() into o, continuing g. The generator runs ahead in blocks of raw words
// (a tight loop of integer operations), which the fast path then turns into normals; at a draw that
// needs the rare path, the generator is rewound to just after that draw's word, since the rare
// path takes further words from the stream before the next draw's.
void fillNormals(Xoshiro& g, double sd, const Ziggurat& z, float* o, int n) {
  constexpr int BLOCK = 64;
  uint32_t raw[BLOCK];
  int j = 0;
  while (j < n) {
    const int m = n - j < BLOCK ? n - j : BLOCK;
    const Xoshiro start = g;
    for (int i = 0; i < m; ++i) raw[i] = g.next();
    int i = 0;
    for (; i < m; ++i) {
      const int32_t r = (int32_t)raw[i];
      const int iz = r & 127;
      if (!(absInt(r) < z.kn[iz])) break;
      // sd * r * WN in JavaScript is (sd * r) * WN: the same two roundings here
      o[j + i] = (float)((sd * (double)r) * z.wn[iz]);
    }
    if (i == m) {
      j += m;
      continue;
    }
    g = start;
    for (int q = 0; q <= i; ++q) g.next();
    o[j + i] = (float)(sd * slowNormal(g, (int32_t)raw[i], z));
    j += i + 1;
  }
}

}  // namespace

void addNormals(int32_t* state, float* x, long n, double sd, const Ziggurat& z) {
  Xoshiro g{(uint32_t)state[0], (uint32_t)state[1], (uint32_t)state[2], (uint32_t)state[3]};
  // x[i] += sd * normal() in JavaScript: the float widened, sd * v added in double, rounded once
  for (long i = 0; i < n; ++i) x[i] = (float)((double)x[i] + sd * normal(g, z));
  state[0] = (int32_t)g.a;
  state[1] = (int32_t)g.b;
  state[2] = (int32_t)g.c;
  state[3] = (int32_t)g.d;
}

void recurrentNoise(int T, int B, int N, double sd, const int32_t* seeds, const Ziggurat& z, float* out) {
  for (int b = 0; b < B; ++b) {
    Xoshiro g{(uint32_t)seeds[4 * b], (uint32_t)seeds[4 * b + 1], (uint32_t)seeds[4 * b + 2], (uint32_t)seeds[4 * b + 3]};
    if ((g.a | g.b | g.c | g.d) == 0) g.a = 0x9e3779b9u;
    for (int t = 0; t < T; ++t) fillNormals(g, sd, z, out + ((long)t * B + b) * N, N);
  }
}

}  // namespace infoscope
