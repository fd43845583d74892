"""Correct answers to the course's exercises, written as a learner would (the notebooks' solution
cells hold the same code). Later pieces call the earlier ones through ``my``, the workbook, as in
the notebooks; ``bind(book)`` points them at a given workbook.
"""

import numpy as np

my = None  # the workbook the pieces below call; set by bind()


def bind(book):
    global my
    my = book


def failed_text(name, fn):
    """The text of the checker's verdict on fn (unwrapped), which must be FAIL."""
    from rnnlib import exercises

    verdict = exercises.EXERCISES[name].check(fn)
    assert verdict.status == "FAIL", verdict.text
    return verdict.text.replace("\n  ", " ")


def passed(name, fn):
    """The checker of exercise ``name`` accepts fn."""
    from rnnlib import exercises

    verdict = exercises.EXERCISES[name].check(fn)
    assert verdict.status == "PASS", verdict.text


def failed(name, fn, *fragments, absent=()):
    """fn fails; its message (unwrapped) holds every fragment and none of ``absent``; returns it."""
    text = failed_text(name, fn)
    for fragment in fragments:
        assert fragment in text, text
    for fragment in absent:
        assert fragment not in text, text
    return text


def sigmoid(a):
    return 1 / (1 + np.exp(-a))


def make_windows(series, T):
    N = series.shape[0] - T
    X = np.stack([series[i : i + T] for i in range(N)])  # (N, T, D)
    Y = series[T:]  # (N, D): the value after each window
    return X, Y


def forward_step(x_t, h_prev, U, W, b):
    return np.tanh(x_t @ U.T + h_prev @ W.T + b)


def rnn_forward(X, U, W, V, b, c):
    N, T, _ = X.shape
    h = np.zeros((N, W.shape[0]))
    states = [h]
    for t in range(T):
        h = my.forward_step(X[:, t], h, U, W, b)
        states.append(h)
    states = np.stack(states)  # (T + 1, N, H)
    return states[T] @ V.T + c, states


def mse_loss(Y_hat, Y):
    N = Y.shape[0]
    diff = Y_hat - Y
    return np.sum(diff**2) / (2 * N), diff / N


def backward_step(dh_t, h_t, h_prev, x_t, W):
    delta_t = dh_t * (1.0 - h_t**2)
    return delta_t, delta_t @ W, delta_t.T @ x_t, delta_t.T @ h_prev, delta_t.sum(axis=0)


def bptt(dY_hat, X, states, W, V, k):
    T = X.shape[1]
    dU = np.zeros((W.shape[0], X.shape[2]))
    dW = np.zeros_like(W)
    db = np.zeros(W.shape[0])
    g = dY_hat @ V  # dL/dh_T
    for t in range(T, T - k, -1):  # t = T, T-1, ..., T-k+1
        _, g, dU_t, dW_t, db_t = my.backward_step(g, states[t], states[t - 1], X[:, t - 1], W)
        dU, dW, db = dU + dU_t, dW + dW_t, db + db_t
    return dU, dW, dY_hat.T @ states[T], db, dY_hat.sum(axis=0)


def numerical_gradient(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        f_plus = f()
        x[i] = saved - eps
        f_minus = f()
        x[i] = saved
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad


def clip_gradients(grads, threshold):
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))
    if norm > threshold:
        return [g * (threshold / norm) for g in grads]
    return [g.copy() for g in grads]


def train_rnn(params, X, Y, learning_rate, epochs, threshold, k):
    U, W, V, b, c = params
    for _ in range(epochs):
        Y_hat, states = my.rnn_forward(X, U, W, V, b, c)
        _, dY_hat = my.mse_loss(Y_hat, Y)
        grads = my.bptt(dY_hat, X, states, W, V, k)
        dU, dW, dV, db, dc = my.clip_gradients(list(grads), threshold)
        U, W, V = U - learning_rate * dU, W - learning_rate * dW, V - learning_rate * dV
        b, c = b - learning_rate * db, c - learning_rate * dc
    return [U, W, V, b, c]


def gru_step(x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    from_input = x_t @ U.T + b  # (N, 3H): U_r x + b_r, U_z x + b_z, U_n x + b_xn
    from_state = h_prev @ W.T  # (N, 3H): W_r h, W_z h, W_n h
    r = 1 / (1 + np.exp(-(from_input[:, :H] + from_state[:, :H])))
    z = 1 / (1 + np.exp(-(from_input[:, H : 2 * H] + from_state[:, H : 2 * H])))
    n = np.tanh(from_input[:, 2 * H :] + r * (from_state[:, 2 * H :] + b_n))
    return (1 - z) * n + z * h_prev


def gru_step_backward(dh_t, x_t, h_prev, U, W, b, b_n):
    H = h_prev.shape[1]
    a = x_t @ U.T + b
    rec = h_prev @ W.T
    r = 1 / (1 + np.exp(-(a[:, :H] + rec[:, :H])))
    z = 1 / (1 + np.exp(-(a[:, H : 2 * H] + rec[:, H : 2 * H])))
    m = rec[:, 2 * H :] + b_n
    n = np.tanh(a[:, 2 * H :] + r * m)
    da_n = dh_t * (1 - z) * (1 - n**2)
    da_z = dh_t * (h_prev - n) * z * (1 - z)
    dm = da_n * r
    da_r = da_n * m * r * (1 - r)
    d_rec = np.hstack([da_r, da_z, dm])
    d_in = np.hstack([da_r, da_z, da_n])
    return dh_t * z + d_rec @ W, d_in.T @ x_t, d_rec.T @ h_prev, d_in.sum(axis=0), dm.sum(axis=0)


def sequence_backward_step(dh_next, dy_hat_t, h_t, W, V):
    g_t = dh_next + dy_hat_t @ V  # (N, H): from the later steps and from step t's own output
    delta_t = g_t * (1 - h_t**2)
    return g_t, delta_t, delta_t @ W, dy_hat_t.T @ h_t


def temperature_probabilities(y_hat, temperature):
    p = np.exp((y_hat - y_hat.max(axis=1, keepdims=True)) / temperature)
    return p / p.sum(axis=1, keepdims=True)
