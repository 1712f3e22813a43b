{
  "targets": [
    {
      "target_name": "infoscope_elementwise",
      "type": "static_library",
      "sources": ["native/elementwise.cc"],
      "cflags": ["-fPIC"],
      "cflags_cc": ["-O3", "-march=native", "-ffast-math", "-fPIC"]
    },
    {
      "target_name": "infoscope_noise",
      "type": "static_library",
      "sources": ["native/noise.cc"],
      "cflags": ["-fPIC"],
      "cflags_cc": ["-O3", "-march=native", "-ffp-contract=off", "-fPIC"]
    },
    {
      "target_name": "infoscope_native",
      "dependencies": ["infoscope_elementwise", "infoscope_noise"],
      "sources": ["native/addon.cc", "native/esn.cc", "native/gemm.cc", "native/rnn_step.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_CPP_EXCEPTIONS", "NAPI_VERSION=8", "INFOSCOPE_BUILD_FLAGS=\"-O3 -march=native -ffp-contract=fast (elementwise: -ffast-math; noise: -ffp-contract=off)\""],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "cflags_cc": ["-O3", "-march=native", "-ffp-contract=fast", "-fexceptions"],
      "libraries": ["-lmvec", "-lm"]
    }
  ]
}
