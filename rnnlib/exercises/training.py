"""Notebook 05's exercise: an SGD training loop with truncated BPTT and global-norm clipping.

train_rnn(params, X, Y, learning_rate, epochs, threshold, k) -> trained
    params: a list [U, W, V, b, c]; X (N, T, D), Y (N, O). Each of the epochs is one full-batch
    update: forward pass, loss and gradient, BPTT with truncation depth k, clipping of all five
    gradients together by global norm at threshold, then p <- p - learning_rate * g for each
    parameter. Returns a new list of the five trained arrays; the inputs are not modified.
    Checked against rnnlib.train(..., truncation=k, clipping=Clipping("norm", threshold)), with
    D = 2 (so that a gradient given to the wrong parameter fails on its shape) and with the
    course's D = 1, O = 1, for a batch and for one record; then on N = 12 records (more than a
    mini-batch of 8 or 10) at learning_rate = 2, where the loss goes up in epoch 2 and down
    again in epoch 3, not as low as after epoch 1 (so that a loop that stops when the loss
    rises, or returns the parameters of the lowest loss, gives another result); then with
    O = 2 outputs (targets made one column, Y.reshape(-1, 1), agree only when O = 1).
    Last, the function is given other X and Y of the first case's shapes: a function that kept
    the data of its first call returns the parameters trained on that data.
    On a wrong result the checker runs the function once more and records what it hands to
    my.rnn_forward (X), my.bptt (k) and my.clip_gradients (threshold): a k or threshold that
    the function's body rebinds (`for k, g in enumerate(grads)`) and an X changed before
    training (standardised, scaled, reordered) are named when the source shows the rebinding
    or the values show the other X, and rnnlib's training with those values gives the
    learner's parameters.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from rnnlib.bptt import backward, loss_and_gradients
from rnnlib.clipping import Clipping, clip_by_norm
from rnnlib.exercises._core import (
    MATCH,
    WHERE,
    Case,
    Failure,
    NotYet,
    Verdict,
    agrees,
    as_array,
    call,
    checker,
    constant_factor,
    describe_value,
    diagnose,
    expect_none_or,
    learner_source,
    listing,
    localize,
    matches,
    observed_only,
    over_cases,
    own_nodes,
    pass_text,
    passes,
    run_checks,
    shape_text,
    with_location,
    without_comment,
)
from rnnlib.gradcheck import relative_error
from rnnlib.model import Params, forward, mse_loss
from rnnlib.training import train

N, T, D, H, O = 4, 5, 1, 3, 1
SEED = 2027
LEARNING_RATE, EPOCHS, K = 0.5, 3, 2
NAMES = ("U", "W", "V", "b", "c")
SYMBOLS = ("(H, D)", "(H, H)", "(O, H)", "(H,)", "(O,)")


@dataclass(frozen=True, eq=False)
class TrainingCase(Case):
    """A Case with the learning rate the checker trains at (its label names one that is not
    the usual LEARNING_RATE)."""

    learning_rate: float = LEARNING_RATE

    @property
    def label(self) -> str:
        rate = f", learning_rate = {self.learning_rate:g}" if self.learning_rate != \
            LEARNING_RATE else ""
        return super().label + rate


CASES = (
    TrainingCase({"N": 6, "T": T, "D": 2, "H": 4, "O": O}, False, SEED + 100),
    TrainingCase({"N": N, "T": T, "D": D, "H": H, "O": O}, True, SEED),
    TrainingCase({"N": 1, "T": T, "D": D, "H": H, "O": O}, True, SEED + 200),
    # more records than a mini-batch of 8 or 10; at this learning rate full-batch descent's loss
    # goes up in epoch 2 and down in epoch 3, but not below its value after epoch 1 (see
    # tests): a stop when it rises, or a return of the best parameters, shows
    TrainingCase({"N": 12, "T": T, "D": D, "H": H, "O": O}, False, SEED + 354,
                 learning_rate=2.0),
    # two outputs: Y (N, O) made one column, Y.reshape(-1, 1), is the same only when O = 1
    TrainingCase({"N": 3, "T": T, "D": 2, "H": 3, "O": 2}, False, SEED + 400),
)
UPDATE_HINT = ("update each parameter with its own gradient: BPTT returns them in the order "
               "dU, dW, dV, db, dc")


def inputs(case: Case = CASES[1]) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, float]:
    """(params [U, W, V, b, c], X (N, T, D), Y (N, O), threshold); default N=4, T=5, D=1, H=3.

    The threshold is half the first gradient's norm, so clipping acts in the first update.
    """
    n, t, d, h, o = (case[s] for s in ("N", "T", "D", "H", "O"))
    rng = np.random.default_rng(case.seed)
    params = [rng.normal(0.0, 0.7, (h, d)), rng.normal(0.0, 0.7, (h, h)),
              rng.normal(0.0, 0.7, (o, h)), rng.normal(0.0, 0.3, h), rng.normal(0.0, 0.3, o)]
    X = rng.normal(0.0, 1.0, (n, t, d))
    Y = rng.normal(0.0, 1.0, (n, o))
    _, grads = loss_and_gradients(Params(*params), X, Y, truncation=K)
    return params, X, Y, round(grads.norm() / 2.0, 2)


def reference(params, X, Y, learning_rate, epochs, threshold, k) -> list[np.ndarray]:
    """rnnlib's version: rnnlib.train, full batch, truncation k, norm clipping at threshold."""
    result = train(Params(*params), X, Y, learning_rate=learning_rate, epochs=epochs,
                   truncation=k, clipping=Clipping("norm", threshold))
    return [a for _, a in result.params.items()]


