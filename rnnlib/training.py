"""The training loop, one for every cell: truncated BPTT, clipping, minibatches, divergence.

train(params, ...) trains the cell that params belong to: rnnlib.model.Params (the plain cell,
rnnlib.bptt.PlainCell), rnnlib.gated.GRUParams (rnnlib.gated.GRU) or rnnlib.lstm.LSTMParams
(rnnlib.lstm.LSTM), through the interface of rnnlib.cells. Everything below holds for every
cell. For the plain cell with full-batch SGD, rnnlib.reference is the same computation on one
screen (tests/test_reference.py: equal to 1e-12).

One epoch visits every training record once: the whole set as one batch (batch_size None, full
batch) or in minibatches of batch_size records, in an order shuffled each epoch by the given
Generator. Each batch makes one update by the optimizer (rnnlib.optimizers; SGD:
params <- params - learning_rate * grads), after clipping if a Clipping rule is given.

What the run records, for every cell alike, is History's (its docstring is the one definition).

Divergence: if a loss or gradient becomes NaN or infinite, or a batch loss exceeds
divergence_factor times the first batch's loss, training stops at that epoch. The same holds for
the validation loss (against its first value) and, after the last update, for the training loss
at the returned parameters: a run that explodes in its last epoch is reported too, and training
never returns NaN or infinite parameters without saying so. By default it raises
TrainingDiverged (which carries the history so far); with on_divergence="stop" it returns, and
history.diverged_epoch and history.message say what happened.

The loss is half MSE by default or softmax cross-entropy (loss="cross_entropy"), see
rnnlib.losses: at the last step for targets Y (N, O), at every step for Y (N, T, O) (rnnlib.cells,
which also defines truncation for it); a model with static-feature weights A, a takes static
(N, S) features, from which h_0 = tanh(A s + a) (rnnlib.model), trained with the rest (full BPTT
needed, see rnnlib.bptt).

Training in chunks over long streams (carry_state=True): X (B, L, D) holds B streams side by
side and Y (B, L, O) a target at every step (e.g. the next character). Each epoch walks the
streams from the start in chunks of k = truncation steps, t = 1 .. k, k+1 .. 2k, ...; each chunk,
all B streams together, makes one update, with the gradient of rnnlib.cells' definition (the
state entering the chunk held constant). The state is carried, the cell's whole state (h, and
for the LSTM the pair (h, c)): the last state of a chunk, computed with the parameters before
that chunk's update, enters the next chunk; each epoch starts from the zero state. The
divergence rule and History hold as above, an update being a chunk.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from rnnlib._checks import (
    callable_or_none,
    check_any_targets,
    check_inputs,
    check_static,
    generator,
    positive_float,
    positive_int,
)
from rnnlib._threads import one_blas_thread
from rnnlib.activations import get_activation
from rnnlib.bptt import PlainCell, truncation_steps
from rnnlib.cells import Cell, Workspace, network_gradients, network_loss, sequence_gradients
from rnnlib.clipping import Clipping
from rnnlib.gated import GRU, GRUParams
from rnnlib.losses import check_loss_targets, get_loss
from rnnlib.lstm import LSTM, LSTMParams
from rnnlib.model import Params, time_major
from rnnlib.optimizers import make_optimizer


@dataclass
class History:
    """What a training run records, for every cell: one entry per epoch run, in lists of floats.

    Attributes
    ----------
    train_loss : list of float
        train_loss[e - 1] is the loss on the whole training set at the parameters after epoch
        e's updates (with carry_state: over the whole streams from h_0 = 0, the state carried
        from chunk to chunk, one extra forward pass per epoch). For full batch it is the loss
        of the gradient pass that epoch e + 1 starts from (no extra work); for minibatches one
        extra forward pass per epoch. With ``train(..., train_loss_every_epoch=False)`` that
        extra pass runs after the last epoch only: NaN (not measured) for the epochs before
        (full batch: measured every epoch all the same). For the epoch
        at which training stopped on divergence it is the loss at the parameters returned.
    val_loss : list of float
        val_loss[e - 1]: the validation loss at the same parameters as train_loss[e - 1], so
        that the two compare like with like (empty without validation data; no entry for an
        epoch stopped on divergence before its end).
    initial_train_loss, initial_val_loss : float or None
        The same two losses at the parameters training started from, before any update
        ("epoch 0"; initial_val_loss is None without validation data, initial_train_loss None
        where train_loss is measured after the last epoch only).
    grad_norm : list of float
        grad_norm[e - 1]: the mean global gradient norm before clipping over epoch e's updates.
    clip_fraction : list of float
        clip_fraction[e - 1]: the fraction of epoch e's updates in which clipping acted.
    diverged_epoch : int or None
        The epoch at which training stopped on divergence, None if it did not.
    message : str
        Why it stopped, with advice ("" if it did not).
    """

    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    grad_norm: list[float] = field(default_factory=list)
    clip_fraction: list[float] = field(default_factory=list)
    diverged_epoch: int | None = None
    message: str = ""
    initial_train_loss: float | None = None
    initial_val_loss: float | None = None

    @property
    def epochs(self) -> int:
        return len(self.train_loss)


class TrainingDiverged(RuntimeError):
    """Training stopped because the loss or the gradient exploded or became NaN."""

    def __init__(self, message: str, history: History):
        super().__init__(message)
        self.history = history


@dataclass
class TrainResult:
    """The trained parameters (of the cell's type: Params, GRUParams or LSTMParams) and the
    run's History."""

    params: Params | GRUParams | LSTMParams
    history: History


def cell_for(params, activation: str = "tanh") -> tuple[Cell, Params | GRUParams | LSTMParams]:
    """The cell that ``params`` belong to, and params checked.

    Raises TypeError for anything but Params, GRUParams or LSTMParams or an activation that is
    not a string, ValueError for inconsistent shapes, an unknown activation or one other than
    "tanh" for the GRU or the LSTM (whose activations are fixed).

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        The model.
    activation : str
        "tanh" or "sigmoid" for the plain cell; "tanh" only for the GRU and the LSTM.

    Returns
    -------
    cell : Cell
        PlainCell(activation), GRU or LSTM.
    params : Params, GRUParams or LSTMParams
        params.validate(): float64 arrays of consistent shapes.
    """
    for kind, cell, name in ((GRUParams, GRU, "GRU"), (LSTMParams, LSTM, "LSTM")):
        if isinstance(params, kind):
            get_activation(activation)  # TypeError or ValueError as for the plain cell
            if activation != "tanh":
                raise ValueError(f"activation applies to the plain cell only (the {name}'s "
                                 f"are fixed), got {activation!r}")
            return cell, params.validate()
    if isinstance(params, Params):
        return PlainCell(activation), params.validate()
    raise TypeError(
        "params must be a rnnlib Params (e.g. from rnnlib.init_params), GRUParams (e.g. from "
        f"rnnlib.init_gru) or LSTMParams (e.g. from rnnlib.init_lstm), got {type(params).__name__}"
    )


def train(
    params: Params | GRUParams | LSTMParams,
    X: np.ndarray,
    Y: np.ndarray,
    *,
    learning_rate: float,
    epochs: int,
    X_val: np.ndarray | None = None,
    Y_val: np.ndarray | None = None,
    activation: str = "tanh",
    truncation: int | None = None,
    clipping: Clipping | None = None,
    batch_size: int | None = None,
    rng: np.random.Generator | None = None,
    callback: Callable[[int, History], None] | None = None,
    on_divergence: str = "raise",
    divergence_factor: float = 1e3,
    static: np.ndarray | None = None,
    static_val: np.ndarray | None = None,
    loss: str = "mse",
    optimizer: str = "sgd",
    carry_state: bool = False,
    train_loss_every_epoch: bool = True,
) -> TrainResult:
    """Train a copy of ``params``, of any cell, on windows X with targets Y.

    Parameters
    ----------
    params : Params, GRUParams or LSTMParams
        The starting point (not modified): the plain cell (rnnlib.init_params), the GRU
        (rnnlib.init_gru) or the LSTM (rnnlib.init_lstm).
    X : array (N, T, D)
        Training windows (with carry_state: N streams of T steps each).
    Y : array (N, O) or (N, T, O)
        Targets (one-hot rows for loss="cross_entropy"): (N, O) for the loss at the last step,
        (N, T, O) for a loss at every step (rnnlib.cells).
    learning_rate : float
        Step size > 0 of the optimizer.
    epochs : int
        Number of epochs >= 1.
    X_val, Y_val : arrays (M, T', D) and (M, O) or (M, T', O), optional
        Validation data, given together; Y_val of the same rank as Y.
    activation : str
        The plain cell's activation, "tanh" or "sigmoid" (the GRU's and the LSTM's are fixed:
        "tanh" only).
    truncation : int or None
        BPTT depth k >= 1 as defined in rnnlib.bptt (loss at the last step) or rnnlib.cells
        (loss at every step: chunks of k steps), None for full BPTT; with carry_state the chunk
        length, required.
    clipping : Clipping or None
        Applied to each batch's gradient before the update.
    batch_size : int or None
        Records per update; None for full batch. Minibatches need ``rng``.
    rng : numpy.random.Generator or None
        Shuffles the records each epoch (minibatches only).
    callback : callable or None
        callback(epoch, history), called after each epoch (epochs count from 1).
    on_divergence : str
        "raise" (TrainingDiverged) or "stop" (return, with the reason in the history).
    divergence_factor : float
        A loss above this times its first value counts as divergence (module docstring).
    static, static_val : arrays (N, S) and (M, S), optional
        Static features, required when params has A, a (then h_0 = tanh(A s + a)).
    loss : str
        "mse" or "cross_entropy" (rnnlib.losses).
    optimizer : str
        "sgd" (the default) or "adam" (rnnlib.optimizers).
    carry_state : bool
        False (the default): every batch starts from h_0. True: train in chunks of
        ``truncation`` steps over the N streams of X, one update per chunk, the state carried
        from chunk to chunk (module docstring); needs Y (N, T, O), a truncation, and neither
        batch_size nor static features.
    train_loss_every_epoch : bool
        True (the default): History.train_loss is measured after every epoch. False: after the
        last epoch only (NaN before it), which saves the one extra forward pass over the whole
        training set per epoch that minibatches and carry_state need (a third of a character
        model's training time); the trained parameters are the same, and so is the divergence
        rule (every update's loss, the validation loss, and the loss after the last update).

    Returns
    -------
    TrainResult
        The trained params (of the type passed in) and the History (module docstring).

    Raises
    ------
    TypeError
        For an argument of the wrong kind (params not Params, GRUParams or LSTMParams, a clipping
        that is not a Clipping, a callback that is not callable, an rng that is not a Generator).
    ValueError
        For a wrong value or shape, named with what was expected and what was given.
    TrainingDiverged
        When training diverges and on_divergence is "raise".
    """
    cell, params = cell_for(params, activation)
    params = params.copy()
    loss_function = get_loss(loss)
    X = check_inputs(params, X)
    Y = check_loss_targets(loss, check_any_targets(params, Y, X.shape))
    static = check_static(params, static, X.shape[0])
    N, T, _ = X.shape
    if not isinstance(carry_state, bool | np.bool_):
        raise TypeError(f"carry_state must be True or False, got {carry_state!r}")
    if carry_state:
        _check_carry(Y, truncation, batch_size, static)
    if not isinstance(train_loss_every_epoch, bool | np.bool_):
        raise TypeError(f"train_loss_every_epoch must be True or False, got "
                        f"{train_loss_every_epoch!r}")
    lr = positive_float(learning_rate, "learning_rate")
    epochs = positive_int(epochs, "epochs")
    k = truncation_steps(truncation, T)
    if clipping is not None and not isinstance(clipping, Clipping):
        raise TypeError(
            f"clipping must be a rnnlib Clipping or None, got {type(clipping).__name__} "
            f"{clipping!r}"
        )
    callable_or_none(callback, "callback", "callback(epoch, history)")
    if (X_val is None) != (Y_val is None):
        raise ValueError("X_val and Y_val must be given together (or both left out)")
    if X_val is not None:
        X_val = check_inputs(params, X_val, "X_val")
        Y_val = check_loss_targets(loss, check_any_targets(params, Y_val, X_val.shape, "Y_val"),
                                   "Y_val")
        if Y_val.ndim != Y.ndim:
            expected = "(M, T', O), a loss at every step" if Y.ndim == 3 else "(M, O)"
            raise ValueError(f"Y_val must have the rank of Y: {expected}, got {Y_val.shape}")
        static_val = check_static(params, static_val, X_val.shape[0], "static_val")
    elif static_val is not None:
        raise ValueError("static_val was given without X_val and Y_val")
    if batch_size is None:
        batch = N
    else:
        batch = min(positive_int(batch_size, "batch_size"), N)
        if batch < N:
            rng = generator(rng)
    if not isinstance(on_divergence, str) or on_divergence not in ("raise", "stop"):
        raise ValueError(f"on_divergence must be 'raise' or 'stop', got {on_divergence!r}")
    factor = positive_float(divergence_factor, "divergence_factor")
    update = make_optimizer(optimizer, lr)
    run = _Run(cell, loss_function, k, time_major(X), _targets(Y), static,
               None if X_val is None else time_major(X_val), _targets(Y_val), static_val,
               bool(carry_state), bool(train_loss_every_epoch))
    # one BLAS thread: the matrices are small (rnnlib._threads); overflow on the way to a
    # divergence is reported by the divergence rule, not as numpy warnings
    with one_blas_thread(), np.errstate(over="ignore", invalid="ignore"):
        if run.carry or (batch // 2) * params.hidden_size < PARALLEL_MIN_STATES:
            return _epochs(run, params, epochs, batch, rng, clipping, update, callback,
                           on_divergence, factor, lr)
        with ThreadPoolExecutor(max_workers=2) as run.pool:
            return _epochs(run, params, epochs, batch, rng, clipping, update, callback,
                           on_divergence, factor, lr)


def _check_carry(Y, truncation, batch_size, static) -> None:
    """What carry_state=True needs (ValueError naming what is missing)."""
    if Y.ndim != 3:
        raise ValueError(f"carry_state=True trains on a loss at every step: Y must have shape "
                         f"(N, T, O), got {Y.shape}")
    if truncation is None:
        raise ValueError("carry_state=True needs truncation=k, the chunk length in steps, "
                         "got None")
    if batch_size is not None:
        raise ValueError(f"batch_size must be None with carry_state=True (each chunk of all N "
                         f"streams is one update, in order), got {batch_size!r}")
    if static is not None:
        raise ValueError("static features cannot be trained with carry_state=True: the state "
                         "entering every chunk is held constant, so A and a get no gradient")


def _targets(Y: np.ndarray | None) -> np.ndarray | None:
    """Targets as the network functions take them: (N, O), or time-major (T, N, O)."""
    return Y if Y is None or Y.ndim == 2 else time_major(Y)


# A batch is split into two halves of records, run in two threads, when each half holds at least
# this many state values per step (records x hidden units): then numpy's matrix products and
# ufuncs, which release the GIL, outweigh the Python overhead, and the halves use two cores
# (benchmarks/bench_epoch.py, bench_gated.py at the tutorial's size). No notebook's model is
# that large; the results agree with one pass to rounding.
PARALLEL_MIN_STATES = 2500


@dataclass
class _Run:
    """A training run's checked data and the functions of its cell, with reused buffers."""

    cell: Cell
    loss: Callable
    k: int
    Xt: np.ndarray
    Y: np.ndarray
    static: np.ndarray | None
    Xt_val: np.ndarray | None
    Y_val: np.ndarray | None
    static_val: np.ndarray | None
    carry: bool = False
    every_epoch: bool = True  # measure the training loss after every epoch, or the last only
    pool: ThreadPoolExecutor | None = None
    works: tuple[Workspace, Workspace] = field(default_factory=lambda: (Workspace(), Workspace()))

    def _part(self, params, Xt, Y, static, work) -> tuple[float, object]:
        with np.errstate(over="ignore", invalid="ignore"):  # errstate is per thread
            loss, grads, _ = network_gradients(self.cell, params, Xt, Y, self.loss, self.k,
                                               static, work)
        return loss, grads

    def gradients(self, params, rows=None) -> tuple[float, object]:
        """(loss, grads) of the batch of records ``rows`` (None: all of them)."""
        Xt, Y, static = self.Xt, self.Y, self.static
        if rows is not None:
            Xt, Y = Xt[:, rows], (Y[rows] if Y.ndim == 2 else Y[:, rows])
            static = None if static is None else static[rows]
        N = Xt.shape[1]
        half = N // 2
        if self.pool is None or half * params.hidden_size < PARALLEL_MIN_STATES:
            return self._part(params, Xt, Y, static, self.works[0])
        # both losses are means over records: the batch's loss and gradient are the halves'
        # weighted by their shares of the records
        parts = [(slice(0, half), half / N), (slice(half, N), (N - half) / N)]

        def run(i: int) -> tuple[float, object]:
            rows = parts[i][0]
            return self._part(params, Xt[:, rows], Y[rows] if Y.ndim == 2 else Y[:, rows],
                              None if static is None else static[rows], self.works[i])

        (loss0, grads0), (loss1, grads1) = self.pool.map(run, (0, 1))
        w0, w1 = parts[0][1], parts[1][1]
        return w0 * loss0 + w1 * loss1, type(grads0)(*(
            w0 * a + w1 * b for (_, a), (_, b) in zip(grads0.items(), grads1.items(), strict=True)))

    def chunks(self, params):
        """(loss, grads) of each chunk of the streams in order, the state carried; each is
        computed when asked, at params as the previous chunk's update left them."""
        state = None
        for start in range(0, self.Xt.shape[0], self.k):
            stop = start + self.k
            with np.errstate(over="ignore", invalid="ignore"):
                loss, grads, state = sequence_gradients(self.cell, params, self.Xt[start:stop],
                                                        self.Y[start:stop], self.loss, self.k,
                                                        state, self.works[0])
            yield loss, grads

    def train_loss(self, params) -> float:
        return network_loss(self.cell, params, self.Xt, self.Y, self.loss, self.static,
                            self.works[0], self.k if self.carry else None)

    def val_loss(self, params) -> float:
        return network_loss(self.cell, params, self.Xt_val, self.Y_val, self.loss,
                            self.static_val, self.works[0], self.k if self.carry else None)


def _epochs(run: _Run, params, epochs, batch, rng, clipping, update, callback, on_divergence,
            factor, lr) -> TrainResult:
    """The loop of ``train``, on checked arguments."""
    N = run.Xt.shape[1]
    full = batch == N and not run.carry  # one update per epoch
    history = History()
    # full batch: the gradient pass at the current parameters, computed once and used twice, as
    # the training loss of the epoch that ended here and as the next epoch's update
    pending = run.gradients(params) if full else None
    if pending is not None:
        history.initial_train_loss = float(pending[0])
    elif run.every_epoch:
        history.initial_train_loss = run.train_loss(params)
    if run.Xt_val is not None:
        history.initial_val_loss = run.val_loss(params)
    first_loss = None
    for epoch in range(1, epochs + 1):
        losses, norms, clipped = [], [], 0
        for loss, grads in _updates(run, params, batch, rng, pending):
            pending = None
            norm = grads.norm()
            if first_loss is None:
                first_loss = loss
            losses.append(loss)
            norms.append(norm)
            reason = _divergence(loss, norm, first_loss, factor)
            if reason:
                history.train_loss.append(float(loss) if full else run.train_loss(params))
                history.grad_norm.append(float(np.mean(norms)))
                history.clip_fraction.append(clipped / len(losses))
                return _stop(params, history, epoch, reason, lr, clipping, on_divergence)
            if clipping is not None:
                grads, _, acted = clipping.apply(grads)
                clipped += acted
            update.step(params, grads)
        if full:
            pending = run.gradients(params)
            history.train_loss.append(float(pending[0]))
        elif run.every_epoch or epoch == epochs:
            history.train_loss.append(run.train_loss(params))
        else:
            history.train_loss.append(float("nan"))  # not measured
        history.grad_norm.append(float(np.mean(norms)))
        history.clip_fraction.append(clipped / len(losses))
        if run.Xt_val is not None:
            val_loss = run.val_loss(params)
            history.val_loss.append(val_loss)
            if not np.isfinite(val_loss):
                reason = f"the validation loss became {val_loss}"
                return _stop(params, history, epoch, reason, lr, clipping, on_divergence)
            if history.val_loss[0] > 0 and val_loss > factor * history.val_loss[0]:
                reason = (f"the validation loss grew to {val_loss:.3g}, over {factor:g} times "
                          f"its first value {history.val_loss[0]:.3g}")
                return _stop(params, history, epoch, reason, lr, clipping, on_divergence)
        if callback is not None:
            callback(epoch, history)
    # the checks above run before each update: check the parameters the last update produced
    # (the history's last training loss is measured at them)
    final_loss = history.train_loss[-1]
    bad = [name for name, array in params.items() if not np.all(np.isfinite(array))]
    reason = _divergence(final_loss, 0.0, first_loss, factor)
    if bad or reason:
        reason = (f"after the last update, the parameters {', '.join(bad)} hold NaN or infinite "
                  f"values" if bad else f"after the last update {reason}")
        return _stop(params, history, epochs, reason, lr, clipping, on_divergence)
    return TrainResult(params, history)


def _updates(run: _Run, params, batch, rng, pending):
    """The (loss, grads) of one epoch's updates, each computed when asked (after the previous
    update): the pending full-batch pass, the chunks in order (carry_state), or minibatches in
    an order shuffled by rng."""
    if pending is not None:
        yield pending
    elif run.carry:
        yield from run.chunks(params)
    else:
        N = run.Xt.shape[1]
        order = rng.permutation(N)
        for start in range(0, N, batch):
            yield run.gradients(params, order[start : start + batch])


def _divergence(loss: float, norm: float, first_loss: float, factor: float) -> str:
    """Why this update counts as divergence, or "" if it does not."""
    if not np.isfinite(loss):
        return f"the training loss became {loss}"
    if not np.isfinite(norm):
        return f"the gradient norm became {norm}"
    if first_loss > 0 and loss > factor * first_loss:
        return (
            f"the training loss grew to {loss:.3g}, "
            f"over {factor:g} times its first value {first_loss:.3g}"
        )
    return ""


def _stop(params, history, epoch, reason, lr, clipping, on_divergence) -> TrainResult:
    advice = f"try a smaller learning_rate (now {lr:g})"
    if clipping is None:
        advice += " or gradient clipping (e.g. clipping=Clipping('norm', 1.0))"
    history.diverged_epoch = epoch
    history.message = f"Training diverged at epoch {epoch}: {reason}; {advice}."
    if on_divergence == "raise":
        raise TrainingDiverged(history.message, history)
    return TrainResult(params, history)
