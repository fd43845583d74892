"""Seconds per training epoch at the tutorial's size, rnnlib against two peers.

Size: N = 100 records x T = 50 steps x H = 100 hidden units, D = O = 1, float64, full BPTT,
one full-batch SGD update per epoch (forward, loss, backward, update).
Peers:
- a straightforward, correct per-record loop (one record at a time, one step at a time);
- torch.nn.RNN (tanh, float64) with a Linear read-out and SGD on the same weights and data, if
  PyTorch is installed, in a separate process, timed in rounds interleaved with rnnlib's, on the
  same number of threads and on the other (benchmarks/torch_peer.py); the states, loss and
  gradients of the two are compared too.
Targets (issues "rnnlib foundation", 20): rnnlib <= 0.6 x PyTorch's time on the same thread
count, and >= 15 x faster than the loop.
Prints figures and ratios; asserts nothing. Run: python benchmarks/bench_epoch.py
"""

from __future__ import annotations

import time

import numpy as np
from torch_peer import H, N, T, compare, data

# torch's two biases add up to our b: the peer gets b_ih = b, b_hh = 0
RNN_PEER = r"""
rnn = torch.nn.RNN(1, H, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
with torch.no_grad():
    rnn.weight_ih_l0.copy_(torch.tensor(arrays["U"]))
    rnn.weight_hh_l0.copy_(torch.tensor(arrays["W"]))
    rnn.bias_ih_l0.copy_(torch.tensor(arrays["b"]))
    rnn.bias_hh_l0.zero_()
def cell_gradients():
    return {"U": rnn.weight_ih_l0.grad, "W": rnn.weight_hh_l0.grad, "b": rnn.bias_ih_l0.grad}
"""


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


def initial():
    from rnnlib import init_params

    params = init_params(1, H, 1, np.random.default_rng(0))
    rng = np.random.default_rng(1)  # non-zero biases, so that every bias gradient is compared
    params.b = rng.uniform(-0.1, 0.1, H)
    params.c = rng.uniform(-0.1, 0.1, 1)
    return params


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


def main() -> None:
    from rnnlib import forward, loss_and_gradients, train

    compare("plain RNN", "torch.nn.RNN", initial(), RNN_PEER, forward, loss_and_gradients,
            target=0.6)
    X, Y = data()
    params = initial()
    ours = best_time(lambda: train(params, X, Y, learning_rate=1e-3, epochs=10), 1) / 10
    loop = loop_epoch()
    print(f"per-record loop         {loop * 1e3:8.2f} ms per epoch (best of 3), rnnlib "
          f"{ours * 1e3:.2f} (best of 5): speed-up {loop / ours:.1f}x   (target >= 15x)")


if __name__ == "__main__":
    main()
