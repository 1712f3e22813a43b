"""Shared by the PyTorch reference scripts of `infoscope bench ... --pytorch`."""
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
