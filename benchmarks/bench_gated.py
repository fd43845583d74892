"""Seconds per training epoch of rnnlib's GRU against torch.nn.GRU, and their gradients compared.

Size: the tutorial's, N = 100 records x T = 50 steps x H = 100 hidden units, D = O = 1, float64,
full BPTT, one full-batch SGD update per epoch (forward, loss, backward, update), as
benchmarks/bench_epoch.py times the plain RNN. PyTorch runs in a separate process so that the
two libraries' thread pools do not compete. Before timing, both compute the loss and gradients
of the same weights on the same data, and the largest relative difference is printed (the GRU
variant of rnnlib.gated is torch.nn.GRU's).
Target (issue 13): rnnlib no slower than PyTorch. Prints figures; asserts nothing.
Run: python benchmarks/bench_gated.py       (needs `pip install torch==2.13.0` for the peer)
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

N, T, H = 100, 50, 100
EPOCHS = 40


def data():
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (N, T, 1)), rng.uniform(-1, 1, (N, 1))


def initial():
    from rnnlib.gated import init_gru

    params = init_gru(1, H, 1, np.random.default_rng(0))
    rng = np.random.default_rng(1)  # non-zero biases, so that every bias gradient is compared
    params.b = rng.uniform(-0.1, 0.1, 3 * H)
    params.b_n = rng.uniform(-0.1, 0.1, H)
    params.c = rng.uniform(-0.1, 0.1, 1)
    return params


def rnnlib_epoch() -> float:
    from rnnlib import train

    X, Y = data()
    params = initial()

    def run():
        train(params, X, Y, learning_rate=1e-3, epochs=EPOCHS)

    run()  # warm up
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        run()
        best = min(best, (time.perf_counter() - start) / EPOCHS)
    return best


TORCH_SCRIPT = r"""
import json, sys, time
import numpy as np
import torch
arrays = np.load(sys.argv[1])
N, T, H = arrays["X"].shape[0], arrays["X"].shape[1], arrays["b_n"].shape[0]
X = torch.tensor(arrays["X"])
Y = torch.tensor(arrays["Y"])
gru = torch.nn.GRU(1, H, batch_first=True, dtype=torch.float64)
out = torch.nn.Linear(H, 1, dtype=torch.float64)
with torch.no_grad():
    # torch: r, z gates use b_ih + b_hh; the candidate uses b_ih outside and b_hh inside r * (.)
    gru.weight_ih_l0.copy_(torch.tensor(arrays["U"]))
    gru.weight_hh_l0.copy_(torch.tensor(arrays["W"]))
    gru.bias_ih_l0.copy_(torch.tensor(arrays["b"]))
    gru.bias_hh_l0.copy_(torch.cat([torch.zeros(2 * H, dtype=torch.float64),
                                    torch.tensor(arrays["b_n"])]))
    out.weight.copy_(torch.tensor(arrays["V"]))
    out.bias.copy_(torch.tensor(arrays["c"]))
opt = torch.optim.SGD(list(gru.parameters()) + list(out.parameters()), lr=1e-3)
def loss_fn():
    _, h = gru(X)
    return 0.5 * ((out(h[-1]) - Y) ** 2).sum(dim=1).mean()
loss = loss_fn()
loss.backward()
grads = {"loss": loss.item(), "U": gru.weight_ih_l0.grad, "W": gru.weight_hh_l0.grad,
         # our b_r, b_z stand for torch's b_ih + b_hh there: the gradient is that of either one
         "b": gru.bias_ih_l0.grad,
         "b_n": gru.bias_hh_l0.grad[2 * H :], "V": out.weight.grad, "c": out.bias.grad}
np.savez(sys.argv[2], **{k: np.asarray(v) for k, v in grads.items()})
def step():
    opt.zero_grad()
    loss_fn().backward()
    opt.step()
for _ in range(5):
    step()
best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    for _ in range(40):
        step()
    best = min(best, (time.perf_counter() - start) / 40)
print(json.dumps({"seconds": best, "threads": torch.get_num_threads(),
                  "version": torch.__version__}))
"""


def torch_run() -> tuple[dict, dict] | None:
    """(timing, loss and gradients) from torch.nn.GRU in a separate process, or None."""
    if importlib.util.find_spec("torch") is None:
        return None
    X, Y = data()
    params = initial()
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = Path(folder) / "in.npz", Path(folder) / "out.npz"
        np.savez(inputs, X=X, Y=Y, **dict(params.items()))
        result = subprocess.run([sys.executable, "-c", TORCH_SCRIPT, str(inputs), str(outputs)],
                                capture_output=True, text=True, check=True)
        with np.load(outputs) as grads:
            torch_grads = {name: grads[name] for name in grads.files}
    return json.loads(result.stdout.strip().splitlines()[-1]), torch_grads


def main() -> None:
    from rnnlib.gated import gru_loss_and_gradients
    from rnnlib.gradcheck import relative_error

    print(f"GRU epoch at N={N} records x T={T} steps x H={H} hidden, float64, full BPTT, "
          "full batch, SGD")
    ours = rnnlib_epoch()
    print(f"rnnlib.train (GRU)      {ours * 1e3:8.2f} ms per epoch")
    peer = torch_run()
    if peer is None:
        print("torch.nn.GRU            not installed (pip install torch==2.13.0 to compare)")
        return
    timing, torch_grads = peer
    X, Y = data()
    loss, grads = gru_loss_and_gradients(initial(), X, Y)
    errors = {name: relative_error(g, torch_grads[name]) for name, g in grads.items()}
    worst = max(errors, key=errors.get)
    print(f"torch.nn.GRU {timing['version']:<10} {timing['seconds'] * 1e3:8.2f} ms per epoch "
          f"({timing['threads']} threads, separate process)")
    print(f"rnnlib / torch time:    {ours / timing['seconds']:6.2f}    (target <= 1)")
    print(f"same weights, same data: loss differs by {abs(loss - float(torch_grads['loss'])):.1e}; "
          f"largest gradient relative difference {errors[worst]:.1e} (in d{worst})")


if __name__ == "__main__":
    main()
