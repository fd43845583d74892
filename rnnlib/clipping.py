"""Gradient clipping, the two kinds in use.

By value (what the tutorial does), threshold c > 0: every element g of every gradient becomes
    min(max(g, -c), c).
    Elements are cut independently, so the clipped gradient can point in a different direction.
By global norm (Pascanu, Mikolov & Bengio, 2013), threshold c > 0: with ||g|| the L2 norm of all
    gradients together (dU, dW, dV, db, dc as one vector),
    g <- g * c / ||g||   if ||g|| > c,   else g unchanged.
    The direction is kept; only the step length is capped.

Both report the global norm before clipping and whether clipping acted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from rnnlib._checks import positive_float
from rnnlib.cells import CellParams
from rnnlib.model import Params

CLIP_KINDS = ("value", "norm")


@dataclass(frozen=True)
class Clipping:
    """A clipping rule: kind "value" or "norm", and its threshold c > 0."""

    kind: str
    threshold: float

    def __post_init__(self) -> None:
        if not isinstance(self.kind, str):
            raise TypeError(f"clipping kind must be one of {CLIP_KINDS} (a string), "
                            f"got {type(self.kind).__name__}")
        if self.kind not in CLIP_KINDS:
            raise ValueError(f"clipping kind must be one of {CLIP_KINDS}, got {self.kind!r}")
        object.__setattr__(self, "threshold", positive_float(self.threshold, "threshold"))

    def apply(self, grads: Params | CellParams) -> tuple[Params, float, bool]:
        """Clip ``grads``; return (clipped grads, global norm before clipping, clipping acted).

        Parameters
        ----------
        grads : Params, GRUParams or LSTMParams
            Gradients, not modified.

        Returns
        -------
        clipped : Params, GRUParams or LSTMParams
            A clipped copy, of the type of grads (clip_by_value or clip_by_norm).
        norm : float
            The global L2 norm before clipping.
        acted : bool
            Whether clipping changed anything.

        Raises
        ------
        TypeError
            For grads that are not Params, GRUParams or LSTMParams.
        """
        if self.kind == "value":
            return clip_by_value(grads, self.threshold)
        return clip_by_norm(grads, self.threshold)


def _check_grads(grads) -> None:
    if not isinstance(grads, Params | CellParams):
        raise TypeError(
            "grads must be rnnlib Params, GRUParams or LSTMParams of gradients, got "
            f"{type(grads).__name__}"
        )


def clip_by_value(grads: Params | CellParams, threshold: float) -> tuple[Params, float, bool]:
    """Clip every element to [-threshold, threshold].

    Parameters
    ----------
    grads : Params, GRUParams or LSTMParams
        Gradients, not modified.
    threshold : float
        c > 0.

    Returns
    -------
    clipped : Params, GRUParams or LSTMParams
        A clipped copy, of the type of grads.
    norm : float
        The global L2 norm before clipping.
    acted : bool
        Whether clipping changed anything.

    Raises
    ------
    TypeError
        For grads that are not Params, GRUParams or LSTMParams, a threshold that is not a number.
    ValueError
        For a threshold that is not finite and > 0.
    """
    _check_grads(grads)
    c = positive_float(threshold, "threshold")
    norm = grads.norm()
    acted = any(bool(np.any(np.abs(a) > c)) for _, a in grads.items())
    return type(grads)(*(np.clip(a, -c, c) for _, a in grads.items())), norm, acted


def clip_by_norm(grads: Params | CellParams, threshold: float) -> tuple[Params, float, bool]:
    """Rescale all gradients together so that their global L2 norm is at most ``threshold``.

    Parameters
    ----------
    grads : Params, GRUParams or LSTMParams
        Gradients, not modified.
    threshold : float
        c > 0.

    Returns
    -------
    clipped : Params, GRUParams or LSTMParams
        A clipped copy, of the type of grads.
    norm : float
        The global L2 norm before clipping.
    acted : bool
        Whether clipping changed anything.

    Raises
    ------
    TypeError
        For grads that are not Params, GRUParams or LSTMParams, a threshold that is not a number.
    ValueError
        For a threshold that is not finite and > 0.
    """
    _check_grads(grads)
    c = positive_float(threshold, "threshold")
    norm = grads.norm()
    if norm > c:
        scale = c / norm
        return type(grads)(*(a * scale for _, a in grads.items())), norm, True
    return grads.copy(), norm, False
