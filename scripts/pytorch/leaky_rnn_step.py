#!/usr/bin/env python3
"""PyTorch reference for `infoscope bench train --pytorch`: the same leaky RNN training step, timed.

The network and the step are the ones models/rnn/bptt.ts and native/rnn_step.cc compute:

  r_t = (1 - alpha) r_{t-1} + alpha f(x_t W_in + r_{t-1} W_rec + b + noise_t),  r_{-1} = 0
  y_t = sigmoid(r_t W_out + b_out),  loss = mean((c * (y - target))^2)

then backpropagation through time by autograd, element-wise gradient clipping and Adam, on random
inputs and targets of the benchmark's shape, with fresh recurrent noise each step. Written the way
a PyTorch user would write it (an explicit loop over time, autograd), on the number of threads
asked for. Prints one JSON line; infoscope reads it.
"""
import argparse
import json
import math
import time

import torch

from reference_common import leaky_rnn_outputs, make_adam


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--time-steps", type=int, default=60)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--inputs", type=int, default=85)
    p.add_argument("--outputs", type=int, default=33)
    p.add_argument("--activation", choices=["relu", "softplus", "tanh"], default="relu")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--repeats", type=int, default=10)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    T, B, N, nIn, nOut = a.time_steps, a.batch, a.hidden, a.inputs, a.outputs
    alpha = 0.2  # dt 20 ms / tau 100 ms, as infoscope's default
    noise_sd = math.sqrt(2 / alpha) * 0.05
    f = {"relu": torch.relu, "softplus": torch.nn.functional.softplus, "tanh": torch.tanh}[a.activation]

    w_in = torch.nn.Parameter(torch.randn(nIn, N) / math.sqrt(nIn))
    w_rec = torch.nn.Parameter(0.5 * torch.linalg.qr(torch.randn(N, N))[0])
    b = torch.nn.Parameter(torch.zeros(N))
    w_out = torch.nn.Parameter(torch.randn(N, nOut) / math.sqrt(N))
    b_out = torch.nn.Parameter(torch.zeros(nOut))
    params = [w_in, w_rec, b, w_out, b_out]
    opt = make_adam(params)
    x = torch.randn(T, B, nIn)
    y = torch.rand(T, B, nOut)
    c = torch.ones(T, B, nOut)

    def step() -> float:
        opt.zero_grad(set_to_none=True)
        out = leaky_rnn_outputs(x, params, alpha, f, noise_sd)
        loss = torch.mean((c * (out - y)) ** 2)
        loss.backward()
        torch.nn.utils.clip_grad_value_(params, 1.0)
        opt.step()
        return loss.item()

    times = []
    for i in range(a.warmup + a.repeats):
        t0 = time.perf_counter()
        step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    blas = "unknown"
    try:
        cfg = torch.__config__.show()
        blas = next((part.split("=")[1] for part in cfg.replace(",", " ").split() if part.startswith("BLAS_INFO=")), "unknown")
    except Exception:  # noqa: BLE001 -- the BLAS name is informative only
        pass
    print(json.dumps({
        "ms_per_step": round(times[len(times) // 2], 2),
        "ms_min": round(times[0], 2),
        "threads": a.threads,
        "torch": torch.__version__,
        "blas": blas,
        "repeats": a.repeats,
    }))


if __name__ == "__main__":
    main()