def loop(params, X, Y, learning_rate, epochs, threshold, k, sign=1.0, clip="norm",
         stale=False, stale_forward=False, momentum=0.0, decay=1.0, replace=False,
         clip_epochs=None, signs=None, last_inputs=False, from_initial=False, normalize=False,
         schedule=None, error=None, pre_scale=1.0, readout=None, by_sign=False,
         accumulate=False):
    """The same loop written plainly, with rnnlib's pieces; the switches make wrong variants.

    clip: "norm" (global), "none", "own" (each array by its own norm) or "value" (np.clip);
    stale: the gradients are computed once, at the initial parameters, and reused;
    stale_forward: the forward pass (Y_hat and the states) is run once, at the initial
    parameters, and BPTT runs on it with the current W and V in every epoch; momentum: the
    update steps along v = momentum * v + g; decay: the learning rate is multiplied by it
    after every epoch; replace: p <- -learning_rate * g; clip_epochs: clip only in the first
    that many epochs; signs: a sign per parameter (-1: that one goes uphill); last_inputs: the
    forward pass sees only X[:, -k:]; error: what BPTT is given instead of dY_hat ("sum": Y_hat
    - Y, not divided by N; "prediction": Y_hat itself); pre_scale: the gradients are
    multiplied by it before clipping (learning_rate * dY_hat handed to BPTT); readout: the
    prediction given to the loss is not the forward pass's Y_hat but one recomputed from the
    states, "without c" (states[-1] @ V.T) or "from h_(T-1)" (states[-2] @ V.T + c), with
    BPTT run from that loss's gradient on the forward pass's states (c still updated);
    by_sign: the step is learning_rate * np.sign(g) (sign SGD); accumulate: each epoch's
    gradients are added to a running sum set to zero once, before the loop, and the sum is
    clipped and stepped along.
    """
    velocity = None
    initial = Params(*(np.array(a, dtype=np.float64) for a in params))
    p = Params(*(np.array(a, dtype=np.float64) for a in params))
    first = total = None
    cache0 = forward(p, X, "tanh") if stale_forward else None
    for epoch in range(epochs):
        if stale_forward:
            _, dY_hat = mse_loss(cache0[0], Y)
            grads, _ = backward(dY_hat, p, cache0[1], truncation=k)
            first = grads
        elif readout is not None:
            _, cache = forward(p, X, "tanh")
            state = cache.states[-1] if readout == "without c" else cache.states[-2]
            shift = 0.0 if readout == "without c" else p.c
            _, dY_hat = mse_loss(state @ p.V.T + shift, Y)
            grads, _ = backward(dY_hat, p, cache, truncation=k)
            first = grads
        elif error is not None:
            Y_hat, cache = forward(p, X, "tanh")
            grads, _ = backward(Y_hat - Y if error == "sum" else Y_hat, p, cache, truncation=k)
            first = grads
        elif first is None or not stale:
            Xe = X[:, -k:] if last_inputs == "last" or last_inputs is True else (
                X[:, :k] if last_inputs == "first" else X)
            _, grads = loss_and_gradients(p, Xe, Y, truncation=k)
            first = grads
        grads = first
        if accumulate:
            total = grads if total is None else Params(*(a + g for (_, a), (_, g) in zip(
                total.items(), grads.items(), strict=True)))
            grads = total
        if pre_scale != 1.0:
            grads = Params(*(pre_scale * g for _, g in grads.items()))
        if clip_epochs is not None:
            clip = "norm" if clip_epochs > 0 else "none"
            clip_epochs -= 1
        if clip == "norm":
            grads, _, _ = clip_by_norm(grads, threshold)
        elif clip == "own":
            grads = Params(*(g * min(1.0, threshold / max(np.linalg.norm(g), 1e-300))
                             for _, g in grads.items()))
        elif clip == "first3":
            head, _, _ = clip_by_norm(Params(*[g for _, g in grads.items()][:3], np.zeros(1),
                                             np.zeros(1)), threshold)
            grads = Params(*[g for _, g in head.items()][:3], *[g for _, g in grads.items()][3:])
        elif clip == "value":
            grads = Params(*(np.clip(g, -threshold, threshold) for _, g in grads.items()))
        steps = [g for _, g in grads.items()]
        if normalize:
            steps = [g / max(float(np.linalg.norm(g)), 1e-300) for g in steps]
        if by_sign:
            steps = [np.sign(g) for g in steps]
        if momentum:
            velocity = steps if velocity is None else [
                momentum * v + g for v, g in zip(velocity, steps, strict=True)]
            steps = velocity
        each = signs or [sign] * len(steps)
        base = initial if from_initial else p
        p = Params(*(-learning_rate * g if replace else a - s * learning_rate * g
                     for (_, a), g, s in zip(base.items(), steps, each, strict=True)))
        learning_rate *= decay
        if schedule is not None:
            learning_rate = schedule(epoch + 1)
    return [a for _, a in p.items()]


def _adam(params, X, Y, learning_rate, threshold, inside=False) -> list[np.ndarray]:
    """Adam (the usual betas 0.9, 0.999 and eps 1e-8, with the bias corrections, as
    rnnlib.optimizers.Adam) in place of the plain update, on gradients clipped at threshold
    (None: not clipped); inside: eps under the square root, sqrt(v_hat + eps)."""
    p = Params(*(np.array(a, dtype=np.float64) for a in params))
    m = v = None
    for t in range(1, EPOCHS + 1):
        _, grads = loss_and_gradients(p, X, Y, truncation=K)
        if threshold is not None:
            grads, _, _ = clip_by_norm(grads, threshold)
        g = [a for _, a in grads.items()]
        m = [0.1 * x for x in g] if m is None else [0.9 * a + 0.1 * x for a, x in zip(m, g,
                                                                                 strict=True)]
        v = [0.001 * x**2 for x in g] if v is None else [
            0.999 * a + 0.001 * x**2 for a, x in zip(v, g, strict=True)]
        steps = []
        for a, b in zip(m, v, strict=True):
            m_hat, v_hat = a / (1 - 0.9**t), b / (1 - 0.999**t)
            steps.append(m_hat / (np.sqrt(v_hat + 1e-8) if inside else np.sqrt(v_hat) + 1e-8))
        p = Params(*(a - learning_rate * s for (_, a), s in zip(p.items(), steps, strict=True)))
    return [a for _, a in p.items()]


def _per_batch(params, X, Y, learning_rate, epochs, threshold, k, size, clip=True):
    """One update per mini-batch of size records (X[s:s + size], the last one shorter) in each
    epoch, its own gradient clipped (or not), instead of one full-batch update per epoch."""
    p = Params(*(np.array(a, dtype=np.float64) for a in params))
    for _ in range(epochs):
        for s in range(0, X.shape[0], size):
            _, grads = loss_and_gradients(p, X[s:s + size], Y[s:s + size], truncation=k)
            if clip:
                grads, _, _ = clip_by_norm(grads, threshold)
            p = Params(*(a - learning_rate * g
                         for (_, a), (_, g) in zip(p.items(), grads.items(), strict=True)))
    return [a for _, a in p.items()]


def _mini_batches(params, X, Y, learning_rate, threshold) -> list[tuple[str, list[np.ndarray]]]:
    """The loops that update once per record or per mini-batch (of every size smaller than N),
    each with the text that names it."""
    found = []
    for size in range(1, X.shape[0]):
        what = "record" if size == 1 else f"mini-batch of {size} records"
        text = (f"it makes one update per {what} (a loop over the records inside each epoch): "
                "each epoch is one full-batch update, with the gradient of the whole batch, "
                "grads = my.bptt(...) of my.mse_loss(my.rnn_forward(X, ...), Y)")
        for clip in (True, False):
            found.append((text, _per_batch(params, X, Y, learning_rate, EPOCHS, threshold, K,
                                           size, clip)))
    return found


def _losses(params, X, Y, learning_rate, threshold) -> list[float]:
    """The loss before the first update and after each of the EPOCHS updates of rnnlib.train."""
    losses = []
    p = Params(*params)
    for _ in range(EPOCHS + 1):
        loss, grads = loss_and_gradients(p, X, Y, truncation=K)
        losses.append(float(loss))
        grads, _, _ = clip_by_norm(grads, threshold)
        p = Params(*(a - learning_rate * g
                     for (_, a), (_, g) in zip(p.items(), grads.items(), strict=True)))
    return losses


def _stops_early(params, X, Y, learning_rate, threshold) -> list[tuple[str, list[np.ndarray]]]:
    """rnnlib.train's parameters after e < EPOCHS epochs, for each e next to an epoch in which
    the loss goes up (a loop that breaks there, keeping or undoing the update that raised the
    loss), each with the text that names the slip and the epoch seen on the values."""
    losses = _losses(params, X, Y, learning_rate, threshold)
    rises = [e for e in range(1, EPOCHS + 1) if losses[e] > losses[e - 1] * (1 + 1e-6)]
    found = []
    for e in range(1, EPOCHS):
        rise = next((r for r in rises if r in (e, e + 1)), None)
        if rise is None:
            continue
        found.append((
            f"it stops when the loss rises: the exercise runs every epoch (all {EPOCHS} here), "
            f"whatever the loss does. On these inputs the loss goes up in epoch {rise}, and "
            f"your parameters are rnnlib.train's after {e} of the {EPOCHS} epochs: take out "
            "the test of the loss and its break (no early stopping, no going back to the best "
            "parameters)",
            reference(params, X, Y, learning_rate, e, threshold, K)))
    return found


