#!/usr/bin/env python3
"""Make the files `infoscope import` reads, as a PyTorch user would (docs/import.md; used by
test/import/import.e2e.test.ts): train a small leaky RNN of infoscope's form on Go for a few steps,
save its weights (safetensors and npz), and save its hidden activity, without noise, on the trials
given in x.npy (infoscope's probe batch: [T, B, 85]) as npz (compressed) and HDF5.

r_t = (1 - alpha) r_{t-1} + alpha softplus(x_t W_in + r_{t-1} W_rec + b), r_{-1} = 0, alpha = 0.2;
outputs sigmoid(r_t W_out + b_out). Prints one JSON line.
"""
import argparse
import json
import math
import os

import h5py
import numpy as np
import torch
from safetensors.torch import save_file

from go_to_target import N_IN, N_OUT, go_batch
from reference_common import leaky_rnn_outputs, make_adam, paper_params


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--dir", required=True, help="folder with x.npy; the files are written here")
    p.add_argument("--hidden", type=int, default=32)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = np.random.default_rng(a.seed)
    N, alpha = a.hidden, 0.2
    params = paper_params(N_IN, N, N_OUT)
    w_in, w_rec, b, w_out, b_out = params
    opt = make_adam(params)
    f = torch.nn.functional.softplus
    for _ in range(a.steps):
        x, y, c, _ = go_batch(rng, 64, math.sqrt(2 / alpha) * 0.01)
        opt.zero_grad(set_to_none=True)
        loss = torch.mean((c * (leaky_rnn_outputs(x, params, alpha, f, math.sqrt(2 / alpha) * 0.05) - y)) ** 2)
        loss.backward()
        torch.nn.utils.clip_grad_value_(params, 1.0)
        opt.step()
    weights = {"w_in": w_in, "w_rec": w_rec, "b": b, "w_out": w_out, "b_out": b_out}
    save_file({k: v.detach().contiguous() for k, v in weights.items()}, os.path.join(a.dir, "weights.safetensors"))
    np.savez(os.path.join(a.dir, "weights.npz"), **{k: v.detach().numpy() for k, v in weights.items()})
    # hidden activity on the given trials, without recurrent noise
    x = torch.from_numpy(np.load(os.path.join(a.dir, "x.npy")))
    with torch.no_grad():
        r = torch.zeros(x.shape[1], N)
        z = x @ w_in
        rates = []
        for t in range(x.shape[0]):
            r = (1 - alpha) * r + alpha * f(z[t] + b + (r @ w_rec if t > 0 else 0))
            rates.append(r)
        hidden = torch.stack(rates).numpy().astype(np.float32)
    np.savez_compressed(os.path.join(a.dir, "activity.npz"), hidden=hidden)
    with h5py.File(os.path.join(a.dir, "activity.h5"), "w") as h:
        h.create_dataset("net/hidden", data=hidden)
    print(json.dumps({"hidden": list(hidden.shape), "loss": loss.item(), "torch": torch.__version__}))


if __name__ == "__main__":
    main()
