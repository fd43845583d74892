"""The learner's functions across notebooks: which version each later cell uses, and the file
that carries them from one notebook's kernel to the next.

In each notebook, ``my = workbook(n)`` loads the functions that earlier notebooks saved in
``my_rnn.py`` (in the notebook's folder; the environment variable RNNLIB_MY_RNN names another
path), checks each again, and prints which version the notebook will use. ``my.forward_step``
is then the learner's function if it passes its check, and rnnlib's version otherwise; a
learner's later function calls the earlier pieces as ``my.forward_step(...)``.

``my.check("forward_step", forward_step)`` runs the checker, prints its verdict, and makes the
function ``my.forward_step`` only on PASS. ``my.use(name, ...)`` returns the versions in use and
says which they are. ``my.save()``, at the end of a notebook, writes the source of this
notebook's passing functions into the file (and removes the ones that no longer pass).
A missing, stale or broken file never stops a notebook: every piece that cannot be read, or
fails its check, falls back to rnnlib's version, and the notebook says so.
"""

from __future__ import annotations

import inspect
import linecache
import os
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rnnlib.exercises import (
    backprop,
    clipping,
    forward,
    gru,
    gru_backward,
    sampling,
    sequence_backward,
    training,
    windows,
)
from rnnlib.exercises._core import Verdict, labelled, require_function, wrap

FILE_NAME = "my_rnn.py"
ENVIRONMENT = "RNNLIB_MY_RNN"


@dataclass(frozen=True)
class Exercise:
    """One piece of the learner's RNN: its name, its notebook, its checker and rnnlib's version.

    last: the last notebook that uses the piece. The workbooks of the notebooks after its own,
    up to last, load it from the learner's file and check it again; a piece that no later
    notebook uses (last == notebook) is checked again when its own notebook opens.
    """

    name: str
    notebook: int
    signature: str
    check: Callable[[Callable], Verdict]
    reference: Callable
    last: int = 5


EXERCISES: dict[str, Exercise] = {e.name: e for e in (
    Exercise("make_windows", 1, "make_windows(series, T) -> (X, Y)", windows.check,
             windows.reference),
    Exercise("forward_step", 2, "forward_step(x_t, h_prev, U, W, b) -> h_t", forward.check_step,
             forward.reference_step_fast),
    Exercise("rnn_forward", 2, "rnn_forward(X, U, W, V, b, c) -> (Y_hat, states)",
             forward.check_forward, forward.reference_forward),
    Exercise("mse_loss", 3, "mse_loss(Y_hat, Y) -> (L, dY_hat)", backprop.check_loss,
             backprop.reference_loss),
    Exercise("backward_step", 3,
             "backward_step(dh_t, h_t, h_prev, x_t, W) -> (delta_t, dh_prev, dU_t, dW_t, db_t)",
             backprop.check_step, backprop.reference_step),
    Exercise("bptt", 3, "bptt(dY_hat, X, states, W, V, k) -> (dU, dW, dV, db, dc)",
             backprop.check_bptt, backprop.reference_bptt),
    Exercise("numerical_gradient", 3, "numerical_gradient(f, x, eps=1e-6) -> grad",
             backprop.check_numerical_gradient, backprop.reference_numerical_gradient),
    Exercise("clip_gradients", 4, "clip_gradients(grads, threshold) -> clipped",
             clipping.check, clipping.reference),
    Exercise("train_rnn", 5,
             "train_rnn(params, X, Y, learning_rate, epochs, threshold, k) -> trained",
             training.check, training.reference),
    Exercise("gru_step", 8, "gru_step(x_t, h_prev, U, W, b, b_n) -> h_t", gru.check,
             gru.reference, last=8),
    Exercise("gru_step_backward", 8, "gru_step_backward(dh_t, x_t, h_prev, U, W, b, b_n) -> "
             "(dh_prev, dU, dW, db, db_n)", gru_backward.check, gru_backward.reference, last=8),
    Exercise("sequence_backward_step", 9,
             "sequence_backward_step(dh_next, dy_hat_t, h_t, W, V) -> (g_t, delta_t, dh_prev, "
             "dV_t)", sequence_backward.check, sequence_backward.reference, last=9),
    Exercise("temperature_probabilities", 9, "temperature_probabilities(y_hat, temperature) -> p",
             sampling.check, sampling.reference, last=9),
)}

_SECTION = re.compile(r"^# === (\w+) \(notebook (\d+)\) ===$", re.MULTILINE)
_HEADER = """\
# Your functions from the exercises of the course's notebooks, saved by rnnlib.exercises.
# Each notebook, run to its end, saves here the functions of its exercises that passed their
# checks, and later notebooks load them. Delete this file to start over with rnnlib's versions.
import numpy as np
"""


def learner_file() -> Path:
    """Where the learner's functions are saved: $RNNLIB_MY_RNN, else my_rnn.py in the cwd."""
    return Path(os.environ.get(ENVIRONMENT) or FILE_NAME)