def _subsets(params, X, Y, learning_rate, threshold) -> list[tuple[str, list[np.ndarray]]]:
    """rnnlib.train on a fixed part of the records only: the first n or the last n of the N
    (n < N: some held out for validation, or an index off by one), or every other record
    (X[::2], X[1::2]), each with its text."""
    count = X.shape[0]
    found = []
    for n in range(count - 1, 0, -1):
        out = count - n
        first = "X[:-1], Y[:-1]" if out == 1 else f"X[:{n}], Y[:{n}]"
        records = "record" if out == 1 else f"{out} records"
        for index, what in ((slice(None, n), f"{first}: the last {records} held out"),
                            (slice(out, None), f"X[{out}:], Y[{out}:]: the first {records} "
                                               "left out")):
            found.append((
                f"it trains on {n} of the N = {count} records ({what}, for validation?): "
                "train on every record given, X and Y as they are",
                reference(params, X[index], Y[index], learning_rate, EPOCHS, threshold, K)))
    for start in (0, 1) if count > 2 else ():
        index = slice(start, None, 2)
        found.append((
            f"it trains on every other record only, X[{start}::2], Y[{start}::2] ("
            f"{len(range(count)[index])} of the N = {count} records, the others held out, for "
            "validation?): train on every record given, X and Y as they are",
            reference(params, X[index], Y[index], learning_rate, EPOCHS, threshold, K)))
    return found


def _variants(params, X, Y, learning_rate, threshold, first_only, stops=()):
    """The usual wrong versions of training on these inputs, each with the text that names it.
    stops: those of a loop that stops when the loss rises; where one gives the same parameters
    as one epoch too few, only it is named (the earlier cases, where the loss falls, show that
    the loop runs every epoch there)."""
    args = (params, X, Y, learning_rate)
    fewer = loop(*args, EPOCHS - 1, threshold, K)
    too_few = [] if any(relative_error(np.concatenate([np.ravel(a) for a in v]),
                                       np.concatenate([np.ravel(a) for a in fewer])) < MATCH
                        for _, v in stops) else [
        (f"one epoch too few: run exactly epochs = {EPOCHS} updates", fewer)]
    return [
        *stops,
        *_mini_batches(params, X, Y, learning_rate, threshold),
        *_subsets(params, X, Y, learning_rate, threshold),
        ("the steps are taken by the sign of the gradient, learning_rate * np.sign(g) (sign "
         "SGD): the exercise steps by learning_rate * g, the clipped gradient itself",
         loop(*args, EPOCHS, threshold, K, by_sign=True)),
        ("clipping is missing, or never acts (at a threshold larger than the one given): clip "
         "all five gradients together by their global norm, at threshold, before each update",
         loop(*args, EPOCHS, threshold, K, clip="none")),
        ("each gradient was clipped by its own norm: clip all five together, by their "
         "global norm (my.clip_gradients does)", loop(*args, EPOCHS, threshold, K, clip="own")),
        ("the gradients were clipped by value (np.clip): clip them by their global norm",
         loop(*args, EPOCHS, threshold, K, clip="value")),
        ("the gradients are computed once, before the loop, and reused: compute them again "
         "in every epoch, at the current parameters", loop(*args, EPOCHS, threshold, K,
                                                           stale=True)),
        ("the gradients add up over the epochs: each update steps along the sum of every "
         "epoch's gradients so far (running sums set to zero once, before the epoch loop): "
         "each epoch's update uses that epoch's gradients only, my.bptt's result as it is",
         loop(*args, EPOCHS, threshold, K, accumulate=True)),
        ("learning_rate and threshold are swapped: the update is p - learning_rate * g, with "
         "g clipped at threshold", loop(params, X, Y, threshold, EPOCHS, learning_rate, K)),
        ("the forward pass is run once, before the loop: run my.rnn_forward in every epoch, "
         "at the current parameters, before the loss and BPTT",
         loop(*args, EPOCHS, threshold, K, stale_forward=True)),
        ("the parameters were rounded to float32 (.astype(np.float32)) before training: keep "
         "them float64", loop([np.asarray(p, dtype=np.float32).astype(np.float64)
                               for p in params], X, Y, learning_rate, EPOCHS, threshold, K)),
        ("the gradients are clipped at the learning rate: clip them at the threshold, "
         "my.clip_gradients(grads, threshold)", loop(params, X, Y, learning_rate, EPOCHS,
                                                      learning_rate, K)),
        *[(f"this is gradient descent with momentum ({mu}): the update is plain p - "
           "learning_rate * g, with no velocity", loop(*args, EPOCHS, threshold, K,
                                                       momentum=mu)) for mu in (0.9, 0.5, 0.99)],
        *[(f"the learning rate changes from epoch to epoch (times {rate}): keep it fixed, "
           "p - learning_rate * g", loop(*args, EPOCHS, threshold, K, decay=rate))
          for rate in (0.9, 0.5, 0.99)],
        ("each gradient is divided by its norm before the step: the update is p - "
         "learning_rate * g, with g as my.clip_gradients returns it", loop(
             *args, EPOCHS, threshold, K, normalize=True)),
        ("the learning rate changes from epoch to epoch (learning_rate / (epoch + 1)): keep it "
         "fixed, p - learning_rate * g", loop(*args, EPOCHS, threshold, K,
                                               schedule=lambda e: learning_rate / (e + 1))),
        ("the parameters are replaced by -learning_rate * g: the update subtracts from them, "
         "p - learning_rate * g", loop(*args, EPOCHS, threshold, K, replace=True)),
        ("the gradients are clipped in the first epoch only: clip them in every epoch",
         loop(*args, EPOCHS, threshold, K, clip_epochs=1)),
        ("BPTT runs with k + 1 steps: pass k itself", loop(*args, EPOCHS, threshold, K + 1)),
        ("BPTT runs with k - 1 steps: pass k itself", loop(*args, EPOCHS, threshold, K - 1)),
        *[(f"{name} goes uphill: {name} - learning_rate * d{name} (minus)",
           loop(*args, EPOCHS, threshold, K, signs=[-1.0 if j == i else 1.0 for j in range(5)]))
          for i, name in enumerate(NAMES)],
        ("the forward pass sees only the last k inputs (X[:, -k:]): give my.rnn_forward the "
         "whole X; the truncation is my.bptt's job, with k", loop(*args, EPOCHS, threshold, K,
                                                                 last_inputs=True)),
        ("every update starts from the initial parameters (zip(params, grads)): each epoch "
         "updates the current arrays, U = U - learning_rate * dU", loop(
             *args, EPOCHS, threshold, K, from_initial=True)),
        ("only U, W and V are clipped (grads[:3]): clip all five gradients together",
         loop(*args, EPOCHS, threshold, K, clip="first3")),
        ("the forward pass sees only the first k inputs (X[:, :k]): give my.rnn_forward the "
         "whole X; the truncation is my.bptt's job, with k", loop(*args, EPOCHS, threshold, K,
                                                                 last_inputs="first")),
        ("the truncation depth k is not passed on: BPTT must use k",
         loop(*args, EPOCHS, threshold, X.shape[1])),
        *too_few,
        (f"one epoch too many: run exactly epochs = {EPOCHS} updates",
         loop(*args, EPOCHS + 1, threshold, K)),
        ("the error given to BPTT is Y_hat - Y, not divided by N: BPTT starts from the loss's "
         "gradient, dY_hat = (Y_hat - Y) / N, as my.mse_loss returns it (clipping hides the "
         "factor N in the first updates)", loop(*args, EPOCHS, threshold, K, error="sum")),
        ("the prediction given to my.mse_loss leaves out c (Y_hat = states[-1] @ V.T, "
         "without + c): c is updated but never reaches the prediction. Use the Y_hat that "
         "my.rnn_forward returns, V h_T + c", loop(*args, EPOCHS, threshold, K,
                                                   readout="without c")),
        ("the prediction given to my.mse_loss is made from states[-2], h_(T-1), the state "
         "before the last (states holds h_0 .. h_T, T + 1 of them, so states[T - 1] is not "
         "the last): use the Y_hat that my.rnn_forward returns, V h_T + c, from states[-1]",
         loop(*args, EPOCHS, threshold, K, readout="from h_(T-1)")),
        ("BPTT is given the prediction Y_hat where the loss's gradient belongs: pass dY_hat, "
         "the second result of my.mse_loss(Y_hat, Y)", loop(*args, EPOCHS, threshold, K,
                                                            error="prediction")),
        ("the learning rate is applied twice: the gradients are multiplied by learning_rate "
         "before clipping (learning_rate * dY_hat given to BPTT, or learning_rate * g "
         "clipped), and the update multiplies by it again: BPTT gets dY_hat as my.mse_loss "
         "returns it, and only the update has the learning rate, p - learning_rate * g",
         loop(*args, EPOCHS, threshold, K, pre_scale=learning_rate)),
        ("the learning rate is applied twice (the step is learning_rate**2 * g): multiply the "
         "clipped gradient by learning_rate once, p - learning_rate * g",
         loop(*args[:3], learning_rate**2, EPOCHS, threshold, K)),
        *[(f"these are Adam's steps (moment estimates m and v, {what}): the exercise is plain "
           "gradient descent, p - learning_rate * g with the clipped gradient g, no moments",
           _adam(params, X, Y, learning_rate, threshold if clipped else None, inside))
          for clipped, what in ((True, "with the clipped gradients"),
                                (False, "without clipping")) for inside in (False, True)],
        ("the learning rate is divided by N: the 1/N is already in dY_hat, so the update is "
         "p - learning_rate * g", loop(*args[:3], learning_rate / X.shape[0], EPOCHS, threshold,
                                        K)),
        ("the update goes uphill: p <- p - learning_rate * g (minus)",
         loop(*args, EPOCHS, threshold, K, sign=-1.0)),
        ("the parameters did not change: assign the updated arrays back before the next epoch",
         params),
        (first_only, loop(*args, 1, threshold, K)),
    ]


