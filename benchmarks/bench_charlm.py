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
  chunks), if PyTorch is installed, in separate processes with 1 and 2 threads, the rounds
  interleaved with rnnlib's (benchmarks/torch_peer.py).
rnnlib runs one thread here (one BLAS thread, no batch split with carry_state): the fair
comparison is against torch on one thread; the figure against two threads is printed too.
Target (issue 21.7): rnnlib's time <= 1.0x torch's on the same thread count. Prints medians,
ranges and ratios; asserts nothing.
Run: python benchmarks/bench_charlm.py     (pip install torch==2.13.0 for the peer)
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from torch_peer import Peer, interleaved, median_range, ratio, torch_available

V, H, B, K = 30, 64, 32, 32
CHUNKS = 20  # per epoch: B * K * CHUNKS = 20480 characters
EPOCHS = 3  # per round (rnnlib.train adds one loss pass per run, at its start)
ROUNDS = 11


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


def rnnlib_runs() -> tuple:
    """Two rounds to time, each giving seconds per epoch: rnnlib.train, the bare chunk updates."""
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

    def timed(run):
        def round_() -> float:
            start = time.perf_counter()
            run()
            return (time.perf_counter() - start) / EPOCHS
        return round_

    return timed(with_train), timed(bare)


TORCH_PEER = r"""
from bench_charlm import B, H, K, V, stream
torch.manual_seed(0)
s = torch.from_numpy(stream())
T = (s.numel() - 1) // B
X = torch.nn.functional.one_hot(s[: B * T].reshape(B, T), V).to(torch.float64)
Y = s[1 : B * T + 1].reshape(B, T)
rnn = torch.nn.RNN(V, H, nonlinearity="tanh", batch_first=True, dtype=torch.float64)
out = torch.nn.Linear(H, V, dtype=torch.float64)
opt = torch.optim.SGD(list(rnn.parameters()) + list(out.parameters()), lr=0.1)
def step():  # one epoch
    h = torch.zeros(1, B, H, dtype=torch.float64)
    for start in range(0, T, K):
        opt.zero_grad()
        states, h = rnn(X[:, start : start + K], h)
        loss = torch.nn.functional.cross_entropy(out(states).reshape(-1, V),
                                                 Y[:, start : start + K].reshape(-1))
        loss.backward()
        opt.step()
        h = h.detach()
"""


def main() -> None:
    chars = B * K * CHUNKS
    print(f"char-level RNN: V={V}, H={H}, B={B} streams, chunks of K={K}, float64, "
          f"{chars} characters per epoch, SGD per chunk, state carried; {ROUNDS} rounds of "
          f"{EPOCHS} epoch each, interleaved: median (range)")
    with_train, bare = rnnlib_runs()
    runs = {"train": with_train, "bare": bare}
    peers = {n: Peer(TORCH_PEER, n) for n in (1, 2)} if torch_available() else {}
    try:
        for n, peer in peers.items():
            runs[f"torch{n}"] = lambda peer=peer: peer.seconds(EPOCHS)
        times = interleaved(runs)
    finally:
        for peer in peers.values():
            peer.close()

    def speed(name: str) -> str:
        seconds = statistics.median(times[name])
        return f"{chars / seconds:8.0f} chars/s, ms per epoch {median_range(times[name])}"

    print(f"rnnlib.train (History's loss pass incl.), 1 thread   {speed('train')}")
    print(f"rnnlib chunk updates only, 1 thread                  {speed('bare')}")
    if not peers:
        print("torch.nn.RNN: not installed (pip install torch==2.13.0 to compare)")
        return
    for n, peer in peers.items():
        label = f"torch {peer.version} nn.RNN, {n} thread{'s' if n > 1 else ''}"
        print(f"{label:<52} {speed(f'torch{n}')}   (separate process)")
    for n in peers:
        print(f"time ratio rnnlib / torch on {n} thread{'s' if n > 1 else ''}, median of the "
              f"rounds': train {ratio(times['train'], times[f'torch{n}']):5.2f}, updates only "
              f"{ratio(times['bare'], times[f'torch{n}']):5.2f}"
              + ("   <- the same thread count (target <= 1.0)" if n == 1 else ""))


if __name__ == "__main__":
    main()
