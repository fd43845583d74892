"""Update rules: plain gradient descent (SGD, the course's default) and Adam.

Both work on any parameter set with ``items()`` -> [(name, array), ...] (rnnlib.model.Params,
rnnlib.gated.GRUParams) and update its arrays in place, one call per batch.

SGD with learning rate lr:

    p <- p - lr * g

Adam (Kingma & Ba, 2015) with learning rate lr, beta1, beta2, eps; for the t-th update
(t = 1, 2, ...) and each parameter array p with gradient g (all operations elementwise):

    m <- beta1 * m + (1 - beta1) * g           m = 0 before the first update
    v <- beta2 * v + (1 - beta2) * g**2        v = 0 before the first update
    m_hat = m / (1 - beta1**t),   v_hat = v / (1 - beta2**t)     (bias corrections)
    p <- p - lr * m_hat / (sqrt(v_hat) + eps)

The bias corrections undo the start from m = v = 0: without them m and v are too small by the
factors 1 - beta1**t and 1 - beta2**t in the first updates. The step's size does not follow the
gradient's scale: with eps negligible, Kingma and Ba (section 2.1) bound each element's move by
lr * (1 - beta1) / sqrt(1 - beta2) when 1 - beta1 > sqrt(1 - beta2), and by lr otherwise; with
the defaults about 3.2 lr (approached when a gradient appears after a long run of zeros),
and in the common case of gradients of a steady scale the move is about lr or less. So a
gradient that has shrunk by a factor 1e-6 over many steps still moves its weights.
Defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8 (the paper's).
"""

from __future__ import annotations

import numpy as np

from rnnlib._checks import finite_array, positive_float

OPTIMIZERS = ("sgd", "adam")


def _pairs(params, grads) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """(name, parameter, gradient) triples, after checking that grads match params."""
    if not callable(getattr(params, "items", None)):
        raise TypeError("params must be a rnnlib parameter set (Params, GRUParams or LSTMParams), "
                        f"got {type(params).__name__}")
    if type(grads) is not type(params):
        raise TypeError(f"grads must be a {type(params).__name__} like params, "
                        f"got {type(grads).__name__}")
    names = [name for name, _ in params.items()]
    grad_items = grads.items()
    if [name for name, _ in grad_items] != names:
        raise ValueError(f"grads must hold the arrays {names} of params, "
                         f"got {[name for name, _ in grad_items]}")
    triples = []
    for (name, p), (_, g) in zip(params.items(), grad_items, strict=True):
        g = finite_array(g, f"the gradient of {name}")  # lists converted; NaN would spread
        if g.shape != p.shape:
            raise ValueError(f"the gradient of {name} must have its shape {p.shape}, "
                             f"got {g.shape}")
        triples.append((name, p, g))
    return triples


def _fraction(value, name: str) -> float:
    """A number in [0, 1) (numpy floats welcome, bools refused)."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.integer
                                                            | np.floating):
        raise TypeError(f"{name} must be a number in [0, 1), got {type(value).__name__} "
                        f"{value!r}")
    if not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}")
    return float(value)


class SGD:
    """Plain gradient descent: p <- p - lr * g (see the module docstring)."""

    def __init__(self, learning_rate: float):
        self.learning_rate = positive_float(learning_rate, "learning_rate")

    def step(self, params, grads) -> None:
        """Update ``params``' arrays in place from ``grads`` (same names and shapes).

        Parameters
        ----------
        params : Params, GRUParams or LSTMParams
            The parameter set, updated in place.
        grads : the same type as params
            Its gradients, array by array of the same shapes (nested lists are converted).

        Raises
        ------
        TypeError
            For arguments without items(), grads of another type, or gradients that are not
            arrays of real numbers.
        ValueError
            For other array names or shapes, or NaN or infinite gradients.
        """
        lr = self.learning_rate
        for _, p, g in _pairs(params, grads):
            p -= lr * g


class Adam:
    """Adam: adaptive, per-element step sizes (see the module docstring for the update)."""

    def __init__(
        self,
        learning_rate: float,
        beta1: float = 0.9,
        beta2: float = 0.999,
        eps: float = 1e-8,
    ):
        self.learning_rate = positive_float(learning_rate, "learning_rate")
        self.beta1, self.beta2 = _fraction(beta1, "beta1"), _fraction(beta2, "beta2")
        self.eps = positive_float(eps, "eps")
        self.t = 0
        self._m: dict[str, np.ndarray] = {}
        self._v: dict[str, np.ndarray] = {}

    def step(self, params, grads) -> None:
        """The t-th update (t counts the calls) of ``params``' arrays in place from ``grads``;
        parameters, checks (before anything moves) and errors as ``SGD.step``."""
        triples = _pairs(params, grads)
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        correction1 = 1.0 - b1**self.t
        correction2 = 1.0 - b2**self.t
        for name, p, g in triples:
            if name not in self._m:
                self._m[name] = np.zeros_like(p)
                self._v[name] = np.zeros_like(p)
            m, v = self._m[name], self._v[name]
            m *= b1
            m += (1.0 - b1) * g
            v *= b2
            v += (1.0 - b2) * (g * g)
            denominator = np.sqrt(v / correction2)
            denominator += self.eps
            p -= self.learning_rate * (m / correction1) / denominator


def make_optimizer(optimizer: str, learning_rate: float) -> SGD | Adam:
    """The update rule named ``optimizer``.

    Parameters
    ----------
    optimizer : str
        "sgd" or "adam" (Adam with its default betas).
    learning_rate : float
        Step size > 0.

    Returns
    -------
    SGD or Adam

    Raises
    ------
    TypeError, ValueError
        For a learning rate that is not a positive finite number, an unknown optimizer.
    """
    if not isinstance(optimizer, str):
        raise TypeError(f"optimizer must be one of {OPTIMIZERS} (a string), "
                        f"got {type(optimizer).__name__}")
    if optimizer == "sgd":
        return SGD(learning_rate)
    if optimizer == "adam":
        return Adam(learning_rate)
    raise ValueError(f"optimizer must be one of {OPTIMIZERS}, got {optimizer!r}")
