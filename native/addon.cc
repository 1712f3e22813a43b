// Node-API binding of the native kernels. Every argument is checked here, once: a wrong size would
// otherwise read or write outside a typed array.
#include <napi.h>

#include <string>
#include <vector>

#include "elementwise.h"
#include "esn.h"
#include "gemm.h"
#include "noise.h"
#include "rnn_step.h"

using namespace infoscope;

namespace {

float* f32(const Napi::Object& o, const char* key, size_t need, bool optional = false) {
  Napi::Value v = o.Get(key);
  if (optional && (v.IsNull() || v.IsUndefined())) return nullptr;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a Float32Array");
  Napi::Float32Array a = v.As<Napi::Float32Array>();
  if (a.ElementLength() < need)
    throw Napi::RangeError::New(o.Env(), std::string(key) + " has " + std::to_string(a.ElementLength()) + " values, needs " + std::to_string(need));
  return a.Data();
}

double num(const Napi::Object& o, const char* key) {
  Napi::Value v = o.Get(key);
  if (!v.IsNumber()) throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

int posInt(const Napi::Object& o, const char* key) {
  const double d = num(o, key);
  if (!(d >= 1 && d <= 1e8) || d != (double)(long)d) throw Napi::RangeError::New(o.Env(), std::string(key) + " must be a positive integer");
  return (int)d;
}

double* f64(const Napi::Object& o, const char* key, size_t need) {
  Napi::Value v = o.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw Napi::TypeError::New(o.Env(), std::string(key) + " must be a Float64Array");
  Napi::Float64Array a = v.As<Napi::Float64Array>();
  if (a.ElementLength() < need) throw Napi::RangeError::New(o.Env(), std::string(key) + " has " + std::to_string(a.ElementLength()) + " values, needs " + std::to_string(need));
  return a.Data();
}

// An Int32Array of at least `need` values (exactly `need` when exact).
int32_t* i32(const Napi::Object& o, const char* key, size_t need, bool exact, const char* what) {
  Napi::Value v = o.Get(key);
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array || v.As<Napi::Int32Array>().ElementLength() < need ||
      (exact && v.As<Napi::Int32Array>().ElementLength() != need))
    throw Napi::TypeError::New(o.Env(), std::string(key) + " must be an Int32Array of " + what);
  return v.As<Napi::Int32Array>().Data();
}

// The ziggurat's tables, handed over by src/core/rng.ts.
Ziggurat zigguratOf(const Napi::Object& o) { return Ziggurat{f64(o, "kn", 128), f64(o, "wn", 128), f64(o, "fn", 128)}; }

// The step's and the forward pass's noise: `noise` (a [T, B, N] Float32Array), or `noiseSeeds` (4
// words of stream state per trial) with `noiseSd` and the ziggurat tables, or neither.
NoiseIn parseNoise(const Napi::Object& o, int T, int B, int N) {
  NoiseIn nz;
  nz.values = f32(o, "noise", (size_t)T * B * N, true);
  Napi::Value sv = o.Get("noiseSeeds");
  if (sv.IsNull() || sv.IsUndefined()) return nz;
  if (nz.values) throw Napi::TypeError::New(o.Env(), "give noise or noiseSeeds, not both");
  nz.seeds = i32(o, "noiseSeeds", (size_t)4 * B, false, "4 words per trial");
  nz.sd = num(o, "noiseSd");
  nz.z = zigguratOf(o);
  return nz;
}

// threads: 1 (the default) or 2
int threadsOf(const Napi::Object& o) {
  Napi::Value v = o.Get("threads");
  if (v.IsUndefined()) return 1;
  const double t = num(o, "threads");
  if (t != 1 && t != 2) throw Napi::RangeError::New(o.Env(), "threads must be 1 or 2");
  return (int)t;
}

struct Parsed {
  RnnDims d;
  RnnHyper h;
  RnnParams p;
};

Parsed parseCommon(const Napi::Object& o) {
  Parsed r;
  r.d = {posInt(o, "nIn"), posInt(o, "N"), posInt(o, "nOut"), posInt(o, "T"), posInt(o, "B")};
  const int act = (int)num(o, "act");
  if (act < 0 || act > 2) throw Napi::RangeError::New(o.Env(), "act must be 0 (relu), 1 (softplus) or 2 (tanh)");
  r.h = {(float)num(o, "alpha"), act, num(o, "l1Rate"), num(o, "l2Rate"), num(o, "l1Weight"), num(o, "l2Weight")};
  const RnnDims& d = r.d;
  r.p = {f32(o, "wIn", (size_t)d.nIn * d.N), f32(o, "wRec", (size_t)d.N * d.N), f32(o, "b", d.N), f32(o, "wOut", (size_t)d.N * d.nOut), f32(o, "bOut", d.nOut)};
  return r;
}

// forward({dims, hyper, params, x, noise? | noiseSeeds?, rate, dAlpha?, out, threads?})
Napi::Value Forward(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  Parsed c = parseCommon(o);
  const size_t TB = (size_t)c.d.T * c.d.B;
  rnnForward(c.d, c.h, c.p, f32(o, "x", TB * c.d.nIn), parseNoise(o, c.d.T, c.d.B, c.d.N), f32(o, "rate", TB * c.d.N), f32(o, "dAlpha", TB * c.d.N, true), f32(o, "out", TB * c.d.nOut), threadsOf(o));
  return info.Env().Undefined();
}

// step({dims, hyper, params, adam: {step, m*, v*}, lr, beta1, beta2, eps, clip, x, y, cMask, noise? | noiseSeeds?, threads?}) -> {loss, gradNorm, adamStep}
Napi::Value Step(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = info[0].As<Napi::Object>();
  Parsed c = parseCommon(o);
  const RnnDims& d = c.d;
  const size_t TB = (size_t)d.T * d.B;
  AdamState adam;
  adam.step = num(o, "adamStep");
  const char* names[5] = {"wIn", "wRec", "b", "wOut", "bOut"};
  const size_t lens[5] = {(size_t)d.nIn * d.N, (size_t)d.N * d.N, (size_t)d.N, (size_t)d.N * d.nOut, (size_t)d.nOut};
  for (int q = 0; q < 5; ++q) {
    adam.m[q] = f32(o, (std::string("m.") + names[q]).c_str(), lens[q]);
    adam.v[q] = f32(o, (std::string("v.") + names[q]).c_str(), lens[q]);
  }
  AdamHyper ah = {num(o, "lr"), num(o, "beta1"), num(o, "beta2"), num(o, "eps"), num(o, "clip")};
  StepResult r = rnnStep(d, c.h, c.p, adam, ah, f32(o, "x", TB * d.nIn), f32(o, "y", TB * d.nOut), f32(o, "cMask", TB * d.nOut), parseNoise(o, d.T, d.B, d.N), threadsOf(o));
  Napi::Object res = Napi::Object::New(env);
  res.Set("loss", r.loss);
  res.Set("gradNorm", r.gradNorm);
  res.Set("adamStep", adam.step);
  return res;
}

// esnStates({nIn, N, T, B, leak, wIn, wRec, b, x, out, threads?}): the echo-state network's states
// x_t = (1 - leak) x_{t-1} + leak tanh(u_t W_in + x_{t-1} W_rec + b), x_{-1} = 0.
Napi::Value EsnStates(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  const int nIn = posInt(o, "nIn"), N = posInt(o, "N"), T = posInt(o, "T"), B = posInt(o, "B");
  const size_t TB = (size_t)T * B;
  esnStates(nIn, N, T, B, (float)num(o, "leak"), f32(o, "wIn", (size_t)nIn * N), f32(o, "wRec", (size_t)N * N), f32(o, "b", N), f32(o, "x", TB * nIn), f32(o, "out", TB * N), threadsOf(o));
  return info.Env().Undefined();
}

// esnAccumulate({N, nOut, rows, x, y, w, xtx, xty, threads?}): the ridge readout's statistics
Napi::Value EsnAccumulate(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  const int N = posInt(o, "N"), nOut = posInt(o, "nOut"), rows = posInt(o, "rows");
  const size_t n1 = (size_t)N + 1;
  esnAccumulate(N, nOut, rows, f32(o, "x", (size_t)rows * N), f32(o, "y", (size_t)rows * nOut), f32(o, "w", rows), f64(o, "xtx", n1 * n1), f64(o, "xty", n1 * nOut), threadsOf(o));
  return info.Env().Undefined();
}

// ridgeSolve({n1, nOut, xtx, xty, ridge, out}) -> false when xtx + ridge is not positive definite
Napi::Value RidgeSolve(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  const int n1 = posInt(o, "n1"), nOut = posInt(o, "nOut");
  const bool ok = ridgeSolve(n1, nOut, f64(o, "xtx", (size_t)n1 * n1), f64(o, "xty", (size_t)n1 * nOut), num(o, "ridge"), f32(o, "out", (size_t)n1 * nOut));
  return Napi::Boolean::New(info.Env(), ok);
}

// recurrentNoise({T, B, N, sd, seeds: Int32Array(4 B), kn, wn, fn: Float64Array(128), out: Float32Array(T B N)})
Napi::Value RecurrentNoise(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  const int T = posInt(o, "T"), B = posInt(o, "B"), N = posInt(o, "N");
  recurrentNoise(T, B, N, num(o, "sd"), i32(o, "seeds", (size_t)4 * B, false, "4 words per trial"), zigguratOf(o), f32(o, "out", (size_t)T * B * N));
  return info.Env().Undefined();
}

// addNormals({state: Int32Array(4), x, sd, kn, wn, fn}): x[i] += sd * normal(), state advanced
Napi::Value AddNormals(const Napi::CallbackInfo& info) {
  Napi::Object o = info[0].As<Napi::Object>();
  int32_t* state = i32(o, "state", 4, true, "4 words");
  Napi::Value xv = o.Get("x");
  if (!xv.IsTypedArray() || xv.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) throw Napi::TypeError::New(o.Env(), "x must be a Float32Array");
  Napi::Float32Array x = xv.As<Napi::Float32Array>();
  addNormals(state, x.Data(), (long)x.ElementLength(), num(o, "sd"), zigguratOf(o));
  return info.Env().Undefined();
}

// gemm(a, m, k, b, n, out?) -> c: row-major products, for tests and benchmarks of the kernel itself
// (out, when given, is written and returned: a benchmark then times the product, not a fresh array)
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 5) throw Napi::TypeError::New(env, "gemm(a, m, k, b, n, out?)");
  Napi::Float32Array a = info[0].As<Napi::Float32Array>();
  const int m = info[1].As<Napi::Number>().Int32Value();
  const int k = info[2].As<Napi::Number>().Int32Value();
  Napi::Float32Array b = info[3].As<Napi::Float32Array>();
  const int n = info[4].As<Napi::Number>().Int32Value();
  if (m < 1 || k < 1 || n < 1 || a.ElementLength() < (size_t)m * k || b.ElementLength() < (size_t)k * n) throw Napi::RangeError::New(env, "gemm: sizes do not match the arrays");
  Napi::Float32Array c;
  if (info.Length() > 5 && !info[5].IsUndefined()) {
    if (!info[5].IsTypedArray() || info[5].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array || info[5].As<Napi::Float32Array>().ElementLength() < (size_t)m * n)
      throw Napi::RangeError::New(env, "gemm: out must be a Float32Array of m * n values");
    c = info[5].As<Napi::Float32Array>();
  } else {
    c = Napi::Float32Array::New(env, (size_t)m * n);
  }
  gemm(m, n, k, a.Data(), k, 1, b.Data(), n, c.Data(), n, false);
  return c;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("forward", Napi::Function::New(env, Forward));
  exports.Set("step", Napi::Function::New(env, Step));
  exports.Set("gemm", Napi::Function::New(env, Gemm));
  exports.Set("recurrentNoise", Napi::Function::New(env, RecurrentNoise));
  exports.Set("addNormals", Napi::Function::New(env, AddNormals));
  exports.Set("esnStates", Napi::Function::New(env, EsnStates));
  exports.Set("esnAccumulate", Napi::Function::New(env, EsnAccumulate));
  exports.Set("ridgeSolve", Napi::Function::New(env, RidgeSolve));
#ifdef INFOSCOPE_BUILD_FLAGS
  exports.Set("buildFlags", Napi::String::New(env, INFOSCOPE_BUILD_FLAGS));
#endif
  return exports;
}

}  // namespace

NODE_API_MODULE(infoscope_native, Init)
