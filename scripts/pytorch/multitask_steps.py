#!/usr/bin/env python3
"""PyTorch reference for `infoscope bench multitask --pytorch`: the paper's network trained on a
recorded sequence of multi-task batches, timed step by step.

infoscope writes the batches it trains on (the 20 tasks of Yang et al. 2019 drawn with the paper's
weights, 64 trials each, each batch its own length T) as step-<s>-{x,y,c}.npy into a folder; this
script trains the same network on the same batches in the same order, written the way a PyTorch user
writes it (an explicit loop over time under autograd): 256 softplus units, W_rec = 0.5 I,
W_in ~ N(0, 1/85), Glorot-uniform readout, alpha = 0.2, recurrent noise 0.05 sqrt(2/alpha), masked
squared error, element-wise clipping at 1, Adam at 1e-3. Prints one JSON line.
"""
import argparse
import json
import math
import os
import time

import numpy as np
import torch

from reference_common import leaky_rnn_outputs, make_adam, paper_params


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--hidden", type=int, default=256)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    load = lambda s, k: torch.from_numpy(np.load(os.path.join(a.dir, f"step-{s}-{k}.npy")))
    batches = [(load(s, "x"), load(s, "y"), load(s, "c")) for s in range(1, a.steps + 1)]
    n_in, n_out, N = batches[0][0].shape[2], batches[0][1].shape[2], a.hidden
    alpha = 0.2
    params = paper_params(n_in, N, n_out)
    opt = make_adam(params)
    f = torch.nn.functional.softplus
    times = []
    losses = []
    for i, (x, y, c) in enumerate(batches):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        loss = torch.mean((c * (leaky_rnn_outputs(x, params, alpha, f, math.sqrt(2 / alpha) * 0.05) - y)) ** 2)
        loss.backward()
        torch.nn.utils.clip_grad_value_(params, 1.0)
        opt.step()
        if i >= a.warmup:
            times.append((time.perf_counter() - t0) * 1000)
        losses.append(loss.item())
    print(json.dumps({
        "ms_total": round(sum(times), 2),
        "steps_timed": len(times),
        "ms_per_step": round(sum(times) / len(times), 2),
        "first_loss": losses[0],
        "last_loss": losses[-1],
        "threads": a.threads,
        "torch": torch.__version__,
    }))


if __name__ == "__main__":
    main()
