"""What bench_gated.py and bench_lstm.py share: a gated cell of rnnlib against its torch.nn peer.

Size: the tutorial's, N = 100 records x T = 50 steps x H = 100 hidden units, D = O = 1, float64,
full BPTT, one full-batch SGD update per epoch (forward, loss, backward, update), as
benchmarks/bench_epoch.py times the plain RNN. PyTorch runs in a separate process so that the two
libraries' thread pools do not compete; torch is timed with its default threads, then with one
(rnnlib.train splits this size into two halves of records in two threads, each with one BLAS
thread). Before timing, both compute the states, the loss and the
gradients of the same weights on the same data; the largest differences are printed.
Prints figures; asserts nothing. The peer needs `pip install torch==2.13.0` (a CPU build).
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
REPEATS = 5

# The torch side; CELL is the peer's own part, which defines `rnn` (a batch-first torch module
# holding rnnlib's weights, read from `arrays`) and `cell_gradients()` (rnnlib's names -> grads).
TORCH_SCRIPT = r"""
import json, sys, time
import numpy as np
import torch
arrays = np.load(sys.argv[1])
H = arrays["V"].shape[1]
X = torch.tensor(arrays["X"])
Y = torch.tensor(arrays["Y"])
CELL
out = torch.nn.Linear(H, 1, dtype=torch.float64)
with torch.no_grad():
    out.weight.copy_(torch.tensor(arrays["V"]))
    out.bias.copy_(torch.tensor(arrays["c"]))
opt = torch.optim.SGD(list(rnn.parameters()) + list(out.parameters()), lr=1e-3)
def loss_fn():
    states, _ = rnn(X)  # (N, T, H): h_1 .. h_T
    return states, 0.5 * ((out(states[:, -1]) - Y) ** 2).sum(dim=1).mean()
states, loss = loss_fn()
loss.backward()
results = {"loss": loss.item(), "states": states.detach(), **cell_gradients(),
           "V": out.weight.grad, "c": out.bias.grad}
np.savez(sys.argv[2], **{k: np.asarray(v) for k, v in results.items()})
def step():
    opt.zero_grad()
    loss_fn()[1].backward()
    opt.step()
def seconds_per_epoch():
    for _ in range(REPEATS):
        step()
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        for _ in range(EPOCHS):
            step()
        best = min(best, (time.perf_counter() - start) / EPOCHS)
    return best
threads = torch.get_num_threads()
seconds = seconds_per_epoch()
torch.set_num_threads(1)  # a busy machine makes threads wait for each other (rnnlib._threads)
print(json.dumps({"seconds": seconds, "threads": threads, "one_thread": seconds_per_epoch(),
                  "version": torch.__version__}))
"""


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (N, T, 1)), rng.uniform(-1, 1, (N, 1))


def rnnlib_epoch(params) -> float:
    """Best of REPEATS runs of rnnlib.train (EPOCHS full-batch SGD epochs): seconds per epoch."""
    from rnnlib import train

    X, Y = data()

    def run():
        train(params, X, Y, learning_rate=1e-3, epochs=EPOCHS)

    run()  # warm up
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        run()
        best = min(best, (time.perf_counter() - start) / EPOCHS)
    return best


def torch_run(cell_code: str, params) -> tuple[dict, dict] | None:
    """(timing, states, loss and gradients) from the torch peer in a separate process, or None
    when torch is not installed."""
    if importlib.util.find_spec("torch") is None:
        return None
    X, Y = data()
    script = (TORCH_SCRIPT.replace("CELL", cell_code).replace("REPEATS", str(REPEATS))
              .replace("EPOCHS", str(EPOCHS)))
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = Path(folder) / "in.npz", Path(folder) / "out.npz"
        np.savez(inputs, X=X, Y=Y, **dict(params.items()))
        result = subprocess.run([sys.executable, "-c", script, str(inputs), str(outputs)],
                                capture_output=True, text=True, check=True)
        with np.load(outputs) as saved:
            peer = {name: saved[name] for name in saved.files}
    return json.loads(result.stdout.strip().splitlines()[-1]), peer


def compare(name: str, peer_name: str, params, cell_code: str, forward, loss_and_gradients) -> None:
    """Print the comparison: the same weights' states, loss and gradients, then the epoch times.

    forward(params, X) -> (Y_hat, cache with states (T + 1, N, H)); loss_and_gradients(params,
    X, Y) -> (loss, grads): rnnlib's public functions for the cell.
    """
    from rnnlib.gradcheck import relative_error

    print(f"{name} epoch at N={N} records x T={T} steps x H={H} hidden, float64, full BPTT, "
          "full batch, SGD")
    ours = rnnlib_epoch(params)
    print(f"{'rnnlib.train (' + name + ')':<34} {ours * 1e3:8.2f} ms per epoch "
          f"(best of {REPEATS} runs of {EPOCHS} epochs)")
    peer = torch_run(cell_code, params)
    if peer is None:
        print(f"{peer_name:<34} not installed (pip install torch==2.13.0 to compare)")
        return
    timing, theirs = peer
    print(f"{peer_name + ' ' + timing['version']:<34} {timing['seconds'] * 1e3:8.2f} ms per epoch "
          f"({timing['threads']} threads, separate process)")
    print(f"{peer_name + ' on 1 thread':<34} {timing['one_thread'] * 1e3:8.2f} ms per epoch")
    print(f"rnnlib / torch time:    {ours / timing['seconds']:6.2f}    (target <= 1); against "
          f"torch on 1 thread {ours / timing['one_thread']:.2f}")
    X, Y = data()
    _, cache = forward(params, X)
    states = np.max(np.abs(cache.states[1:].transpose(1, 0, 2) - theirs["states"]))
    loss, grads = loss_and_gradients(params, X, Y)
    absolute = {n: float(np.max(np.abs(g - theirs[n]))) for n, g in grads.items()}
    relative = {n: relative_error(g, theirs[n]) for n, g in grads.items()}
    worst, worst_rel = max(absolute, key=absolute.get), max(relative, key=relative.get)
    print(f"same weights, same data: states h_1 .. h_T differ by at most {states:.1e}, the loss "
          f"by {abs(loss - float(theirs['loss'])):.1e}")
    print(f"gradients: largest absolute difference {absolute[worst]:.1e} (in d{worst}), largest "
          f"relative difference {relative[worst_rel]:.1e} (in d{worst_rel})")
