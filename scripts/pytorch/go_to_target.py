#!/usr/bin/env python3
"""PyTorch reference for `infoscope bench target --pytorch`: train the leaky RNN on the Go task from
scratch until its evaluated performance reaches a target, as `infoscope train --task go
--target-perf 0.95 --probe-every 0` does, and report the wall time of the whole process.

The same specification as infoscope's defaults (docs/go-tasks.md): 256 softplus units, W_rec = 0.5 I,
W_in ~ N(0, 1/85), Glorot-uniform readout, alpha = 0.2, recurrent noise 0.05 sqrt(2/alpha), input
noise 0.01 sqrt(2/alpha), batches of 64 Go trials (one modality and one timing per batch:
stimulus onset U(300, 700) ms, go cue U(500, 1500) ms later, 500 ms response), the cost mask
(0 for 100 ms, 1 until the go cue, 0 for 100 ms, then 5; fixation output x2), masked squared error,
element-wise clipping at 1, Adam at 1e-3. Every 25 steps, 8 batches of 32 fresh trials are
evaluated: correct when the fixation output is at most 0.5 at the last step and the output ring's
population vector is within 0.2 pi of the target. Its random streams are numpy's and torch's, not
infoscope's, so a seed here is a different draw from infoscope's seed of the same number.
"""
import argparse
import json
import math
import time

T0 = time.perf_counter()

import numpy as np  # noqa: E402
import torch  # noqa: E402

from reference_common import leaky_rnn_outputs, make_adam, paper_params  # noqa: E402

DT = 20
RING = 32
N_IN = 1 + 2 * RING + 20
N_OUT = 1 + RING
PREF = 2 * np.pi * np.arange(RING) / RING


def ring_pattern(theta: np.ndarray) -> np.ndarray:
    """0.8 exp(-d^2 / 2 (pi/8)^2) of the wrapped distance to each preferred direction: [B, 32]."""
    d = np.abs(theta[:, None] - PREF[None, :])
    d = np.minimum(d, 2 * np.pi - d)
    return 0.8 * np.exp(-0.5 * (d / (np.pi / 8)) ** 2)


def go_batch(rng: np.random.Generator, n: int, noise_sd: float):
    stim_on = int(rng.uniform(300, 700) // DT)
    go = stim_on + int(rng.uniform(500, 1500) // DT)
    T = go + 500 // DT
    mod = int(rng.integers(0, 2))
    theta = rng.uniform(0, 2 * np.pi, n)
    x = np.zeros((T, n, N_IN), np.float32)
    x[:go, :, 0] = 1
    x[stim_on:, :, 1 + mod * RING: 1 + (mod + 1) * RING] = ring_pattern(theta)[None]
    x[:, :, 1 + 2 * RING] = 1  # rule slot 0: Go
    x += rng.standard_normal(x.shape, dtype=np.float32) * noise_sd
    y = np.full((T, n, N_OUT), 0.05, np.float32)
    y[:go, :, 0] = 0.8
    y[go:, :, 1:] += ring_pattern(theta)[None]
    w = np.zeros(T, np.float32)
    w[100 // DT: go] = 1
    w[go + 100 // DT:] = 5
    c = np.repeat(w[:, None, None], N_OUT, axis=2).repeat(n, axis=1)
    c[:, :, 0] *= 2
    return torch.from_numpy(x), torch.from_numpy(y), torch.from_numpy(c), theta


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--target", type=float, default=0.95)
    p.add_argument("--max-steps", type=int, default=2000)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    N, alpha = 256, DT / 100
    rec_sd = math.sqrt(2 / alpha) * 0.05
    in_sd = math.sqrt(2 / alpha) * 0.01
    params = paper_params(N_IN, N, N_OUT)
    opt = make_adam(params)
    f = torch.nn.functional.softplus

    def run(x: torch.Tensor) -> torch.Tensor:
        return leaky_rnn_outputs(x, params, alpha, f, rec_sd)

    def evaluate() -> float:
        correct = 0
        with torch.no_grad():
            for _ in range(8):
                x, _, _, theta = go_batch(rng, 32, in_sd)
                out = run(x)[-1].numpy()
                ring = out[:, 1:]
                direction = np.arctan2(ring @ np.sin(PREF), ring @ np.cos(PREF)) % (2 * np.pi)
                d = np.abs(direction - theta)
                d = np.minimum(d, 2 * np.pi - d)
                correct += int(np.sum((out[:, 0] <= 0.5) & (d < 0.2 * np.pi)))
        return correct / (8 * 32)

    train_s = 0.0
    perf, step = 0.0, 0
    for step in range(1, a.max_steps + 1):
        s0 = time.perf_counter()
        x, y, c, _ = go_batch(rng, 64, in_sd)
        opt.zero_grad(set_to_none=True)
        loss = torch.mean((c * (run(x) - y)) ** 2)
        loss.backward()
        torch.nn.utils.clip_grad_value_(params, 1.0)
        opt.step()
        train_s += time.perf_counter() - s0
        if step % 25 == 0:
            perf = evaluate()
            if perf >= a.target:
                break
    print(json.dumps({
        "steps": step,
        "perf": perf,
        "reached": perf >= a.target,
        "train_s": round(train_s, 3),
        "wall_s_in_python": round(time.perf_counter() - T0, 3),
        "threads": a.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