NOTEBOOKS = range(1, 10)  # the course's notebooks; 01-05, 08 and 09 have exercises


def _later(exercise: Exercise) -> tuple[str, str]:
    """Who uses a saved piece next: ("notebooks 02-05 will use it", "... will use rnnlib's")."""
    n, last = exercise.notebook, exercise.last
    if last == n:
        return (f"notebook {n:02d} checks it again when you open it again",
                f"notebook {n:02d} will use rnnlib's when you open it again")
    who = f"notebook {last:02d}" if last == n + 1 else f"notebooks {n + 1:02d}-{last:02d}"
    return f"{who} will use it", f"{who} will use rnnlib's"


class Workbook:
    """The versions of the learner's pieces that a notebook uses (see the module docstring)."""

    def __init__(self, notebook: int, path: str | os.PathLike | None = None):
        if isinstance(notebook, bool) or not isinstance(notebook, int | np.integer):
            raise TypeError(f"notebook must be the notebook's number, an int from 1 to 9, got "
                            f"{type(notebook).__name__} {notebook!r:.40}")
        if notebook not in NOTEBOOKS:
            raise ValueError(f"notebook must be one of the course's notebooks, 1 to 9, got "
                             f"{notebook}")
        object.__setattr__(self, "notebook", int(notebook))
        object.__setattr__(self, "path", Path(path) if path is not None else learner_file())
        object.__setattr__(self, "_chosen", {n: e.reference for n, e in EXERCISES.items()})
        object.__setattr__(self, "_yours", {})
        object.__setattr__(self, "_why", dict.fromkeys(EXERCISES, "yours is not done yet"))

    # --- the versions in use ---------------------------------------------------------------

    def __getattr__(self, name: str):
        chosen = self.__dict__.get("_chosen", {})
        if name in chosen:
            return chosen[name]
        raise AttributeError(
            f"my.{name}: no such exercise; the pieces are {', '.join(EXERCISES)}")

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f'my.{name} is set by my.check("{name}", your_function) only')

    def __dir__(self):
        return [*EXERCISES, "check", "use", "save", "owner", "status"]

    def owner(self, name: str) -> str:
        """Whose version my.<name> is.

        Parameters
        ----------
        name : str
            One of the pieces, e.g. "bptt".

        Returns
        -------
        str
            "yours" or "rnnlib's".

        Raises
        ------
        ValueError
            If name is not one of the pieces.
        """
        self._exercise(name)
        return "yours" if name in self._yours else "rnnlib's"

    def status(self, name: str) -> str:
        """One line: which version of name is in use, and why.

        Parameters
        ----------
        name : str
            One of the pieces.

        Returns
        -------
        str
            "using your <name>", or "using rnnlib's <name>: " and the reason.

        Raises
        ------
        ValueError
            If name is not one of the pieces.
        """
        self._exercise(name)
        if name in self._yours:
            return f"using your {name}"
        return f"using rnnlib's {name}: {self._why[name]}"

    def use(self, *names: str):
        """Print which version of each piece is in use, and return it.

        Parameters
        ----------
        *names : str
            Pieces, e.g. "forward_step", "rnn_forward".

        Returns
        -------
        callable or tuple of callables
            The version in use of each piece (the function alone for one name).

        Raises
        ------
        ValueError
            If a name is not one of the pieces.
        """
        for name in names:
            self._exercise(name)
            _say(self.status(name))
        functions = tuple(self._chosen[n] for n in names)
        return functions[0] if len(functions) == 1 else functions

    def _exercise(self, name: str) -> Exercise:
        if name not in EXERCISES:
            raise ValueError(f"no exercise named {name!r}; the pieces are {', '.join(EXERCISES)}")
        return EXERCISES[name]

    # --- checking ------------------------------------------------------------------------------

    def check(self, name: str, fn: Callable) -> None:
        """Check the learner's fn as piece name; print the verdict; on PASS make it my.<name>.

        Parameters
        ----------
        name : str
            One of the pieces, e.g. "bptt".
        fn : callable
            The learner's function, with the piece's parameters.

        Raises
        ------
        ValueError
            If name is not one of the pieces.
        TypeError
            If fn is not a function.
        """
        exercise = self._exercise(name)
        require_function(fn, f'my.check("{name}", ...)', exercise.signature)
        verdict = exercise.check(fn)
        print(labelled(verdict, f"your {name}"))
        if verdict.passed:
            self._yours[name] = fn
            self._chosen[name] = fn
            _say(f"from here on my.{name} is your function")
        else:
            self._yours.pop(name, None)
            self._chosen[name] = EXERCISES[name].reference
            self._why[name] = ("yours is not done yet" if verdict.status == "NOT YET"
                               else "yours does not pass its check yet")
            _say(f"my.{name} stays rnnlib's version until yours passes")

    # --- the file ------------------------------------------------------------------------------

    def load(self) -> None:
        """Load, check and print the pieces of earlier notebooks saved in the learner's file.

        A piece that no later notebook uses (its last notebook is this one, as 08's gru_step)
        is loaded and checked again here too, if an earlier run of this notebook saved it.
        """
        sections, problem = self._read()
        earlier = [e for e in EXERCISES.values() if e.notebook < self.notebook <= e.last]
        own = [e for e in EXERCISES.values()
               if e.notebook == self.notebook == e.last and e.name in sections]
        if not earlier and not own:
            return
        if earlier:
            _say(f"Your functions from earlier notebooks ({self.path.name}):")
        else:
            _say(f"Your functions saved by an earlier run of this notebook ({self.path.name}):")
        if problem:
            _say(f"  {self.path.name} could not be read ({problem}): rnnlib's versions are used")
        earlier = earlier + own
        namespace = {"np": np, "my": self, "__name__": "my_rnn"}
        for exercise in earlier:
            self._load_one(exercise, sections.get(exercise.name), namespace)
            origin = f"{exercise.name} (notebook {exercise.notebook:02d})"
            if exercise.name in self._yours:
                _say(f"  {origin}: yours, it passes its check")
            else:
                _say(f"  {origin}: rnnlib's, {self._why[exercise.name]}")

    def _read(self) -> tuple[dict[str, str], str]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}, ""
        except (OSError, UnicodeDecodeError) as exc:
            return {}, type(exc).__name__
        parts = _SECTION.split(text)
        sections = {}
        for i in range(1, len(parts) - 2, 3):
            sections[parts[i]] = parts[i + 2]
        return sections, ""

    def _load_one(self, exercise: Exercise, source: str | None, namespace: dict) -> None:
        name = exercise.name
        if source is None:
            self._why[name] = (f"yours is not saved (notebook {exercise.notebook:02d} saves it "
                               "once it passes its check)")
            return
        filename = f"<{self.path.name}: {name}>"
        lines = source.splitlines(keepends=True)
        linecache.cache[filename] = (len(source), None, lines, filename)
        try:
            exec(compile(source, filename, "exec"), namespace)  # the learner's own saved code
            fn = namespace[name]
            if not callable(fn):
                raise TypeError(f"{name} is not a function")
        except Exception as exc:  # a stale or hand-edited file may hold anything
            self._why[name] = f"yours could not be read from {self.path.name} " \
                              f"({type(exc).__name__})"
            return
        verdict = exercise.check(fn)
        if verdict.passed:
            self._yours[name] = fn
            self._chosen[name] = fn
        else:
            self._why[name] = (f"yours, saved in {self.path.name}, no longer passes its check "
                               f"({verdict.text.splitlines()[0][:60]}...)")

    def save(self) -> None:
        """Save this notebook's passing functions in the learner's file; print what was saved."""
        own = [e for e in EXERCISES.values() if e.notebook == self.notebook]
        sections, problem = self._read()
        for exercise in own:
            name = exercise.name
            later, later_rnnlib = _later(exercise)
            fn = self._yours.get(name)
            source = _source(fn, name) if fn is not None else None
            if fn is not None and source is None:
                _say(f"{name}: not saved: its source cannot be read (write it with def in a "
                      f"cell of its own); {later_rnnlib}")
            if source is not None:
                sections[name] = source
                _say(f"saved your {name} in {self.path.name}: {later}")
            else:
                sections.pop(name, None)
                if fn is None:
                    _say(f"{name}: not saved, {self._why[name]}; {later_rnnlib}")
        if not sections and not self.path.exists():
            return
        body = "".join(
            f"\n# === {e.name} (notebook {e.notebook:02d}) ===\n{sections[e.name].strip()}\n"
            for e in EXERCISES.values() if e.name in sections)
        try:
            self.path.write_text(_HEADER + body, encoding="utf-8")
        except OSError as exc:
            _say(f"{self.path.name} could not be written ({type(exc).__name__})")


def _say(text: str) -> None:
    """Print one message of the workbook, wrapped at word boundaries like the checkers'."""
    print(wrap(text))


def _source(fn: Callable, name: str) -> str | None:
    """The source of the learner's function, bound to name; None if it cannot be read."""
    try:
        source = textwrap.dedent(inspect.getsource(fn))
    except (OSError, TypeError):
        return None
    own = getattr(fn, "__name__", "")
    if not source.lstrip().startswith("def ") or own == "<lambda>":
        return None
    if own != name:
        source += f"\n\n{name} = {own}\n"
    return source


def workbook(notebook: int, path: str | os.PathLike | None = None) -> Workbook:
    """The workbook of notebook n: earlier notebooks' pieces loaded, checked and listed.

    Parameters
    ----------
    notebook : int
        The notebook's number, 1 to 9.
    path : str or os.PathLike, optional
        The learner's file; default ``learner_file()``.

    Returns
    -------
    Workbook

    Raises
    ------
    TypeError
        If notebook is not an int.
    ValueError
        If notebook is not one of the course's notebooks, 1 to 9.
    """
    book = Workbook(notebook, path)
    book.load()
    return book
