"""Training throughput of a character-level language model, in characters per second.

Model and chunking: the plain tanh RNN, V = 30 characters one-hot in and out, H = 64 hidden units,
float64; B = 32 streams side by side, chunks of k = 32 steps, one SGD update per chunk with the
softmax cross-entropy at every step, the state carried from chunk to chunk and held constant at
chunk boundaries (rnnlib.train(..., carry_state=True); rnnlib.cells defines the truncation).
The text: a random first-order Markov chain over the 30 characters (the speed does not depend on
what is learnt). Three figures:
- rnnlib.train, which also measures History's training loss over the whole streams after every
  epoch (one forward pass more per epoch, as its docstring says);
- the same updates without that pass (rnnlib.cells.sequence_gradients + SGD per chunk);
- torch.nn.RNN + Linear + cross-entropy on the same model and chunking (h.detach() between
  chunks), if PyTorch is installed, in a separate process so that the thread pools do not compete,
  with its default threads and with one (rnnlib uses one BLAS thread).
Target (issue 21.7): rnnlib's time <= 1.0x torch's. Prints figures and ratios; asserts nothing.
Run: python benchmarks/bench_charlm.py     (pip install torch==2.13.0 for the peer)
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import time

import numpy as np

V, H, B, K = 30, 64, 32, 32
CHUNKS = 20  # per epoch: B * K * CHUNKS = 20480 characters
EPOCHS = 3
ROUNDS = 3


def stream() -> np.ndarray:
    """B * K * CHUNKS + 1 character indices from a random Markov chain (seed 0)."""
    rng = np.random.default_rng(0)
    transition = rng.dirichlet(np.full(V, 0.3), size=V)
    cumulative = np.cumsum(transition, axis=1)
    s = np.empty(B * K * CHUNKS + 1, dtype=np.int64)
    s[0] = 0
    for t, u in enumerate(rng.random(s.size - 1)):
        s[t + 1] = min(int(np.searchsorted(cumulative[s[t]], u)), V - 1)
    return s


def best_seconds(run, rounds: int = ROUNDS) -> float:
    run()  # warm up
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def rnnlib_figures() -> tuple[float, float]:
    """Seconds per epoch: rnnlib.train, and the bare chunk updates."""
    from rnnlib import init_params, train
    from rnnlib._threads import one_blas_thread
    from rnnlib.bptt import PlainCell
    from rnnlib.cells import Workspace, sequence_gradients
    from rnnlib.losses import get_loss
    from rnnlib.model import time_major
    from rnnlib.sequence import next_step_streams

    X, Y = next_step_streams(stream(), V, B)
    params = init_params(V, H, V, np.random.default_rng(0))

    def with_train():
        train(params, X, Y, learning_rate=0.1, epochs=EPOCHS, truncation=K, carry_state=True,
              loss="cross_entropy")

    Xt, Yt = time_major(X), time_major(Y)
    cell, loss, work = PlainCell(), get_loss("cross_entropy"), Workspace()

    def bare():
        p = params.copy()
        with one_blas_thread():
            for _ in range(EPOCHS):
                h = None
                for start in range(0, Xt.shape[0], K):
                    _, grads, h = sequence_gradients(cell, p, Xt[start : start + K],
                                                     Yt[start : start + K], loss, K, h, work)
                    for (_, a), (_, g) in zip(p.items(), grads.items(), strict=True):
                        a -= 0.1 * g

    return best_seconds(with_train) / EPOCHS, best_seconds(bare) / EPOCHS


TORCH_SCRIPT = r"""
import json, sys, time
import numpy as np
import torch
sys.path.insert(0, {here!r})
from bench_charlm import B, EPOCHS, H, K, ROUNDS, V, stream
threads = int(sys.argv[1])
if threads:
    torch.set_num_threads(threads)
torch.manual_seed(0)
s = torch.from_numpy(stream())
T = (s.numel() - 1) // B
X = torch.nn.functional.one_hot(s[: B * T].reshape(B, T), V).to(torch.float64)
Y = s[1 : B * T + 1].reshape(B, T)
rnn = torch.nn.RNN(V, H, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
out = torch.nn.Linear(H, V, dtype=torch.float64)
opt = torch.optim.SGD(list(rnn.parameters()) + list(out.parameters()), lr=0.1)
def run():
    for _ in range(EPOCHS):
        h = torch.zeros(1, B, H, dtype=torch.float64)
        for start in range(0, T, K):
            opt.zero_grad()
            states, h = rnn(X[:, start : start + K], h)
            loss = torch.nn.functional.cross_entropy(out(states).reshape(-1, V),
                                                     Y[:, start : start + K].reshape(-1))
            loss.backward()
            opt.step()
            h = h.detach()
run()
best = float("inf")
for _ in range(ROUNDS):
    start = time.perf_counter()
    run()
    best = min(best, time.perf_counter() - start)
print(json.dumps({{"seconds": best / EPOCHS, "threads": torch.get_num_threads(),
                   "version": torch.__version__}}))
"""


def torch_figures(threads: int) -> dict | None:
    """Seconds per epoch of the PyTorch peer (threads 0: its default), or None without torch."""
    if importlib.util.find_spec("torch") is None:
        return None
    from pathlib import Path

    script = TORCH_SCRIPT.format(here=str(Path(__file__).resolve().parent))
    result = subprocess.run([sys.executable, "-c", script, str(threads)], capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    chars = B * K * CHUNKS
    print(f"char-level RNN: V={V}, H={H}, B={B} streams, chunks of K={K}, float64, "
          f"{chars} characters per epoch, SGD per chunk, state carried")
    ours, bare = rnnlib_figures()
    print(f"rnnlib.train (History's loss pass incl.) {chars / ours:10.0f} chars/s "
          f"({ours * 1e3:7.1f} ms per epoch, 1 BLAS thread)")
    print(f"rnnlib chunk updates only                {chars / bare:10.0f} chars/s "
          f"({bare * 1e3:7.1f} ms per epoch, 1 BLAS thread)")
    for threads in (0, 1):
        peer = torch_figures(threads)
        if peer is None:
            print("torch.nn.RNN: not installed (pip install torch==2.13.0 to compare)")
            return
        t = peer["seconds"]
        print(f"torch {peer['version']:<8} nn.RNN, {peer['threads']} thread(s)    "
              f"{chars / t:10.0f} chars/s ({t * 1e3:7.1f} ms per epoch, separate process)")
        print(f"  time ratio rnnlib / torch: train {ours / t:5.2f}, updates only {bare / t:5.2f}"
              f"   (target <= 1.0)")


if __name__ == "__main__":
    main()
