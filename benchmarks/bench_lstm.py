"""Seconds per training epoch of rnnlib's LSTM against torch.nn.LSTM, and their results compared.

The size, the timing and the comparison are benchmarks/torch_peer.py's (the tutorial's size,
N = 100 x T = 50 x H = 100, float64, full BPTT, full-batch SGD; PyTorch in a separate process).
The gate convention of rnnlib.lstm is torch.nn.LSTM's (i, f, g, o); its two bias vectors add up
to our b, so the peer gets b_ih = b, b_hh = 0 and our db is the gradient of either. Targets
(issue 22): states and gradients agree to 1e-12, rnnlib no slower than PyTorch on the same
thread count.
Prints figures; asserts nothing.
Run: python benchmarks/bench_lstm.py       (needs `pip install torch==2.13.0` for the peer)
"""

from __future__ import annotations

import numpy as np
from torch_peer import H, compare

LSTM_PEER = r"""
rnn = torch.nn.LSTM(1, H, batch_first=True, dtype=torch.float64)
with torch.no_grad():
    rnn.weight_ih_l0.copy_(torch.tensor(arrays["U"]))
    rnn.weight_hh_l0.copy_(torch.tensor(arrays["W"]))
    rnn.bias_ih_l0.copy_(torch.tensor(arrays["b"]))
    rnn.bias_hh_l0.zero_()
def cell_gradients():
    return {"U": rnn.weight_ih_l0.grad, "W": rnn.weight_hh_l0.grad, "b": rnn.bias_ih_l0.grad}
"""


def initial():
    from rnnlib.lstm import init_lstm

    params = init_lstm(1, H, 1, np.random.default_rng(0), forget_bias=1.0)
    rng = np.random.default_rng(1)  # non-zero biases, so that every bias gradient is compared
    params.b += rng.uniform(-0.1, 0.1, 4 * H)
    params.c = rng.uniform(-0.1, 0.1, 1)
    return params


def main() -> None:
    from rnnlib.lstm import lstm_forward, lstm_loss_and_gradients

    compare("LSTM", "torch.nn.LSTM", initial(), LSTM_PEER, lstm_forward, lstm_loss_and_gradients,
            target=1.0)


if __name__ == "__main__":
    main()
