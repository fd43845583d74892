"""Seconds per training epoch of rnnlib's GRU against torch.nn.GRU, and their results compared.

The size, the timing and the comparison are benchmarks/torch_peer.py's (the tutorial's size,
float64, full BPTT, full-batch SGD; PyTorch in a separate process, interleaved). The GRU variant
of rnnlib.gated is torch.nn.GRU's. Target (issues 13, 20): rnnlib <= 0.8 x PyTorch's time on
the same thread count.
Prints figures; asserts nothing.
Run: python benchmarks/bench_gated.py       (needs `pip install torch==2.13.0` for the peer)
"""

from __future__ import annotations

import numpy as np
from torch_peer import H, compare

# torch: r, z gates use b_ih + b_hh; the candidate uses b_ih outside and b_hh inside r * (.);
# our b_r, b_z stand for torch's b_ih + b_hh there: the gradient is that of either one
GRU_PEER = r"""
rnn = torch.nn.GRU(1, H, batch_first=True, dtype=torch.float64)
with torch.no_grad():
    rnn.weight_ih_l0.copy_(torch.tensor(arrays["U"]))
    rnn.weight_hh_l0.copy_(torch.tensor(arrays["W"]))
    rnn.bias_ih_l0.copy_(torch.tensor(arrays["b"]))
    rnn.bias_hh_l0.copy_(torch.cat([torch.zeros(2 * H, dtype=torch.float64),
                                    torch.tensor(arrays["b_n"])]))
def cell_gradients():
    return {"U": rnn.weight_ih_l0.grad, "W": rnn.weight_hh_l0.grad, "b": rnn.bias_ih_l0.grad,
            "b_n": rnn.bias_hh_l0.grad[2 * H :]}
"""


def initial():
    from rnnlib.gated import init_gru

    params = init_gru(1, H, 1, np.random.default_rng(0))
    rng = np.random.default_rng(1)  # non-zero biases, so that every bias gradient is compared
    params.b = rng.uniform(-0.1, 0.1, 3 * H)
    params.b_n = rng.uniform(-0.1, 0.1, H)
    params.c = rng.uniform(-0.1, 0.1, 1)
    return params


def main() -> None:
    from rnnlib.gated import gru_forward, gru_loss_and_gradients

    compare("GRU", "torch.nn.GRU", initial(), GRU_PEER, gru_forward, gru_loss_and_gradients,
            target=0.8)


if __name__ == "__main__":
    main()
