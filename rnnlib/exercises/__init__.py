"""The course's exercises: checkers for the "your turn" cells, and the learner's workbook.

The learner builds the RNN in nine pieces, each in the notebook that teaches it:

    01  make_windows(series, T) -> (X, Y)
    02  forward_step(x_t, h_prev, U, W, b) -> h_t
        rnn_forward(X, U, W, V, b, c) -> (Y_hat, states)          calls my.forward_step
    03  mse_loss(Y_hat, Y) -> (L, dY_hat)
        backward_step(dh_t, h_t, h_prev, x_t, W) -> (delta_t, dh_prev, dU_t, dW_t, db_t)
        bptt(dY_hat, X, states, W, V, k) -> (dU, dW, dV, db, dc)   calls my.backward_step
        numerical_gradient(f, x, eps=1e-6) -> grad
    04  clip_gradients(grads, threshold) -> clipped
    05  train_rnn(params, X, Y, learning_rate, epochs, threshold, k) -> trained
                                   calls my.rnn_forward, my.mse_loss, my.bptt, my.clip_gradients
    08  gru_step(x_t, h_prev, U, W, b, b_n) -> h_t

The exact contract of each is in the docstring of its module (windows, forward, backprop,
clipping, training, gru). A checker runs the learner's function on fixed, seeded, small inputs
(sizes that all differ, and the course's own shapes D = 1, O = 1, N = 1), compares the float64
result with rnnlib's and prints one verdict, wrapped at word boundaries:

    PASS: relative error < 1e-12 (must be < 1e-10)
    FAIL: <what is wrong, naming the usual slip when the values confirm it>
    NOT YET: your function returned None — write it above and run this cell again
    (a stub that raises NotImplementedError is NOT YET too)

Printed, each verdict says whose function it judged, so that after Run All a learner tells
their own lines from the reference solutions': ``my.check("make_windows", make_windows)``
prints "your make_windows — PASS: ...", and the solution cells'
``check_make_windows(make_windows_solution, who="reference solution")`` prints
"reference solution — PASS: ...". ``check_<piece>(fn)`` prints the verdict
(``EXERCISES[piece].check(fn)`` returns it as a Verdict, unlabelled). ``workbook(n)`` (see
rnnlib.exercises.learner) keeps the learner's passing functions, falls back visibly to rnnlib's
versions, and carries them from notebook to notebook.
"""

from __future__ import annotations

from collections.abc import Callable

from rnnlib.exercises._core import NOT_YET, Verdict, format_error, labelled, require_function
from rnnlib.exercises.learner import EXERCISES, Exercise, Workbook, learner_file, workbook


def check(name: str, fn: Callable, who: str | None = None) -> None:
    """Run the checker of piece ``name`` on fn and print its verdict, labelled with whose it is.

    Parameters
    ----------
    name : str
        One of the pieces, the keys of EXERCISES.
    fn : callable
        The function to check.
    who : str, optional
        Whose function it is, printed before the verdict: "reference solution" in the
        notebooks' solution cells; by default "your <name>".

    Raises
    ------
    ValueError
        If name is not one of the pieces.
    TypeError
        If fn is not a function.
    """
    if name not in EXERCISES:
        raise ValueError(f"no exercise named {name!r}; the pieces are {', '.join(EXERCISES)}")
    require_function(fn, f'check("{name}", ...)', EXERCISES[name].signature)
    print(labelled(EXERCISES[name].check(fn), who or f"your {name}"))


def _printer(name: str) -> Callable[[Callable], None]:
    """check_<name>(fn): check fn as piece name and print the verdict (for the solution cells)."""
    exercise = EXERCISES[name]

    def check_piece(fn: Callable, who: str | None = None) -> None:
        check(name, fn, who)

    check_piece.__name__ = check_piece.__qualname__ = f"check_{name}"
    check_piece.__doc__ = f"""Check {exercise.signature} (notebook {exercise.notebook:02d}).

    Prints the verdict, labelled with whose it is.

    Parameters
    ----------
    fn : callable
        The function to check.
    who : str, optional
        Whose function it is, printed before the verdict ("reference solution"); by default
        "your {name}".

    Raises
    ------
    TypeError
        If fn is not callable.
    """
    return check_piece


check_make_windows = _printer("make_windows")
check_forward_step = _printer("forward_step")
check_rnn_forward = _printer("rnn_forward")
check_mse_loss = _printer("mse_loss")
check_backward_step = _printer("backward_step")
check_bptt = _printer("bptt")
check_numerical_gradient = _printer("numerical_gradient")
check_clip_gradients = _printer("clip_gradients")
check_train_rnn = _printer("train_rnn")
check_gru_step = _printer("gru_step")


__all__ = [
    "EXERCISES", "NOT_YET", "Exercise", "Verdict", "Workbook", "check", "check_backward_step",
    "check_bptt", "check_clip_gradients", "check_forward_step",
    "check_gru_step",
    "check_make_windows", "check_mse_loss", "check_numerical_gradient", "check_rnn_forward",
    "check_train_rnn", "format_error", "labelled", "learner_file", "workbook",
]
