"""The article "RNN from scratch in Python", its code transcribed literally. FOR STUDY ONLY.

Never use this module for real work: like rnnlib.tutorial.reproduction it is deliberately wrong in
exactly the ways the published code is wrong. It is the short, readable version of the article's
algorithm: one record at a time, column vectors of shape (k, 1), one statement for each of the
article's (the dead computations of the inner BPTT loop included, clipping inside the time loop),
and the article's variable names, so that each line can be matched with the article and notebook
06 can show each bug as code. It is slow (about a minute for the article's 25 epochs):
rnnlib.tutorial.reproduction computes the same numbers about 20 times faster, and the tests
check the two against each other. Written in our own code; nothing here is a correct RNN.
"""

from __future__ import annotations

import numpy as np

from rnnlib.rounding import jittered


def literal_init(rng: np.random.Generator, hidden_dim: int = 100, seq_len: int = 50,
                 output_dim: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The article's initialisation, every weight from uniform(0, 1): (U, W, V) of shapes
    (hidden_dim, seq_len), (hidden_dim, hidden_dim), (output_dim, hidden_dim).

    Parameters
    ----------
    rng : numpy.random.Generator
        Draws U, W, V in that order (not checked).
    hidden_dim, seq_len, output_dim : int
        H, T (U has one column per time position) and O.

    Returns
    -------
    U : array (H, T)
    W : array (H, H)
    V : array (O, H)
    """
    U = rng.uniform(0, 1, (hidden_dim, seq_len))
    W = rng.uniform(0, 1, (hidden_dim, hidden_dim))
    V = rng.uniform(0, 1, (output_dim, hidden_dim))
    return jittered(U), jittered(W), jittered(V)  # (rnnlib.rounding: unchanged unless tested)


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
    """The loss the article prints: sum over records of (y - mulv)**2 / 2, "divided by" 1.

    Parameters
    ----------
    U, W, V : arrays (H, T), (H, H), (1, H)
        The article's weights.
    X : array (N, T, 1)
        Windows, each a column (T, 1).
    Y : array (N, 1)
        The value after each window.

    Returns
    -------
    float
        The loss, from the training-time (one-hot in time) forward pass.
    """
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

    Returns
    -------
    dU : array (H, T)
    dW : array (H, H)
    dV : array (1, H)
        The article's gradients for the record x (T, 1), y (1,), clipped to
        [-clip_value, clip_value] inside the time loop unless clip_value is None.
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
    """The article's epoch loop -> (train_losses, val_losses, U, W, V); inputs not modified.

    Parameters
    ----------
    U, W, V : arrays (H, T), (H, H), (1, H)
        The initial weights (copied).
    X, Y : arrays (N, T, 1), (N, 1)
        Training windows and their next values, one SGD step per record, in order.
    X_val, Y_val : arrays (M, T, 1), (M, 1)
        Validation windows and their next values.
    learning_rate : float
        The SGD step size.
    n_epochs : int
        Number of passes over the training records.
    bptt_truncate : int
        The article's truncation of its inner loop.
    clip_value : float or None
        The elementwise clipping bound; None: no clipping.

    Returns
    -------
    train_losses, val_losses : arrays (n_epochs,)
        literal_loss on each set, measured before each epoch's training.
    U, W, V : arrays (H, T), (H, H), (1, H)
        The weights after the last epoch.
    """
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
    """The article's prediction loop, the whole window at every step (U @ x): shape (N, 1, 1).

    Parameters
    ----------
    U, W, V : arrays (H, T), (H, H), (1, H)
        The article's weights.
    X : array (N, T, 1)
        Windows, each a column (T, 1).

    Returns
    -------
    array (N, 1, 1)
        One prediction (mulv, (1, 1)) per record.
    """
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
