#!/usr/bin/env python3
"""Write hidden activity the way a NumPy user would, for `infoscope import` (docs/import.md).

A small leaky RNN with random weights (no training) receives a stimulus direction (uniform on
the circle; its 8 sectors are the class labels) as a weak bump on a ring of 16 inputs during
steps 10-29 of 50, with input noise. Its rates are saved as activity.npz (hidden [time, trial,
unit], labels, directions), with manifest.json beside it.
Usage: python3 import_numpy.py OUT_DIR
"""
import json
import os
import sys

import numpy as np

out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True)
rng = np.random.default_rng(0)
T, B, N, RING, alpha = 50, 320, 64, 16, 0.2
directions = rng.uniform(0, 2 * np.pi, B)  # a continuous stimulus ...
labels = np.floor(directions / (2 * np.pi / 8)).astype(np.int32)  # ... and its 8 sectors as classes
pref = 2 * np.pi * np.arange(RING) / RING
bump = 0.5 * np.exp(2.0 * (np.cos(directions[:, None] - pref[None, :]) - 1))  # [trial, ring]
w_in = rng.normal(0, 1 / np.sqrt(RING), (RING, N))
w_rec = rng.normal(0, 0.9 / np.sqrt(N), (N, N))
r = np.zeros((B, N))
hidden = np.zeros((T, B, N), dtype=np.float32)
for t in range(T):
    x = (bump if 10 <= t < 30 else 0) + 0.5 * rng.normal(size=(B, RING))
    r = (1 - alpha) * r + alpha * np.tanh(x @ w_in + r @ w_rec)
    hidden[t] = r
np.savez_compressed(os.path.join(out, "activity.npz"), hidden=hidden, labels=labels, directions=directions)
manifest = {
    "name": "numpy-example",
    "activity": {
        "hidden": {"file": "activity.npz", "array": "hidden", "axes": ["time", "trial", "unit"]},
        "labels": {"file": "activity.npz", "array": "labels"},
        "directions": {"file": "activity.npz", "array": "directions"},
        "epochs": {"fix": [0, 10], "stim": [10, 30], "delay": [30, 50]},
    },
}
with open(os.path.join(out, "manifest.json"), "w") as f:
    json.dump(manifest, f, indent=2)
print(os.path.join(out, "manifest.json"))
