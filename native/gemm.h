// Blocked single-precision matrix products for the training step (docs/performance.md).
//
//   C[m x n] (+)= A[m x k] * B[k x n]
//
// B is row-major with row stride ldb. A is read through two strides, A(i, p) = a[i * ars + p * acs],
// so the same kernel computes A * B (ars = lda, acs = 1) and A^T * B (ars = 1, acs = lda) without
// materialising the transpose. The register block is 6 rows x 16 columns: 12 vectors of 8 floats
// as accumulators, two loads of B and one broadcast of A per step of p, which leaves the 16 AVX2
// registers one to spare; every multiply-add is one FMA when the compiler may contract
// (-ffp-contract=fast, -march=native on a machine with FMA). GCC's vector extensions keep the code
// portable: on a machine without AVX2 the same source compiles to narrower vectors.
#pragma once
#include <cstddef>

namespace infoscope {

void gemm(int m, int n, int k, const float* a, long ars, long acs, const float* b, long ldb, float* c, long ldc, bool accumulate);

}  // namespace infoscope