_LOOPS = (ast.For, ast.While, ast.AsyncFor)


def _only_first_update(fn: Callable) -> str:
    """The message for trained parameters that are those of one epoch: a return inside the
    epoch loop, or every epoch starting again from params; the one the learner's source
    confirms is named, with its line, else both."""
    seen = "only the first update took effect"
    source = learner_source(fn)
    loops = [n for n in own_nodes(source.tree.body) if isinstance(n, _LOOPS)] if source else []
    for loop in loops:
        direct = next((s for s in loop.body if isinstance(s, ast.Return)), None)
        if direct is not None:
            return (f"{seen}: your line `{source.line(direct)}` is inside the loop "
                    f"`{source.line(loop)}`, so the function returns after its first epoch: "
                    "put the return after the loop, at the indentation of its first line")
    params = source.params()[0] if source and source.params() else None
    stored = params is not None and any(
        isinstance(n, ast.Name) and n.id == params and not isinstance(n.ctx, ast.Load)
        for n in own_nodes(source.tree.body))
    for loop in loops if params and not stored else ():
        sizes = {id(a) for n in own_nodes(loop.body) if isinstance(n, ast.Call) and
                 isinstance(n.func, ast.Name) and n.func.id == "len" for a in n.args}
        read = next((n for n in own_nodes(loop.body) if isinstance(n, ast.Name) and
                     n.id == params and id(n) not in sizes), None)
        if read is not None:
            return (f"{seen}: your line `{source.line(read)}` inside the loop "
                    f"`{source.line(loop)}` reads {params}, the initial parameters, in every "
                    "epoch, so each epoch starts again from them: each epoch must start from "
                    f"the parameters the previous one produced (read {params} once, before the "
                    "loop)")
    inner = next((n for loop in loops for n in own_nodes(loop.body)
                  if isinstance(n, ast.Return)), None)
    where = (f" (your line `{source.line(inner)}` is inside a loop, under a condition)"
             if inner is not None else "")
    return (f"{seen}: either a return inside the epoch loop ends the function after the first "
            f"epoch{where}, or every epoch starts again from the initial parameters: each epoch "
            "must start from the parameters the previous one produced, and the function returns "
            "after the loop")


def _in_another_order(result, expected) -> None:
    """A Failure if the five arrays are all right but returned in another order."""
    def same(a, b):
        return np.shape(a) == np.shape(b) and np.allclose(np.asarray(a, dtype=np.float64), b,
                                                          rtol=1e-9, atol=0.0)

    if all(same(r, e) for r, e in zip(result, expected, strict=True)):
        return
    where = [next((NAMES[j] for j, e in enumerate(expected) if same(r, e)), None) for r in result]
    if None not in where and sorted(where) == sorted(NAMES):
        raise Failure(f"FAIL: your function returns the trained arrays in another order "
                      f"([{', '.join(where)}]): return [U, W, V, b, c]")


def _probes(fn, params, X, Y, rate, threshold):
    def probe(learning_rate=rate, epochs=EPOCHS, threshold=threshold, k=K, Y=Y):
        args = {"params": params, "X": X, "Y": Y, "learning_rate": learning_rate,
                "epochs": epochs, "threshold": threshold, "k": k}
        want = reference(params, X, Y, learning_rate, epochs, threshold, k) if learning_rate \
            else params
        return lambda: agrees(fn, args, want, len(NAMES))

    same = np.repeat(Y[:1], Y.shape[0], axis=0)  # every record's target that of the first
    return [(SAME_TARGET, probe(Y=same)),
            ("with epochs = 1", probe(epochs=1)),
            ("with learning_rate = 0 (nothing may change)", probe(learning_rate=0.0)),
            ("with a threshold that never clips", probe(threshold=1e6)),
            (f"with k = T = {X.shape[1]}", probe(k=X.shape[1]))]


SAME_TARGET = "with the same target for every record"


