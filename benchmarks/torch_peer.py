"""What the torch benchmarks share: PyTorch peers timed in their own processes, interleaved with
rnnlib's runs, and a cell of rnnlib compared with its torch.nn peer on the same weights.

Timing on a shared, noisy machine: each peer runs in a separate process (so that the two
libraries' thread pools do not compete) that waits for requests; the benchmark runs one round
of rnnlib, then one round of each peer, then rnnlib again, ... (the order alternating), so that
load hits every contender alike, and reports for each the median (and range) of its rounds'
seconds, and the median of the rounds' time ratios rnnlib / peer. While one contender runs the
others wait (a blocking read), so they do not compete with it either.

Thread counts are said in every figure: a peer is timed with a fixed torch.set_num_threads(n);
the fair comparison is the one with the same number of threads as rnnlib uses (one BLAS thread,
and two Python threads over two halves of the batch where rnnlib.train splits it; see
rnnlib.training.PARALLEL_MIN_STATES).

The cell comparison (bench_gated.py, bench_lstm.py, bench_epoch.py): the tutorial's size,
N = 100 records x T = 50 steps x H = 100 hidden units, D = O = 1, float64, full BPTT, one
full-batch SGD update per epoch (forward, loss, backward, update). Before timing, both compute
the states, the loss and the gradients of the same weights on the same data; the largest
differences are printed. Prints figures; asserts nothing. The peer needs
`pip install torch==2.13.0` (a CPU build).
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

N, T, H = 100, 50, 100
EPOCHS = 10  # per round of rnnlib (rnnlib.train adds one gradient pass per run: conservative)
TORCH_EPOCHS = 3  # per round of a torch peer (no overhead per run; on two threads of a busy
# machine, torch can take a second per epoch)
ROUNDS = 11

HERE = Path(__file__).resolve().parent

# The server's loop, appended to a peer's setup code (which defines `step()`, one unit of work):
# it answers each request "n" with the seconds per call of n calls of step().
SERVE = r"""
import json as _json, sys as _sys, time as _time
print(_json.dumps({"version": torch.__version__, "threads": torch.get_num_threads()}),
      flush=True)
for _line in _sys.stdin:
    _calls = int(_line)
    _start = _time.perf_counter()
    for _ in range(_calls):
        step()
    print(_json.dumps({"seconds": (_time.perf_counter() - _start) / _calls}), flush=True)
