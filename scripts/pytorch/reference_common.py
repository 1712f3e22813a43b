"""Shared by the PyTorch reference scripts of `infoscope bench ... --pytorch`."""
import math
import sys
import types

import torch


def make_adam(params, lr: float = 1e-3):
    """torch.optim.Adam. Its constructor imports torch._dynamo only to exclude itself from
    torch.compile; where that import fails (a torch wheel beside older sympy or typing_extensions,
    as on a Debian machine without PyPI), a stand-in whose `disable` returns the function unchanged
    does the same for eager execution, which is all these benchmarks use."""
    try:
        return torch.optim.Adam(params, lr=lr)
    except ImportError:
        for name in [m for m in sys.modules if m == "torch._dynamo" or m.startswith("torch._dynamo.")]:
            del sys.modules[name]
        stub = types.ModuleType("torch._dynamo")
        stub.disable = lambda fn=None, recursive=True, **_: fn if fn is not None else (lambda f: f)
        stub.is_compiling = lambda: False
        stub.graph_break = lambda: None
        sys.modules["torch._dynamo"] = stub
        torch._dynamo = stub
        return torch.optim.Adam(params, lr=lr)


def paper_params(n_in: int, n: int, n_out: int):
    """The reference network's parameters [W_in, W_rec, b, W_out, b_out], drawn in this order:
    W_in ~ N(0, 1/n_in), W_rec = 0.5 I, b = 0, W_out ~ U(+-sqrt(6/(n + n_out))), b_out = 0."""
    lim = math.sqrt(6 / (n + n_out))
    w_in = torch.nn.Parameter(torch.randn(n_in, n) / math.sqrt(n_in))
    w_rec = torch.nn.Parameter(0.5 * torch.eye(n))
    b = torch.nn.Parameter(torch.zeros(n))
    w_out = torch.nn.Parameter((torch.rand(n, n_out) * 2 - 1) * lim)
    b_out = torch.nn.Parameter(torch.zeros(n_out))
    return [w_in, w_rec, b, w_out, b_out]


def leaky_rnn_outputs(x, params, alpha: float, f, noise_sd: float):
    """sigmoid(r_t W_out + b_out) for r_t = (1 - alpha) r_{t-1} + alpha f(x_t W_in + r_{t-1} W_rec + b
    + noise_t), r_{-1} = 0, with fresh recurrent noise: x [T, B, nIn] -> [T, B, nOut]. An explicit
    loop over time under autograd, as a PyTorch user writes a leaky RNN."""
    w_in, w_rec, b, w_out, b_out = params
    T, B, _ = x.shape
    N = w_rec.shape[0]
    noise = torch.randn(T, B, N) * noise_sd
    z = x @ w_in  # all input projections at once
    r = torch.zeros(B, N)
    rates = []
    for t in range(T):
        pre = z[t] + b + noise[t] + (r @ w_rec if t > 0 else 0)
        r = (1 - alpha) * r + alpha * f(pre)
        rates.append(r)
    return torch.sigmoid(torch.stack(rates) @ w_out + b_out)