def _conclusion(right: set[str], wrong: set[str]) -> str | None:
    if SAME_TARGET in right and "with epochs = 1" in wrong:
        return ("so how the records meet their targets is what goes wrong (with one target "
                "for all, any pairing gives it): X[n] must be trained towards Y[n], every "
                "target as it is; shuffle X and Y with one permutation (order = "
                "rng.permutation(N), then X[order], Y[order]) or not at all: a full-batch "
                "update does not depend on the order")
    if "with learning_rate = 0 (nothing may change)" in wrong:
        return ("with learning_rate = 0 nothing may change, but your parameters do: something "
                "other than p - learning_rate * g changes them")
    if "with a threshold that never clips" in right:
        return ("so the update is right without clipping, and the clipping is what goes wrong: "
                "all five gradients together, by their global norm, in every epoch")
    if any(label.startswith("with k = T") for label in right):
        return ("so the truncation is what goes wrong: give my.bptt the whole X and k, as "
                "they are")
    if "with epochs = 1" in right:
        return ("so one update is right, and what goes wrong is how the epochs follow each "
                "other: each computes new gradients at the current parameters, clips them and "
                "steps p - learning_rate * g (plain gradient descent, one learning rate)")
    return None


def _trained(fn, args, **change) -> list[bool | None] | None:
    """Each of the learner's five trained arrays with args changed: right or not (None if the
    function raised or returned something else)."""
    changed = {**args, **change}
    try:
        result = call(fn, changed, {}, {})
    except (Failure, NotYet):
        return None
    if not isinstance(result, list | tuple) or len(result) != len(NAMES):
        return None
    return [matches(g, e) for g, e in zip(result, reference(*changed.values()), strict=True)]


def _first_step(fn, args) -> str:
    """ "3" (or "one number, not a simple fraction") when the learner's first update moves the
    parameters by the right step times one number (not 1), else ""."""
    changed = {**args, "epochs": 1}
    try:
        result = call(fn, changed, {}, {})
    except (Failure, NotYet):
        return ""
    if not isinstance(result, list | tuple) or len(result) != len(NAMES):
        return ""
    start = np.concatenate([np.ravel(p) for p in args["params"]])
    try:
        mine = np.concatenate([np.ravel(np.asarray(r, dtype=np.float64)) for r in result])
    except (TypeError, ValueError):
        return ""
    right = np.concatenate([np.ravel(e) for e in reference(*changed.values())])
    if mine.shape != start.shape:
        return ""
    factor = constant_factor(mine - start, right - start)
    return "" if factor.startswith("-") else factor


def _shrinks(fn, args) -> str:
    """The slip when the learner's first update is rnnlib's plus a multiple of the parameters
    themselves, -learning_rate * lam * p (weight decay, L2 regularisation), one lam for all
    five; "" otherwise."""
    changed = {**args, "epochs": 1}
    try:
        result = call(fn, changed, {}, {})
        mine = np.concatenate([np.ravel(np.asarray(r, dtype=np.float64)) for r in result])
    except (Failure, NotYet, TypeError, ValueError):
        return ""
    start = np.concatenate([np.ravel(p) for p in args["params"]])
    right = np.concatenate([np.ravel(e) for e in reference(*changed.values())])
    if mine.shape != start.shape:
        return ""
    extra = mine - right
    if not np.any(extra):
        return ""
    lam = -float(np.vdot(extra, start)) / float(np.vdot(start, start))
    if not 0 < lam < 0.5 or np.linalg.norm(extra + lam * start) > 1e-6 * np.linalg.norm(extra):
        return ""
    return ("every update also shrinks each parameter by a multiple of itself (weight decay, "
            "p - learning_rate * (g + lam * p)): the update is p - learning_rate * g, the "
            "clipped gradient only")


def _locate(fn, args) -> str:
    """The located line of wrong training: the first epoch whose update departs, and which
    parameters it gets wrong."""
    for epoch in range(1, args["epochs"] + 1):
        seen = _trained(fn, args, epochs=epoch)
        if seen is None or None in seen:
            return ""
        if not all(seen):
            break
    else:
        return ""
    bad = [n for n, ok in zip(NAMES, seen, strict=True) if not ok]
    good = [n for n, ok in zip(NAMES, seen, strict=True) if ok]
    if epoch > 1:
        before = "epoch 1 is" if epoch == 2 else f"epochs 1 .. {epoch - 1} are"
        return (f"{WHERE} with epochs = {epoch - 1} all five are right, with epochs = {epoch} "
                f"not: {before} right and update {epoch} is the first that is wrong: look at "
                "what the next epoch starts from: the parameters that the update before it "
                "produced, at which it computes new gradients (my.rnn_forward, my.mse_loss, "
                "my.bptt, my.clip_gradients)")
    which = (f"{listing(good)} {'is' if len(good) == 1 else 'are'} right after it, "
             f"{listing(bad)} {'is' if len(bad) == 1 else 'are'} not" if good else
             "all five are wrong after it")
    never = _trained(fn, args, epochs=1, threshold=1e6)
    if never is not None and None not in never and all(never):
        return (f"{WHERE} the first update (epochs = 1) is wrong already ({which}), and right "
                "when clipping never acts (a huge threshold): look at the clipping, clipped = "
                "my.clip_gradients(grads, threshold) of all five gradients, and that the "
                "update uses clipped")
    step = _first_step(fn, args)
    if step:
        return (f"{WHERE} the first update (epochs = 1) is wrong already ({which}), but it "
                f"moves every parameter in the right direction, by {step} times the right "
                "step: look at the size of the step, learning_rate * g, with the learning rate "
                "as given and the clipped gradients as they are")
    if good:
        return (f"{WHERE} the first update (epochs = 1) is wrong already: {which}: look at "
                f"the update of {listing(bad)}, p - learning_rate * g with its own gradient "
                "(my.bptt returns dU, dW, dV, db, dc in that order)")
    return ""


def _kept_data(fn: Callable) -> str:
    """The slip when fn trains on the data of an earlier call (kept in a global, a default
    argument, ...): given the first case's params with other X and Y of the same shapes, it
    returns rnnlib.train's parameters for the first case's X or Y (seen on the values); ""
    otherwise."""
    case = CASES[0]
    params, X, Y, threshold = inputs(case)
    rng = np.random.default_rng(case.seed + 1)
    X2, Y2 = rng.normal(0.0, 1.0, X.shape), rng.normal(0.0, 1.0, Y.shape)
    args = {"params": params, "X": X2, "Y": Y2, "learning_rate": case.learning_rate,
            "epochs": EPOCHS, "threshold": threshold, "k": K}
    try:
        result = call(fn, args, case.sizes, {})
        got = np.concatenate([np.ravel(np.asarray(r, dtype=np.float64)) for r in result])
    except (Failure, NotYet, TypeError, ValueError):
        return ""

    def trained_on(X_used, Y_used) -> bool:
        want = np.concatenate([np.ravel(a) for a in reference(
            params, X_used, Y_used, case.learning_rate, EPOCHS, threshold, K)])
        return want.shape == got.shape and relative_error(got, want) < MATCH

    if trained_on(X2, Y2):
        return ""
    what = next((w for w, X_used, Y_used in (
        ("X and Y", X, Y), ("X (with the Y given)", X, Y2), ("Y (with the X given)", X2, Y))
        if trained_on(X_used, Y_used)), None)
    if what is None:
        return ""
    return (f"your function keeps the data of an earlier call: train on the X and Y you are "
            f"given. Called again with other X {shape_text(X.shape, case.sizes)} and Y "
            f"{shape_text(Y.shape, case.sizes, '(N, O)', Y.shape)} of the same shapes as in the "
            f"checker's first call, it returns what rnnlib.train gives on the {what} of that "
            "first call. It trains on data kept from then (in a global, a default argument such as "
            "`data={}`, or another variable outside the function, set once): use the X and Y "
            "that each call is given")