"""


def torch_available() -> bool:
    return importlib.util.find_spec("torch") is not None


class Peer:
    """A PyTorch peer in its own process, with ``threads`` torch threads, timed on request.

    setup: Python code that imports torch and defines step(); it gets argv[1:] = args.
    """

    def __init__(self, setup: str, threads: int, args: tuple[str, ...] = ()):
        code = f"import torch\ntorch.set_num_threads({threads})\n{setup}\n{SERVE}"
        self.process = subprocess.Popen([sys.executable, "-c", code, *args], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, cwd=HERE)
        hello = self._read()
        self.version, self.threads = hello["version"], hello["threads"]

    def _read(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the torch peer stopped (see its error above)")
        return json.loads(line)

    def seconds(self, calls: int) -> float:
        """Seconds per call of step(), over ``calls`` calls."""
        self.process.stdin.write(f"{calls}\n")
        self.process.stdin.flush()
        return self._read()["seconds"]

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=60)


def interleaved(runs: dict[str, Callable[[], float]], rounds: int = ROUNDS,
                warm_up: bool = True) -> dict[str, list[float]]:
    """Each run's seconds over ``rounds`` rounds, the runs interleaved (order alternating)."""
    names = list(runs)
    if warm_up:
        for name in names:
            runs[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            times[name].append(runs[name]())
    return times


def median_range(values: list[float], scale: float = 1e3) -> str:
    return (f"{statistics.median(values) * scale:8.2f} (range {min(values) * scale:.2f}"
            f"–{max(values) * scale:.2f})")


def ratio(ours: list[float], theirs: list[float]) -> float:
    """The median over rounds of the time ratio ours / theirs (the same round's runs)."""
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


# The torch side of a cell comparison; CELL is the peer's own part, which defines `rnn` (a
# batch-first torch module holding rnnlib's weights, read from `arrays`) and `cell_gradients()`
# (rnnlib's names -> grads).
TORCH_CELL = r"""
import sys
import numpy as np
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
if len(sys.argv) > 2:  # the comparison: states, loss and gradients at the given weights
    states, loss = loss_fn()
    loss.backward()
    results = {"loss": loss.item(), "states": states.detach(), **cell_gradients(),
               "V": out.weight.grad, "c": out.bias.grad}
    np.savez(sys.argv[2], **{k: np.asarray(v) for k, v in results.items()})
def step():
    opt.zero_grad()
    loss_fn()[1].backward()
    opt.step()
"""


def data() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.uniform(-1, 1, (N, T, 1)), rng.uniform(-1, 1, (N, 1))


def rnnlib_round(params, one_thread: bool = False) -> Callable[[], float]:
    """One round: rnnlib.train for EPOCHS full-batch SGD epochs; seconds per epoch. one_thread:
    with the batch split into two threads turned off (rnnlib.training.PARALLEL_MIN_STATES)."""
    import rnnlib.training
    from rnnlib import train

    X, Y = data()

    def run() -> float:
        threshold = rnnlib.training.PARALLEL_MIN_STATES
        if one_thread:
            rnnlib.training.PARALLEL_MIN_STATES = float("inf")
        try:
            start = time.perf_counter()
            train(params, X, Y, learning_rate=1e-3, epochs=EPOCHS)
            return (time.perf_counter() - start) / EPOCHS
        finally:
            rnnlib.training.PARALLEL_MIN_STATES = threshold

    return run


def rnnlib_threads(params) -> int:
    """How many threads rnnlib.train runs at this size (two halves of the batch, or one)."""
    from rnnlib.training import PARALLEL_MIN_STATES

    return 2 if (N // 2) * params.hidden_size >= PARALLEL_MIN_STATES else 1


def compare(name: str, peer_name: str, params, cell_code: str, forward, loss_and_gradients,
            target: float) -> None:
    """Print the comparison: the same weights' states, loss and gradients, then the epoch times.

    forward(params, X) -> (Y_hat, cache with states (T + 1, N, H)); loss_and_gradients(params,
    X, Y) -> (loss, grads): rnnlib's public functions for the cell; target: the time ratio
    rnnlib / torch (same thread count) to reach.
    """
    from rnnlib.gradcheck import relative_error

    threads = rnnlib_threads(params)
    print(f"{name} epoch at N={N} records x T={T} steps x H={H} hidden, float64, full BPTT, "
          f"full batch, SGD; {ROUNDS} rounds of {EPOCHS} epochs (torch: {TORCH_EPOCHS}), "
          "interleaved; ms per epoch, median (range)")
    runs = {"rnnlib1": rnnlib_round(params, one_thread=True)}
    if threads == 2:
        runs["rnnlib2"] = rnnlib_round(params)
    label = {1: f"rnnlib.train ({name}), 1 thread",
             2: f"rnnlib.train ({name}), 2 threads"}
    if not torch_available():
        times = interleaved(runs)
        for n in range(1, threads + 1):
            print(f"{label[n]:<38} {median_range(times[f'rnnlib{n}'])}")
        print(f"{peer_name:<38} not installed (pip install torch==2.13.0 to compare)")
        return
    X, Y = data()
    with tempfile.TemporaryDirectory() as folder:
        inputs, outputs = Path(folder) / "in.npz", Path(folder) / "out.npz"
        np.savez(inputs, X=X, Y=Y, **dict(params.items()))
        code = TORCH_CELL.replace("CELL", cell_code)
        peers = {n: Peer(code, n, (str(inputs), str(outputs)) if n == 1 else (str(inputs),))
                 for n in (1, 2)}
        with np.load(outputs) as saved:
            theirs = {key: saved[key] for key in saved.files}
    try:
        for n, peer in peers.items():
            runs[f"torch{n}"] = lambda peer=peer: peer.seconds(TORCH_EPOCHS)
        times = interleaved(runs)
    finally:
        for peer in peers.values():
            peer.close()
    version = peers[1].version
    for n in (1, 2):
        if n <= threads:
            what = ("two halves of the batch in two threads, 1 BLAS thread each" if n == 2
                    else "1 BLAS thread" + (", the batch split turned off" if threads == 2
                                            else ""))
            print(f"{label[n]:<38} {median_range(times[f'rnnlib{n}'])}   ({what})")
        torch_label = f"{peer_name} {version}, {n} thread" + ("s" if n > 1 else "")
        print(f"{torch_label:<38} {median_range(times[f'torch{n}'])}   (separate process)")
    print("rnnlib / torch time on the same number of threads, median of the rounds' ratios "
          f"(target <= {target:g}):")
    for n in range(1, 3):
        ours = times[f"rnnlib{min(n, threads)}"]
        print(f"  {n} thread{'s' if n > 1 else ' '}: {ratio(ours, times[f'torch{n}']):5.2f}"
              + ("" if n <= threads else "   (rnnlib on 1 thread: it splits no batch here)")
              + ("   <- what rnnlib.train runs at this size" if n == threads else ""))
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
