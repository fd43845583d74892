"""rnnlib.reference, the plain RNN on one screen, is what rnnlib.train computes: the same
parameters and losses to 1e-12 (float64), for full and truncated BPTT, with and without norm
clipping, and at a size where train splits each batch over two threads. The reference's
gradients are themselves checked against central differences, so that the two cannot agree
on a mistake."""

import numpy as np
import pytest

import rnnlib
from rnnlib import reference
from rnnlib.gradcheck import numerical_gradient, relative_error


def problem(N, T, H, seed=0):
    rng = np.random.default_rng(seed)
    params = rnnlib.init_params(2, H, 1, rng)
    params.b = rng.normal(0.0, 0.1, H)
    params.c = rng.normal(0.0, 0.1, 1)
    return params, rng.normal(size=(N, T, 2)), rng.normal(size=(N, 1))


def arrays(params):
    return [params.U, params.W, params.V, params.b, params.c]


@pytest.mark.parametrize("k", [1, 3, None])
def test_reference_gradients_match_central_differences(k):
    params, X, Y = problem(N=4, T=5, H=3)
    T = X.shape[1]
    kk = T if k is None else k
    work = [a.copy() for a in arrays(params)]
    _, grads = reference.loss_and_gradients(*work, X, Y, kk)
    # the truncated loss: h_{T-k} held at its value, the last k steps run from it
    held = reference.forward(*work, X[:, : T - kk])[0][-1] if kk < T else np.zeros((4, 3))

    def loss():
        U, W, V, b, c = work
        h = held
        for t in range(T - kk, T):
            h = np.tanh(X[:, t] @ U.T + h @ W.T + b)
        return np.sum((h @ V.T + c - Y) ** 2) / (2 * X.shape[0])

    for array, grad in zip(work, grads, strict=True):
        assert relative_error(grad, numerical_gradient(loss, array)) < 1e-7


@pytest.mark.parametrize(
    "N, H, truncation, clip",
    [(6, 4, None, None), (6, 4, 2, None), (6, 4, None, 0.05), (6, 4, 3, 0.05),
     (81, 64, None, 0.01),  # 81 x 64: split over two threads, into 40 and 41 records
     (6, 4, 3, 0.5), (81, 64, 3, 0.185)],  # thresholds inside the runs' gradient norms
)
def test_train_equals_the_reference(N, H, truncation, clip):
    params, X, Y = problem(N=N, T=7, H=H)
    clipping = None if clip is None else rnnlib.Clipping("norm", clip)
    result = rnnlib.train(params, X, Y, learning_rate=0.1, epochs=6, truncation=truncation,
                          clipping=clipping)
    expected, losses = reference.train(*arrays(params), X, Y, learning_rate=0.1, epochs=6,
                                       k=truncation, clip=clip)
    for name, got, want in zip("UWVbc", arrays(result.params), expected, strict=True):
        assert relative_error(got, want) < 1e-12, name
    h = result.history
    np.testing.assert_allclose([h.initial_train_loss, *h.train_loss[:-1]], losses, rtol=1e-12)
    if clip is not None and clip < 0.1:
        assert h.clip_fraction == [1.0] * 6  # the clipping did act, on every update
    elif clip is not None:  # on some updates and not on others: both branches of the rule
        assert 1.0 in h.clip_fraction and 0.0 in h.clip_fraction, h.clip_fraction


def test_the_reference_fits_on_one_screen():
    import inspect

    assert len(inspect.getsource(reference).splitlines()) <= 90