# --- a parameter rebound inside the function, and an X changed before training ----------------

# the pieces a train_rnn calls, and the position of the argument recorded at each call
_RECORDED = {"rnn_forward": 0, "bptt": 5, "clip_gradients": 1}
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def _piece_codes(fn: Callable) -> dict[object, str]:
    """code object -> piece name, for the versions of rnn_forward, bptt and clip_gradients that
    fn can call: rnnlib's, and those of every workbook (`my`) among fn's globals."""
    from rnnlib.exercises import EXERCISES
    from rnnlib.exercises.learner import Workbook

    codes = {}
    books = [v for v in getattr(fn, "__globals__", {}).values() if isinstance(v, Workbook)]
    for name in _RECORDED:
        for version in [EXERCISES[name].reference, *(b._chosen.get(name) for b in books)]:
            code = getattr(version, "__code__", None)
            if code is not None:
                codes[code] = name
    return codes


def _recorded_run(fn: Callable, args: dict, sizes, local: dict[str, str] | None = None
                  ) -> tuple[object, dict[str, list]]:
    """fn run on args, with what it hands to the pieces: (its result, or the Failure it
    raised; piece -> one entry per call, in order: rnn_forward's X; bptt's (k, the value of
    fn's own variable local["bptt"] at that call); clip_gradients' (threshold, the global
    norm of the gradients it is given, the value of fn's variable local["clip_gradients"]))."""
    import sys

    codes = _piece_codes(fn)
    own = getattr(fn, "__code__", None)
    local = local or {}
    seen: dict[str, list] = {name: [] for name in _RECORDED}
    missing = object()

    def learners(frame, name):
        while frame is not None and frame.f_code is not own:
            frame = frame.f_back
        return frame.f_locals.get(name, missing) if frame is not None and name else missing

    def record(frame, event, _):
        if event != "call":
            return
        name = codes.get(frame.f_code) or (frame.f_code.co_name if frame.f_code.co_name in
                                           _RECORDED else None)
        if name is None or frame.f_code.co_argcount <= _RECORDED[name]:
            return
        value = frame.f_locals.get(frame.f_code.co_varnames[_RECORDED[name]])
        if name == "rnn_forward":
            seen[name].append(np.array(value, dtype=np.float64)
                              if isinstance(value, np.ndarray) else None)
            return
        mine = learners(frame.f_back, local.get(name))
        if name == "clip_gradients":
            grads = frame.f_locals.get(frame.f_code.co_varnames[0])
            try:
                norm = float(np.sqrt(sum(np.sum(np.asarray(g, dtype=np.float64) ** 2)
                                         for g in grads)))
            except (TypeError, ValueError):
                norm = float("nan")
            seen[name].append((value, norm, mine))
        else:
            seen[name].append((value, mine))

    before = sys.getprofile()
    sys.setprofile(record)
    try:
        result = call(fn, args, sizes, {})
    except (Failure, NotYet) as failure:
        result = failure
    finally:
        sys.setprofile(before)
    return result, seen


def _rebinding(source, name: str) -> list[tuple[ast.AST, bool, bool]]:
    """The nodes of the learner's function body that give name a new value (a for target, an
    assignment, a walrus; not a comprehension's own variable, not a nested function's), in
    source order, each with whether it is a for loop's target and whether it is inside a
    loop."""
    found, todo = [], list(source.tree.body)
    targets, loops = set(), []
    while todo:
        node = todo.pop()
        if isinstance(node, _LOOPS):
            loops.append(node)
            if isinstance(node, ast.For | ast.AsyncFor):
                targets.update(id(n) for n in ast.walk(node.target))
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Store):
            found.append(node)
        if not isinstance(node, _SCOPES + _COMPREHENSIONS):
            todo.extend(ast.iter_child_nodes(node))

    def in_loop(node) -> bool:
        return id(node) in targets or any(
            loop.body[0].lineno <= node.lineno <= loop.end_lineno for loop in loops)

    return [(n, id(n) in targets, in_loop(n))
            for n in sorted(found, key=lambda n: (n.lineno, n.col_offset))]




def _by_epoch(params, X, Y, learning_rate, ks, thresholds) -> list[np.ndarray]:
    """rnnlib's full-batch training with epoch e's truncation ks[e] and its clipping threshold
    thresholds[e] (None: no clipping), one update per epoch."""
    p = Params(*(np.array(a, dtype=np.float64) for a in params))
    for k, threshold in zip(ks, thresholds, strict=True):
        _, grads = loss_and_gradients(p, X, Y, truncation=k)
        if threshold is not None:
            grads, _, _ = clip_by_norm(grads, threshold)
        p = Params(*(a - learning_rate * g
                     for (_, a), (_, g) in zip(p.items(), grads.items(), strict=True)))
    return [a for _, a in p.items()]


def _same_as(got, want) -> bool:
    want = np.concatenate([np.ravel(a) for a in want])
    return got.shape == want.shape and relative_error(got, want) < MATCH


def _same_value(a, b) -> bool:
    try:
        return a is b or bool(a == b)
    except (TypeError, ValueError):
        return False


def _rebound(fn: Callable, args: dict, sizes, got: np.ndarray | None) -> str:
    """The slip when fn's body gives k (the truncation depth) or threshold a new value, so that
    an epoch trains with another one. Named only when the source shows the rebinding, the
    piece (my.bptt, my.clip_gradients) was handed another value than the one given, fn's own
    variable held that value at the call, AND the values agree: got (fn's parameters,
    flattened) is rnnlib's training with each epoch at the values the piece was handed, or
    got is None (fn raised) and its first epoch is right. "" otherwise."""
    source = learner_source(fn)
    names = source.params() if source else []
    if len(names) != len(args):
        return ""
    found = {role: (names[i], _rebinding(source, names[i]))
             for role, i in (("bptt", 6), ("clip_gradients", 5))}
    found = {role: v for role, v in found.items() if v[1]}
    if not found:
        return ""
    _, seen = _recorded_run(fn, args, sizes, {role: name for role, (name, _) in found.items()})
    params, X, Y, rate, epochs, threshold, k = args.values()
    raised = got is None
    if raised:
        first = _trained(fn, args, epochs=1)
        if first is None or not all(first):
            return ""
    for role, (name, rebindings) in found.items():
        given = k if role == "bptt" else threshold
        calls = seen[role]
        values = [c[0] for c in calls]
        changed = [i for i, v in enumerate(values) if not _same_value(v, given)]
        # the learner's variable carried each other value to the piece
        if not changed or not all(_same_value(calls[i][-1], values[i]) for i in changed):
            continue
        e = changed[0]
        # a value that changes after the first epoch comes from a rebinding inside the loop
        node, loop_target, _ = next((r for r in rebindings if r[2]), rebindings[0]) if e \
            else rebindings[0]
        line = f"your line `{without_comment(source.line(node))}` rebinds {name}"
        fix = ("name the loop variable differently" if loop_target else
               f"give the new value another name and leave {name} as it was given")
        later = values[e]
        if raised:
            if role == "bptt" and e > 0 and not isinstance(later, int | np.integer):
                return (f"{line}, the truncation depth: from epoch {e + 1} on my.bptt gets k "
                        f"= {later!r:.20} ({type(later).__name__}) and raises an error; {fix}")
            continue
        if len(calls) != epochs:
            continue
        when = f"from epoch {e + 1} on" if e else "in every epoch"
        try:
            if role == "bptt":
                want = _by_epoch(params, X, Y, rate, [int(v) for v in values],
                                 [threshold] * epochs)
            else:
                want = _by_epoch(params, X, Y, rate, [k] * epochs, [float(v) for v in values])
        except (TypeError, ValueError):
            continue
        if not _same_as(got, want):
            continue
        if role == "bptt":
            value = later if all(_same_value(v, later) for v in values[e:]) else \
                ", ".join(str(v) for v in values[e:])
            depth = f" (BPTT through all T = {X.shape[1]} steps)" if all(
                v >= X.shape[1] for v in values[e:]) else ""
            return f"{line}, the truncation depth: {when} my.bptt gets k = {value}{depth}; {fix}"
        never = all(c[0] >= c[1] * (1 - 1e-9) for c in calls[e:])
        what = ("so clipping never acts (its threshold is the gradients' own norm or more)"
                if never else f"{name} = {later:.3g} where {threshold:.3g} was given")
        return (f"{line}, the clipping threshold: {when} my.clip_gradients gets another "
                f"threshold, {what}; {fix}")
    return ""


