#include "gemm.h"

#include <cstring>
#include <vector>

namespace infoscope {

// v8f lives in registers; v8fu is the same vector read from or written to unaligned float memory
// (may_alias: it views float arrays). Loading through memcpy instead made GCC 12 spill half the
// accumulators of the 6 x 16 kernel to the stack: 10 GFLOP/s instead of 50-70.
typedef float v8f __attribute__((vector_size(32)));
typedef float v8fu __attribute__((vector_size(32), aligned(4), may_alias));

static inline v8f load8(const float* p) { return *reinterpret_cast<const v8fu*>(p); }
static inline void store8(float* p, v8f v) { *reinterpret_cast<v8fu*>(p) = v; }
static inline v8f splat(float x) { return v8f{x, x, x, x, x, x, x, x}; }

constexpr int MR = 6;
constexpr int NR = 16;
// p is blocked so that a 16-column panel of B (KC x 16 floats = 16 KB) stays in L1 while the row
// blocks of A stream past it
constexpr int KC = 256;

// Full 6 x 16 block: acc[r][0..1] hold C(i0 + r, j0 .. j0 + 15).
static inline void kernel6x16(int kc, const float* a, long ars, long acs, const float* b, long ldb, float* c, long ldc, bool load) {
  v8f c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
  if (load) {
    c00 = load8(c + 0 * ldc); c01 = load8(c + 0 * ldc + 8);
    c10 = load8(c + 1 * ldc); c11 = load8(c + 1 * ldc + 8);
    c20 = load8(c + 2 * ldc); c21 = load8(c + 2 * ldc + 8);
    c30 = load8(c + 3 * ldc); c31 = load8(c + 3 * ldc + 8);
    c40 = load8(c + 4 * ldc); c41 = load8(c + 4 * ldc + 8);
    c50 = load8(c + 5 * ldc); c51 = load8(c + 5 * ldc + 8);
  } else {
    c00 = c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = splat(0.0f);
  }
  for (int p = 0; p < kc; ++p) {
    const v8f b0 = load8(b + p * ldb);
    const v8f b1 = load8(b + p * ldb + 8);
    const float* ap = a + p * acs;
    v8f x;
    x = splat(ap[0 * ars]); c00 += x * b0; c01 += x * b1;
    x = splat(ap[1 * ars]); c10 += x * b0; c11 += x * b1;
    x = splat(ap[2 * ars]); c20 += x * b0; c21 += x * b1;
    x = splat(ap[3 * ars]); c30 += x * b0; c31 += x * b1;
    x = splat(ap[4 * ars]); c40 += x * b0; c41 += x * b1;
    x = splat(ap[5 * ars]); c50 += x * b0; c51 += x * b1;
  }
  store8(c + 0 * ldc, c00); store8(c + 0 * ldc + 8, c01);
  store8(c + 1 * ldc, c10); store8(c + 1 * ldc + 8, c11);
  store8(c + 2 * ldc, c20); store8(c + 2 * ldc + 8, c21);
  store8(c + 3 * ldc, c30); store8(c + 3 * ldc + 8, c31);
  store8(c + 4 * ldc, c40); store8(c + 4 * ldc + 8, c41);
  store8(c + 5 * ldc, c50); store8(c + 5 * ldc + 8, c51);
}

// A block of R < 6 rows x 16 columns: acc[r][0..1] hold C(i0 + r, j0 .. j0 + 15). R is a template
// argument so that every row count gets its accumulators in registers: the step's 64-row products
// end in a 4-row block, which the scalar edge loop made several times slower than the rest. (The
// full block keeps its hand-unrolled form: GCC 12 schedules it better than the template at R = 6.)
template <int R>
static inline void kernelRx16(int kc, const float* a, long ars, long acs, const float* b, long ldb, float* c, long ldc, bool load) {
  v8f acc0[R], acc1[R];
  for (int r = 0; r < R; ++r) {
    acc0[r] = load ? load8(c + r * ldc) : splat(0.0f);
    acc1[r] = load ? load8(c + r * ldc + 8) : splat(0.0f);
  }
  for (int p = 0; p < kc; ++p) {
    const v8f b0 = load8(b + p * ldb);
    const v8f b1 = load8(b + p * ldb + 8);
    const float* ap = a + p * acs;
#pragma GCC unroll 6
    for (int r = 0; r < R; ++r) {
      const v8f x = splat(ap[r * ars]);
      acc0[r] += x * b0;
      acc1[r] += x * b1;
    }
  }
  for (int r = 0; r < R; ++r) {
    store8(c + r * ldc, acc0[r]);
    store8(c + r * ldc + 8, acc1[r]);
  }
}

// Rows [0, mr) of a block whose B columns are 16 wide: the vector kernel for that row count.
static inline void kernelRows(int mr, int kc, const float* a, long ars, long acs, const float* b, long ldb, float* c, long ldc, bool load) {
  switch (mr) {
    case 6: kernel6x16(kc, a, ars, acs, b, ldb, c, ldc, load); break;
    case 5: kernelRx16<5>(kc, a, ars, acs, b, ldb, c, ldc, load); break;
    case 4: kernelRx16<4>(kc, a, ars, acs, b, ldb, c, ldc, load); break;
    case 3: kernelRx16<3>(kc, a, ars, acs, b, ldb, c, ldc, load); break;
    case 2: kernelRx16<2>(kc, a, ars, acs, b, ldb, c, ldc, load); break;
    default: kernelRx16<1>(kc, a, ars, acs, b, ldb, c, ldc, load); break;
  }
}

// The last columns when n is not a multiple of 16 (the readout's 33 outputs): B's panel is copied
// once into a zero-padded 16-wide buffer, each block is computed by the vector kernels into a
// 16-wide tile, and the tile's first nr columns are copied out. A scalar loop here ran at a third
// of the speed; the sums are the same (one multiply-add per p, in the same order).
thread_local std::vector<float> padB;

void gemm(int m, int n, int k, const float* a, long ars, long acs, const float* b, long ldb, float* c, long ldc, bool accumulate) {
  if (k == 0) {
    if (!accumulate)
      for (int i = 0; i < m; ++i) std::memset(c + i * ldc, 0, sizeof(float) * n);
    return;
  }
  for (int p0 = 0; p0 < k; p0 += KC) {
    const int kc = k - p0 < KC ? k - p0 : KC;
    const bool load = accumulate || p0 > 0;
    for (int j0 = 0; j0 < n; j0 += NR) {
      const int nr = n - j0 < NR ? n - j0 : NR;
      const float* bb = b + p0 * ldb + j0;
      for (int i0 = 0; i0 < m; i0 += MR) {
        const int mr = m - i0 < MR ? m - i0 : MR;
        const float* aa = a + i0 * ars + p0 * acs;
        float* cc = c + i0 * ldc + j0;
        if (nr == NR) {
          kernelRows(mr, kc, aa, ars, acs, bb, ldb, cc, ldc, load);
          continue;
        }
        if (i0 == 0) {
          if (padB.size() < (size_t)kc * NR) padB.resize((size_t)kc * NR);
          for (int p = 0; p < kc; ++p) {
            std::memcpy(&padB[(size_t)p * NR], bb + (long)p * ldb, sizeof(float) * nr);
            std::memset(&padB[(size_t)p * NR + nr], 0, sizeof(float) * (NR - nr));
          }
        }
        float tile[MR * NR] = {};
        if (load)
          for (int r = 0; r < mr; ++r) std::memcpy(tile + r * NR, cc + r * ldc, sizeof(float) * nr);
        kernelRows(mr, kc, aa, ars, acs, padB.data(), NR, tile, NR, true);
        for (int r = 0; r < mr; ++r) std::memcpy(cc + r * ldc, tile + r * NR, sizeof(float) * nr);
      }
    }
  }
}

}  // namespace infoscope
