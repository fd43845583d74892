"""Seconds per training epoch at the tutorial's size, rnnlib against two peers.

Size: N = 100 records x T = 50 steps x H = 100 hidden units, D = O = 1, float64, full BPTT,
one full-batch SGD update per epoch (forward, loss, backward, update).
Peers:
- a straightforward, correct per-record loop (one record at a time, one step at a time);
- torch.nn.RNN (tanh, float64) with a Linear read-out and SGD, if PyTorch is installed, timed in
  a separate process so that the two libraries' thread pools do not compete.
Targets (issue "rnnlib foundation"): rnnlib <= 0.6 x PyTorch, and >= 15 x faster than the loop.
Prints figures and ratios; asserts nothing. Run: python benchmarks/bench_epoch.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np

N, T, H = 100, 50, 100


def best_time(step, repeats: int, rounds: int = 5) -> float:
    """Best over rounds of the mean seconds per call over repeats calls."""
    step()  # warm up
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(repeats):
            step()
        best = min(best, (time.perf_counter() - start) / repeats)
    return best


def data():
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (N, T, 1)), rng.uniform(-1, 1, (N, 1))


def rnnlib_epoch() -> float:
    from rnnlib import init_params, train

    X, Y = data()
    params = init_params(1, H, 1, np.random.default_rng(0))
    # train() with many epochs, timed per epoch, is what a learner runs
    epochs = 40

    def run():
        train(params, X, Y, learning_rate=1e-3, epochs=epochs)

    return best_time(run, 1) / epochs


def loop_epoch() -> float:
    """A correct per-record, per-step implementation: what straightforward code looks like."""
    X, Y = data()
    rng = np.random.default_rng(0)
    s = 1 / np.sqrt(H)
    U, W, V = rng.uniform(-s, s, (H, 1)), rng.uniform(-s, s, (H, H)), rng.uniform(-s, s, (1, H))
    b, c = np.zeros((H, 1)), np.zeros((1, 1))

    def epoch():
        dU, dW, dV, db, dc = (np.zeros_like(a) for a in (U, W, V, b, c))
        for n in range(N):
            hs = [np.zeros((H, 1))]
            for t in range(T):
                hs.append(np.tanh(U @ X[n, t].reshape(1, 1) + W @ hs[-1] + b))
            dy = (V @ hs[-1] + c - Y[n].reshape(1, 1)) / N
            dV += dy @ hs[-1].T
            dc += dy
            dh = V.T @ dy
            for t in range(T, 0, -1):
                da = dh * (1 - hs[t] ** 2)
                dU += da @ X[n, t - 1].reshape(1, 1)
                dW += da @ hs[t - 1].T
                db += da
                dh = W.T @ da
        for p, g in zip((U, W, V, b, c), (dU, dW, dV, db, dc), strict=True):
            p -= 1e-3 * g

    return best_time(epoch, 1, rounds=3)


TORCH_SCRIPT = r"""
import json, time, torch
torch.manual_seed(0)
N, T, H = 100, 50, 100
X = torch.rand(N, T, 1, dtype=torch.float64) * 2 - 1
Y = torch.rand(N, 1, dtype=torch.float64) * 2 - 1
rnn = torch.nn.RNN(1, H, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
out = torch.nn.Linear(H, 1, dtype=torch.float64)
opt = torch.optim.SGD(list(rnn.parameters()) + list(out.parameters()), lr=1e-3)
def step():
    opt.zero_grad()
    _, h = rnn(X)
    loss = 0.5 * ((out(h[-1]) - Y) ** 2).sum(dim=1).mean()
    loss.backward()
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


def torch_epoch() -> dict | None:
    try:
        import importlib.util

        if importlib.util.find_spec("torch") is None:
            return None
    except ImportError:
        return None
    result = subprocess.run(
        [sys.executable, "-c", TORCH_SCRIPT], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    print(f"epoch at N={N} records x T={T} steps x H={H} hidden, float64, full BPTT, full batch")
    ours = rnnlib_epoch()
    print(f"rnnlib (batched)        {ours * 1e3:8.2f} ms per epoch")
    loop = loop_epoch()
    print(f"per-record loop         {loop * 1e3:8.2f} ms per epoch")
    torch = torch_epoch()
    if torch is None:
        print("torch.nn.RNN            not installed (pip install torch==2.13.0 to compare)")
    else:
        print(f"torch.nn.RNN {torch['version']:<10} {torch['seconds'] * 1e3:8.2f} ms per epoch "
              f"({torch['threads']} threads, separate process)")
    print(f"speed-up over the loop: {loop / ours:6.1f}x   (target >= 15x)")
    if torch is not None:
        print(f"rnnlib / torch time:    {ours / torch['seconds']:6.2f}    (target <= 0.6)")


if __name__ == "__main__":
    main()
