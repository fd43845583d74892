"""The validation layer: the checks rnnlib's public entry points run on what they are given.

One rule: ``TypeError`` for the wrong kind of argument (a string, a dict, a complex array, a
bool where a number belongs, something not callable), ``ValueError`` for a wrong value or shape,
each naming the argument, what was expected and what was given, so that a learner never meets a
broadcasting error from deep inside a computation. Checks convert what they accept: nested lists
and integer arrays become float64 arrays, numpy scalars become Python numbers. NaN and infinite
values are refused wherever they would propagate silently. The functions behind the entry points
(the cells, the training loop) trust their arguments and check nothing.
"""

from __future__ import annotations

import numpy as np


def real_array(value, name: str) -> np.ndarray:
    """Return ``value`` as a float64 array of any shape (real numbers only, NaN allowed).

    TypeError for strings (e.g. a file name where an array belongs), complex numbers (their
    imaginary part would be dropped), None, dicts and other objects that are not numbers;
    ValueError for ragged nested lists.
    """
    if isinstance(value, str | bytes):
        raise TypeError(
            f"{name} must be an array of numbers, got the string {value!r} (to use a file, "
            f"read it first, e.g. numpy.loadtxt(path, delimiter=','))"
        )
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"{name} must be a rectangular array of numbers: {error}") from None
    kind = array.dtype.kind
    if kind == "c":
        raise TypeError(
            f"{name} must hold real numbers, got a complex array (dtype {array.dtype}); "
            f"pass its real part or its magnitude explicitly"
        )
    if kind not in "biuf":
        got = type(value).__name__ if array.ndim == 0 else f"an array of dtype {array.dtype}"
        raise TypeError(f"{name} must be an array of real numbers, got {got}")
    return array.astype(np.float64, copy=False)


def finite_array(value, name: str) -> np.ndarray:
    """``real_array`` that must also be non-empty and hold no NaN or infinite value."""
    array = real_array(value, name)
    if array.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must be finite, but it holds {bad} NaN or infinite value(s)")
    return array


def finite_result(loss: float, grads, params) -> tuple[float, object]:
    """(loss, grads) as given, or ValueError where finite params gave a loss or gradients that
    overflowed to inf or NaN (float64 cannot hold them: the weights are too large)."""
    bad = [name for name, a in grads.items() if not np.all(np.isfinite(a))]
    if np.isfinite(loss) and not bad:
        return loss, grads
    largest = max(float(np.max(np.abs(a), initial=0.0)) for _, a in params.items())
    what = f"the loss ({loss})" if not np.isfinite(loss) else "the gradients of " + ", ".join(bad)
    raise ValueError(f"{what} overflowed to inf or NaN at these params (their largest |value| is "
                     f"{largest:.3g}): float64 cannot hold the result; use smaller weights")


def as_float_array(value, name: str, ndim: int, what: str) -> np.ndarray:
    """Return ``value`` as a float64 array of rank ``ndim``, finite and non-empty.

    ``what`` describes the expected shape in words, e.g. ``"(N, T, D)"``.
    """
    array = real_array(value, name)
    if array.ndim != ndim:
        raise ValueError(f"{name} must have shape {what}, got shape {array.shape}")
    return finite_array(array, name)


def positive_int(value, name: str, minimum: int = 1) -> int:
    """Return ``value`` as an int, checking that it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def real_number(value, name: str, what: str) -> float:
    """Return ``value`` as a float (any value, NaN too); TypeError "{name} must be {what}" for
    strings, booleans, complex numbers and other things that are not real numbers."""
    if isinstance(value, str | bytes | bool | complex | np.bool_ | np.complexfloating):
        raise TypeError(f"{name} must be {what}, got {value!r}")
    try:
        return float(value)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be {what}, got {value!r}") from None


def positive_float(value, name: str) -> float:
    """Return ``value`` as a float, checking that it is finite and > 0."""
    number = real_number(value, name, "a positive number")
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return number


def generator(rng, name: str = "rng") -> np.random.Generator:
    """Check that ``rng`` is a ``numpy.random.Generator`` (randomness is always explicit)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{name} must be a numpy.random.Generator (e.g. numpy.random.default_rng(0)), "
            f"got {type(rng).__name__}"
        )
    return rng


def callable_or_none(value, name: str, what: str):
    """Check that ``value`` is None or callable (``what`` says how it is called); return it."""
    if value is not None and not callable(value):
        raise TypeError(f"{name} must be a function {what} or None, got {type(value).__name__}")
    return value


# --- against a model: any cell's parameters (input_size, output_size, static_size) ---------


def check_inputs(params, X, name: str = "X") -> np.ndarray:
    """Input windows for the model ``params`` (any cell), as float64 (N, T, D)."""
    what = f"(N, T, D) with D == {params.input_size} (the model's input size)"
    X = as_float_array(X, name, 3, what)
    if X.shape[2] != params.input_size:
        raise ValueError(f"{name} must have shape {what}, got {X.shape}")
    return X