def _taken_from(value: ast.AST, params: str) -> int | str | None:
    """What an assigned value takes from the parameter list named params: "all" (params itself,
    list(params), [p.copy() for p in params], map(np.copy, params)), the index i of params[i]
    (params[i].copy(), np.array(params[i])), or None."""
    def is_params(node) -> bool:
        return isinstance(node, ast.Name) and node.id == params

    def index(node) -> int | None:
        if isinstance(node, ast.Subscript) and is_params(node.value) and isinstance(
                node.slice, ast.Constant) and isinstance(node.slice.value, int):
            return node.slice.value
        return None

    if is_params(value):
        return "all"
    if isinstance(value, ast.ListComp | ast.GeneratorExp) and is_params(value.generators[0].iter):
        return "all"
    if index(value) is not None:
        return index(value)
    if isinstance(value, ast.Call):
        inner = [*value.args, value.func.value] if isinstance(value.func, ast.Attribute) else \
            list(value.args)
        if any(is_params(a) for a in value.args):
            return "all"
        found = [index(a) for a in inner if index(a) is not None]
        if len(found) == 1:
            return found[0]
    return None


# where the pieces take the parameters: argument position -> the parameter's name
_ROLES = {"rnn_forward": {1: "U", 2: "W", 3: "V", 4: "b", 5: "c"}, "bptt": {3: "W", 4: "V"}}


def _in_its_role(source, name: str) -> bool:
    """Whether the learner's function uses name in the course's role of that parameter: passed
    to my.rnn_forward or my.bptt where that piece takes it (rnn_forward(X, U, W, V, b, c)), or
    among the five names in the course's order, U, W, V, b, c, in a call's arguments or a
    returned list."""
    def in_order(items) -> bool:
        names = [a.id if isinstance(a, ast.Name) else None for a in items]
        return any(tuple(names[i:i + len(NAMES)]) == NAMES for i in range(len(names)))

    for node in own_nodes(source.tree.body):
        if isinstance(node, ast.Return) and isinstance(node.value, ast.List | ast.Tuple) and \
                in_order(node.value.elts):
            return True
        if not isinstance(node, ast.Call):
            continue
        if in_order(node.args):
            return True
        func = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")
        for position, role in _ROLES.get(func, {}).items():
            if role == name and position < len(node.args) and isinstance(
                    node.args[position], ast.Name) and node.args[position].id == name:
                return True
    return False


def _unpacked_out_of_order(fn: Callable, params: list[np.ndarray]) -> str:
    """The message when the learner's source takes the course's names U, W, V, b, c from params
    in another order than [U, W, V, b, c] (U, W, b, V, c = params; b = params[2]) and passes a
    misplaced name to a piece in that name's role (my.rnn_forward(X, U, W, V, b, c)), confirmed
    on the values: a misplaced name gets an array of another parameter's shape; "" otherwise."""
    source = learner_source(fn)
    names = source.params() if source else []
    if not names:
        return ""
    taken: dict[str, tuple[int, ast.AST]] = {}
    for node in own_nodes(source.tree.body):
        if not isinstance(node, ast.Assign) or len(node.targets) != 1:
            continue
        what = _taken_from(node.value, names[0])
        target = node.targets[0]
        if what == "all" and isinstance(target, ast.Tuple | ast.List) and \
                len(target.elts) == len(NAMES) and all(isinstance(t, ast.Name)
                                                       for t in target.elts):
            for i, t in enumerate(target.elts):
                taken.setdefault(t.id, (i, node))
        elif isinstance(what, int) and not isinstance(what, bool) and isinstance(
                target, ast.Name) and -len(NAMES) <= what < len(NAMES):
            taken.setdefault(target.id, (what % len(NAMES), node))
    wrong = [(n, i, node) for n, (i, node) in taken.items() if n in NAMES and
             NAMES.index(n) != i]
    if not wrong or not any(params[i].shape != params[NAMES.index(n)].shape
                            for n, i, _ in wrong):
        return ""
    if not any(_in_its_role(source, n) for n, _, _ in wrong):
        return ""  # the names may be labels used consistently in the learner's own order
    lines = []
    for _, _, node in wrong:
        line = f"`{without_comment(source.line(node))}`"
        if line not in lines:
            lines.append(line)
    gets = "; ".join(f"your {n} is {NAMES[i]}, of shape {SYMBOLS[i]} = {params[i].shape}, "
                     f"where {n} is {SYMBOLS[NAMES.index(n)]} = "
                     f"{params[NAMES.index(n)].shape}" for n, i, _ in wrong)
    return (f"your line{'s' if len(lines) > 1 else ''} {listing(lines)} "
            f"take{'' if len(lines) > 1 else 's'} the parameters in another order than "
            f"params holds them: params is [U, W, V, b, c], so {gets}. Unpack them in that "
            "order, U, W, V, b, c = params, and return [U, W, V, b, c]")


def _changed_inputs(fn: Callable, args: dict, sizes, got: np.ndarray) -> str:
    """The slip when the X that fn hands to my.rnn_forward is not the X it was given (scaled,
    standardised, reordered before training), confirmed on the values: got (fn's parameters,
    flattened) is rnnlib.train's on that X. "" otherwise."""
    _, seen = _recorded_run(fn, args, sizes)
    X = args["X"]
    used = seen["rnn_forward"]
    if not used or used[0] is None or any(u is None or u.shape != used[0].shape or
                                          not np.array_equal(u, used[0]) for u in used):
        return ""
    mine = used[0]
    if mine.shape == X.shape and np.array_equal(mine, X):
        return ""
    try:
        want = reference(args["params"], mine, *list(args.values())[2:])
    except (TypeError, ValueError):
        return ""
    if not _same_as(got, want):
        return ""
    return (f"the X your function passes to my.rnn_forward is not the X it was given: "
            f"{_how_changed(mine, X)}, and your parameters are what rnnlib.train gives when it "
            "trains on that X. Train on X as it is given (preparing the data is not the "
            "training loop's job)")


