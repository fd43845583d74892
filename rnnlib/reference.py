"""The whole plain RNN on one screen: forward pass, BPTT with depth k, norm clipping, SGD.

Read this first; the rest of rnnlib computes the same numbers faster (time-major buffers filled
in place, one training loop for every cell), and tests/test_reference.py checks that
rnnlib.train agrees with ``train`` below to 1e-12. The notation is the notebooks':

    a_t = U x_t + W h_{t-1} + b,   h_t = tanh(a_t),   h_0 = 0         (N, H) per step
    y_hat = V h_T + c                                                 (N, O)
    L = 1 / (2N) sum_n ||y_hat_n - y_n||^2                            half mean squared error

BPTT with depth k (rnnlib.bptt), g_t = dL/dh_t, delta_t = dL/da_t, from g_T = dL/dy_hat V:

    delta_t = g_t * (1 - h_t^2),   g_{t-1} = delta_t W,   for t = T, T-1, ..., T-k+1,

and each of these steps adds delta_t^T x_t to dU, delta_t^T h_{t-1} to dW and delta_t to db.
Clipping by global norm c: every gradient times c / ||g|| when ||g|| > c. SGD: p <- p - lr g.
"""

from __future__ import annotations

import numpy as np


def forward(U, W, V, b, c, X):
    """h (T + 1, N, H) with h[0] = 0, and y_hat (N, O), for inputs X (N, T, D)."""
    N, T, _ = X.shape
    h = np.zeros((T + 1, N, U.shape[0]))
    for t in range(1, T + 1):
        h[t] = np.tanh(X[:, t - 1] @ U.T + h[t - 1] @ W.T + b)
    return h, h[T] @ V.T + c


def loss_and_gradients(U, W, V, b, c, X, Y, k):
    """L and (dU, dW, dV, db, dc) by BPTT through the last k steps, for X (N, T, D), Y (N, O)."""
    N, T, _ = X.shape
    h, y_hat = forward(U, W, V, b, c, X)
    loss = np.sum((y_hat - Y) ** 2) / (2 * N)
    dy = (y_hat - Y) / N  # dL/dy_hat
    dV, dc = dy.T @ h[T], dy.sum(axis=0)
    dU, dW, db = np.zeros_like(U), np.zeros_like(W), np.zeros_like(b)
    g = dy @ V  # g_T = dL/dh_T
    for t in range(T, T - k, -1):
        delta = g * (1 - h[t] ** 2)  # delta_t = g_t * tanh'(a_t)
        dU += delta.T @ X[:, t - 1]
        dW += delta.T @ h[t - 1]
        db += delta.sum(axis=0)
        g = delta @ W  # g_{t-1}
    return loss, [dU, dW, dV, db, dc]


def clip_by_norm(grads, threshold):
    """The gradients scaled together so that their global L2 norm is at most threshold."""
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    if norm > threshold:
        return [g * (threshold / norm) for g in grads]
    return grads


def train(U, W, V, b, c, X, Y, learning_rate, epochs, k=None, clip=None):
    """Full-batch SGD for ``epochs`` updates, BPTT depth k (None: full), norm clipping at clip
    (None: none). Returns the trained [U, W, V, b, c] (copies) and the loss before each update.
    """
    params = [np.array(p, dtype=np.float64) for p in (U, W, V, b, c)]
    k = X.shape[1] if k is None else min(k, X.shape[1])
    losses = []
    for _ in range(epochs):
        loss, grads = loss_and_gradients(*params, X, Y, k)
        if clip is not None:
            grads = clip_by_norm(grads, clip)
        for p, g in zip(params, grads, strict=True):
            p -= learning_rate * g
        losses.append(loss)
    return params, losses