def check_targets(params, Y, N: int, name: str = "Y") -> np.ndarray:
    """Targets for the model ``params`` and N records, as float64 (N, O)."""
    O = params.output_size
    Y = as_float_array(Y, name, 2, f"(N, O) with O == {O} (the model's output size)")
    if Y.shape != (N, O):
        raise ValueError(
            f"{name} must have shape (N, O) = ({N}, {O}) to match the inputs' N and the "
            f"model's output size, got {Y.shape}"
        )
    return Y


def check_any_targets(params, Y, X_shape: tuple[int, ...], name: str = "Y") -> np.ndarray:
    """Targets for inputs of shape X_shape (N, T, D): (N, O) for the loss at the last step, or
    (N, T, O) for a loss at every step (rnnlib.cells), as float64."""
    N, T = X_shape[0], X_shape[1]
    O = params.output_size
    Y = real_array(Y, name)
    if Y.ndim == 3:
        Y = finite_array(Y, name)
        if Y.shape != (N, T, O):
            raise ValueError(
                f"{name} must have shape (N, T, O) = ({N}, {T}, {O}) for a loss at every step, "
                f"to match the inputs' N and T and the model's output size, got {Y.shape}"
            )
        return Y
    if Y.ndim != 2:
        raise ValueError(
            f"{name} must have shape (N, O) with O == {O} (the model's output size; a loss at "
            f"the last step) or (N, T, O) = ({N}, {T}, {O}) (a loss at every step), got shape "
            f"{Y.shape}"
        )
    return check_targets(params, Y, N, name)


def check_static(params, static, N: int, name: str = "static") -> np.ndarray | None:
    """Static features for the model: float64 (N, S) if it has A (S columns), else None."""
    S = params.static_size
    if S == 0:
        if static is not None:
            raise ValueError(
                f"{name} was given but the model has no static-feature weights A, a "
                f"(create it with init_params(..., static_size=S)); pass {name}=None"
            )
        return None
    if static is None:
        raise ValueError(f"{name} must be given, shape (N, S) = ({N}, {S}): the model has A (H, S)")
    static = as_float_array(static, name, 2, f"(N, S) = ({N}, {S})")
    if static.shape != (N, S):
        raise ValueError(
            f"{name} must have shape (N, S) = ({N}, {S}) to match the inputs' N and A's S, "
            f"got {static.shape}"
        )
    return static


def check_h0(h0, N: int, H: int, name: str = "h0") -> np.ndarray | None:
    """Initial states h_0 (or an LSTM's memory cells c_0) as float64 (N, H), or None."""
    if h0 is None:
        return None
    h0 = as_float_array(h0, name, 2, f"(N, H) = ({N}, {H})")
    if h0.shape != (N, H):
        raise ValueError(f"{name} must have shape (N, H) = ({N}, {H}), got {h0.shape}")
    return h0


def kind(value, name: str, kinds: type | tuple[type, ...], expected: str):
    """Check that ``value`` is an instance of ``kinds`` (TypeError naming ``expected``)."""
    if not isinstance(value, kinds):
        raise TypeError(f"{name} must be {expected}, got {type(value).__name__}")
    return value


def _dims(what: str) -> list[str]:
    return [d.strip() for d in what.strip("()").split(",") if d.strip()]


def shape_of(what: str, sizes: dict[str, int]) -> tuple[int, ...]:
    """The shape a symbolic shape names: shape_of("(3H, D)", {"H": 4, "D": 2}) == (12, 2)."""
    return tuple(int(d[:-1] or 1) * sizes[d[-1]] for d in _dims(what))


def shaped_arrays(arrays: dict[str, object], table: dict[str, str],
                  sizes: dict[str, tuple[str, int]]) -> dict[str, np.ndarray]:
    """The arrays of a parameter set checked against its shape table, as float64 arrays.

    arrays: name -> value; table: name -> symbolic shape such as "(3H, D)" or "(H,)";
    sizes: symbol -> (name, axis) of the array whose size defines it, e.g. {"H": ("U", 0)}.
    Raises TypeError/ValueError (real_array, as_float_array) for an array that is not finite
    real numbers of the table's rank, ValueError for a shape that does not match the others'.
    """
    converted = {name: as_float_array(arrays[name], name, len(_dims(what)), what)
                 for name, what in table.items()}
    known = {symbol: converted[name].shape[axis] for symbol, (name, axis) in sizes.items()}
    basis = " and ".join(f"{name} {converted[name].shape} ({symbol} = {known[symbol]})"
                         for symbol, (name, _) in sizes.items())
    for name, what in table.items():
        expected = shape_of(what, known)
        if converted[name].shape != expected:
            raise ValueError(f"{name} must have shape {what} = {expected} to match {basis}, "
                             f"got {converted[name].shape}")
    return converted
