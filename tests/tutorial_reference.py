"""A slow, literal, step-by-step transcription of the tutorial's training loop.

This file exists only to check ``rnnlib.tutorial``: it follows the published algorithm one
statement at a time (column vectors of shape (k, 1), one record at a time, the dead
computations of the inner BPTT loop included, clipping inside the time loop), so that the
fast, vectorised version can be compared with it. Nothing here is meant to be read as a
correct RNN. Names follow the article's so that each line can be matched with it.
"""

from __future__ import annotations

import numpy as np


def _sigmoid(z: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _one_hot_forward(U, W, V, x):
    """The article's evaluation forward pass for one record: returns mulv of the last step."""
    hidden_dim, seq_len = U.shape
    prev_s = np.zeros((hidden_dim, 1))
    mulv = None
    for t in range(seq_len):
        new_input = np.zeros(x.shape)
        new_input[t] = x[t]
        mulu = U @ new_input
        mulw = W @ prev_s
        s = _sigmoid(mulw + mulu)
        mulv = V @ s
        prev_s = s
    return mulv


def literal_loss(U, W, V, X, Y) -> float:
    """The loss the article prints: sum over records of (y - mulv)**2 / 2, divided by y.shape[0] (== 1)."""
    loss = 0.0
    y = None
    for r in range(Y.shape[0]):
        x, y = X[r], Y[r]
        mulv = _one_hot_forward(U, W, V, x)
        loss = loss + (y - mulv) ** 2 / 2
    loss = loss / float(y.shape[0])
    return float(np.asarray(loss).item())


def literal_record_gradients(U, W, V, x, y, bptt_truncate=5, clip_value=10.0):
    """dU, dW, dV for one record exactly as the article's backward pass builds them.

    With ``clip_value=None`` the six clipping statements are skipped (used by the gradient check).
    """
    hidden_dim, seq_len = U.shape
    layers = []
    prev_s = np.zeros((hidden_dim, 1))
    dU = np.zeros(U.shape)
    dV = np.zeros(V.shape)
    dW = np.zeros(W.shape)
    dU_t = np.zeros(U.shape)
    dV_t = np.zeros(V.shape)
    dW_t = np.zeros(W.shape)
    for t in range(seq_len):
        new_input = np.zeros(x.shape)
        new_input[t] = x[t]
        mulu = U @ new_input
        mulw = W @ prev_s
        add = mulw + mulu
        s = _sigmoid(add)
        mulv = V @ s
        layers.append({"s": s, "prev_s": prev_s})
        prev_s = s

    dmulv = mulv - y
    for t in range(seq_len):
        dV_t = dmulv @ layers[t]["s"].T
        dsv = V.T @ dmulv
        ds = dsv
        dadd = add * (1 - add) * ds  # `add` is the last step's pre-activation
        dmulw = dadd * np.ones_like(mulw)
        dprev_s = W.T @ dmulw
        # the article reuses the record index's name here; the loop variable is never read
        for _i in range(t - 1, max(-1, t - bptt_truncate - 1), -1):
            ds = dsv + dprev_s
            dadd = add * (1 - add) * ds
            dmulw = dadd * np.ones_like(mulw)
            dmulu = dadd * np.ones_like(mulu)
            dW_i = W @ layers[t]["prev_s"]
            dprev_s = W.T @ dmulw
            new_input = np.zeros(x.shape)
            new_input[t] = x[t]
            dU_i = U @ new_input
            _dx = U.T @ dmulu
            dU_t += dU_i  # (H, 1) broadcast over every column
            dW_t += dW_i
        dV += dV_t
        dU += dU_t
        dW += dW_t
        if clip_value is not None:
            lo, hi = -clip_value, clip_value
            if dU.max() > hi:
                dU[dU > hi] = hi
            if dV.max() > hi:
                dV[dV > hi] = hi
            if dW.max() > hi:
                dW[dW > hi] = hi
            if dU.min() < lo:
                dU[dU < lo] = lo
            if dV.min() < lo:
                dV[dV < lo] = lo
            if dW.min() < lo:
                dW[dW < lo] = lo
    return dU, dW, dV


def literal_train(U, W, V, X, Y, X_val, Y_val, *, learning_rate=1e-4, n_epochs=25,
                  bptt_truncate=5, clip_value=10.0):
    """The article's epoch loop. Returns (train_losses, val_losses, U, W, V); inputs are not modified."""
    U, W, V = U.copy(), W.copy(), V.copy()
    train_losses, val_losses = [], []
    for _epoch in range(n_epochs):
        # both losses are measured with the weights as they are *before* this epoch's training
        train_losses.append(literal_loss(U, W, V, X, Y))
        val_losses.append(literal_loss(U, W, V, X_val, Y_val))
        for r in range(Y.shape[0]):
            dU, dW, dV = literal_record_gradients(
                U, W, V, X[r], Y[r], bptt_truncate=bptt_truncate, clip_value=clip_value
            )
            U -= learning_rate * dU
            V -= learning_rate * dV
            W -= learning_rate * dW
    return np.array(train_losses), np.array(val_losses), U, W, V


def literal_predict(U, W, V, X) -> np.ndarray:
    """The article's prediction loop: the whole window enters at every step (U @ x). Shape (N, 1, 1)."""
    hidden_dim, _ = U.shape
    preds = []
    for r in range(X.shape[0]):
        x = X[r]
        prev_s = np.zeros((hidden_dim, 1))
        for _t in range(U.shape[1]):
            mulu = U @ x
            mulw = W @ prev_s
            s = _sigmoid(mulw + mulu)
            mulv = V @ s
            prev_s = s
        preds.append(mulv)
    return np.array(preds)