def _how_changed(mine: np.ndarray, X: np.ndarray) -> str:
    """What was done to X, seen on the values: standardised, rescaled, scaled or shifted,
    reordered, or only 'changed'."""
    if mine.shape != X.shape:
        return f"it has shape {mine.shape}, X {X.shape}"

    def near(a, b) -> bool:
        return bool(np.allclose(a, b, rtol=0.0, atol=1e-9))

    # for each input first (with D > 1 it is standardised over all of X as well)
    each = [((0, 1), " for each input (over records and steps)")] if X.shape[-1] > 1 else []
    for axes, where in (*each, (None, "")):
        if near(mine.mean(axis=axes), 0.0) and near(mine.std(axis=axes), 1.0):
            return (f"it was standardised{where} before training, to mean 0 and standard "
                    "deviation 1")
        if near(mine.min(axis=axes), 0.0) and near(mine.max(axis=axes), 1.0):
            return f"it was rescaled{where} to the range 0 to 1 before training"
    a, b = np.polyfit(X.ravel(), mine.ravel(), 1) if X.size > 1 else (1.0, 0.0)
    if near(mine, a * X + b):
        what = (f"scaled (times {a:.3g})" if near(b, 0.0) else
                f"shifted (by {b:+.3g})" if near(a, 1.0) else "scaled and shifted")
        return f"it was {what} before training"
    if near(np.sort(mine, axis=None), np.sort(X, axis=None)):
        return ("it holds the same values in another order (a transpose or reshape that the "
                "other does not undo: X.transpose(1, 0, 2).reshape(N, T, D) is not X)")
    return "it was changed before training (scaled, standardised or reordered?)"


def _one_column(fn: Callable, Y: np.ndarray) -> str:
    """The message part when the learner's function makes the targets Y (N, O) with O > 1 into
    one column (Y.reshape(-1, 1), Y.ravel()[:, None], np.reshape(Y, (-1, 1)), Y[:, :1]):
    confirmed by evaluating the learner's own expression, which reads only Y and np, on this
    Y; "" if the source shows none."""
    source = learner_source(fn)
    names = source.params() if source else []
    if len(names) < 3 or Y.ndim != 2 or Y.shape[1] < 2:
        return ""
    name = names[2]
    for node in own_nodes(source.tree.body):
        if not isinstance(node, ast.Call | ast.Subscript):
            continue
        read = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
        if name not in read or not read <= {name, "np", "numpy"}:
            continue
        try:
            value = eval(compile(ast.Expression(node), "<learner>", "eval"),  # noqa: S307
                         {"__builtins__": {}}, {name: Y.copy(), "np": np, "numpy": np})
        except Exception:  # the learner's expression may raise anything
            continue
        if not isinstance(value, np.ndarray) or value.ndim != 2 or value.shape[1] != 1:
            continue
        line = without_comment(source.line(node))
        return (f"your line `{line}` makes the targets one column, of shape {value.shape}, "
                f"but Y is already (N, O) = {Y.shape}, one row per record and "
                f"one column per output: with O = {Y.shape[1]} outputs they differ (with O = 1 "
                f"they are the same). Give my.mse_loss Y as it is")
    return ""


@checker("Check the learner's train_rnn on every input set of CASES. train_rnn(params, X, "
         "Y, learning_rate, epochs, threshold, k) -> trained")
def check(fn: Callable) -> Verdict:
    def flat(arrays):
        return np.concatenate([np.ravel(a) for a in arrays])

    passed: list[Case] = []

    def one(case: TrainingCase) -> float:
        params, X, Y, threshold = inputs(case)
        rate = case.learning_rate
        expected = reference(params, X, Y, rate, EPOCHS, threshold, K)
        shapes = dict(zip(NAMES, ((p.shape, s) for p, s in zip(params, SYMBOLS, strict=True)),
                          strict=True))
        args = {"params": params, "X": X, "Y": Y, "learning_rate": rate,
                "epochs": EPOCHS, "threshold": threshold, "k": K}
        try:
            result = call(fn, args, case.sizes, {"X": "(N, T, D)", "Y": "(N, O)"}, UPDATE_HINT,
                          watch=shapes)
        except Failure:
            order = _unpacked_out_of_order(fn, params)
            if order:
                raise Failure(f"FAIL: {order}") from None
            column = _one_column(fn, Y)
            if column:
                raise Failure(f"FAIL: {column}") from None
            rebound = _rebound(fn, args, case.sizes, None)
            if rebound:
                raise Failure(f"FAIL: your function raises an error: {rebound}") from None
            raise
        expect_none_or(result)
        if not isinstance(result, list | tuple) or len(result) != len(NAMES):
            raise Failure(f"FAIL: your function returned {describe_value(result)}; return a "
                          f"list of the five trained arrays [U, W, V, b, c]")
        _in_another_order(result, expected)
        got = [as_array(v, n, e, s, case.sizes)
               for v, n, e, s in zip(result, NAMES, expected, SYMBOLS, strict=True)]
        rate_text = f"learning_rate = {rate:g}, " if rate != LEARNING_RATE else ""
        context = f" after {EPOCHS} epochs ({rate_text}k = {K}, threshold {threshold:.2f})"
        unchanged = [n for n, g, p in zip(NAMES, got, params, strict=True) if np.array_equal(g, p)]
        if unchanged and len(unchanged) < len(NAMES):
            raise Failure(f"FAIL: the trained parameters are wrong{context}: "
                          f"{', '.join(unchanged)} did not change at all; update every "
                          "parameter, p - learning_rate * dp, in every epoch")
        if not passes(relative_error(flat(got), flat(expected))):  # the variants only then
            order = _unpacked_out_of_order(fn, params)
            if order:
                raise Failure(f"FAIL: the trained parameters are wrong{context}: {order}")
            column = _one_column(fn, Y)
            if column:
                raise Failure(f"FAIL: the trained parameters are wrong{context}: {column}")
            rebound = _rebound(fn, args, case.sizes, flat(got))
            if rebound:
                raise Failure(f"FAIL: the trained parameters are wrong{context}: {rebound}")
            # a stop when the loss rises is named once the cases where it falls have passed
            stops = _stops_early(params, X, Y, rate, threshold) if passed else []
            try:
                diagnose("the trained parameters", flat(got), flat(expected),
                         [(text, flat(v)) for text, v in _variants(
                             params, X, Y, rate, threshold, _only_first_update(fn), stops)],
                         context, plural=True, close=" or a small extra term: the update is p "
                         "- learning_rate * g, only the gradient (no weight decay, no momentum)")
            except Failure as failure:
                text = str(failure)
                decay = _shrinks(fn, args) if observed_only(text) or "close but not" in text \
                    else ""
                if decay:
                    raise Failure(f"FAIL: the trained parameters are wrong{context}: {decay}") \
                        from None
                changed = _changed_inputs(fn, args, case.sizes, flat(got)) \
                    if observed_only(text) else ""
                if changed:
                    raise Failure(f"FAIL: the trained parameters are wrong{context}: "
                                  f"{changed}") from None
                line = _locate(fn, args)
                raise with_location(localize(failure, _probes(fn, params, X, Y, rate, threshold),
                                             None if line else _conclusion), line) from None
        passed.append(case)
        return max(float(np.linalg.norm(g - e) / (np.linalg.norm(g) + np.linalg.norm(e)))
                   for g, e in zip(got, expected, strict=True))

    def body() -> str:
        try:
            worst = over_cases(CASES, one)
        except Failure:
            kept = _kept_data(fn)
            if kept:
                raise Failure(f"FAIL: {kept}") from None
            raise
        return pass_text(worst, "all five trained arrays match rnnlib.train, largest relative "
                                "error")

    return run_checks(body, fn)
