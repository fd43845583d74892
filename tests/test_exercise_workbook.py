"""The learner's workbook: which version of each piece a notebook uses, and the file that carries
the learner's functions from one notebook's kernel to the next."""

import re

import exercise_solutions as sol
import numpy as np
import pytest

from rnnlib import exercises as ex
from rnnlib.exercises import learner as wb


@pytest.fixture
def path(tmp_path):
    return tmp_path / "my_rnn.py"


def lines(capsys):
    """The printed lines, with the lines that wrapping continued joined again."""
    out = capsys.readouterr()
    assert out.err == ""
    joined = []
    for line in out.out.splitlines():
        indent = len(line) - len(line.lstrip())
        if joined and not joined[-1].endswith(":") and \
                indent == len(joined[-1]) - len(joined[-1].lstrip()) + 2:
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    for line in out.out.splitlines():
        assert len(line) <= 88 or " " not in line.strip(), line
    return joined


def solved_through(notebook, path, capsys):
    """Run notebooks 1 .. notebook as a learner who solved every exercise and saved each one."""
    for n in range(1, notebook + 1):
        book = ex.workbook(n, path)
        sol.bind(book)
        for exercise in ex.EXERCISES.values():
            if exercise.notebook == n:
                book.check(exercise.name, getattr(sol, exercise.name))
        book.save()
    capsys.readouterr()
    return book


def test_without_a_file_every_piece_is_rnnlibs_and_says_so(path, capsys):
    book = ex.workbook(3, path)
    assert lines(capsys) == [
        "Your functions from earlier notebooks (my_rnn.py):",
        "  make_windows (notebook 01): rnnlib's, yours is not saved (notebook 01 saves it once "
        "it passes its check)",
        "  forward_step (notebook 02): rnnlib's, yours is not saved (notebook 02 saves it once "
        "it passes its check)",
        "  rnn_forward (notebook 02): rnnlib's, yours is not saved (notebook 02 saves it once "
        "it passes its check)",
    ]
    assert book.forward_step is ex.EXERCISES["forward_step"].reference
    assert book.owner("bptt") == "rnnlib's"


def test_the_first_notebook_loads_nothing_and_prints_nothing(path, capsys):
    ex.workbook(1, path)
    assert lines(capsys) == []


def test_check_makes_a_passing_function_the_one_in_use_and_a_stub_does_not(path, capsys):
    book = ex.workbook(2, path)
    capsys.readouterr()
    book.check("forward_step", lambda *a: None)
    # the verdict says whose function it judged: the learner's, not the reference solution's
    assert lines(capsys) == ["your forward_step — " + ex.NOT_YET,
                             "my.forward_step stays rnnlib's version until yours passes"]
    assert book.use("forward_step") is ex.EXERCISES["forward_step"].reference
    assert lines(capsys) == ["using rnnlib's forward_step: yours is not done yet"]

    book.check("forward_step", sol.forward_step)
    assert lines(capsys)[1] == "from here on my.forward_step is your function"
    assert book.use("forward_step") is sol.forward_step
    assert lines(capsys) == ["using your forward_step"]


def test_a_failing_function_replaces_an_earlier_pass_by_rnnlibs(path, capsys):
    book = ex.workbook(2, path)
    book.check("forward_step", sol.forward_step)
    book.check("forward_step", lambda x, h, U, W, b: np.tanh(x @ U.T + h @ W + b))
    assert book.forward_step is ex.EXERCISES["forward_step"].reference
    capsys.readouterr()
    book.use("forward_step")
    assert lines(capsys) == ["using rnnlib's forward_step: yours does not pass its check yet"]


def test_a_solution_checked_on_its_own_never_becomes_the_learners(path, capsys):
    book = ex.workbook(2, path)
    ex.check_forward_step(sol.forward_step)  # how the solution cells check the solution
    assert book.owner("forward_step") == "rnnlib's"


def test_the_names_cannot_be_rebound_by_assignment(path):
    book = ex.workbook(2, path)
    with pytest.raises(AttributeError, match=r'my.forward_step is set by my.check\("forward_step"'):
        book.forward_step = sol.forward_step
    with pytest.raises(AttributeError, match="no such exercise"):
        _ = book.forward_stepp


def test_an_unknown_piece_is_a_value_error_naming_the_pieces(path):
    # status read a dict directly and raised KeyError('nope') before it checked the name
    my = ex.workbook(5, path)
    for ask in (my.status, my.owner, my.use):
        with pytest.raises(ValueError, match="no exercise named 'nope'; the pieces are make_windows"):
            ask("nope")


def test_save_carries_passing_functions_to_later_notebooks(path, capsys):
    solved_through(4, path, capsys)
    text = path.read_text()
    for name in ("make_windows", "forward_step", "rnn_forward", "mse_loss", "backward_step",
                 "bptt", "numerical_gradient", "clip_gradients"):
        assert f"# === {name} (notebook 0" in text
    book = ex.workbook(5, path)
    out = lines(capsys)
    assert out[0] == "Your functions from earlier notebooks (my_rnn.py):"
    assert out[1:] == [f"  {e.name} (notebook {e.notebook:02d}): yours, it passes its check"
                       for e in ex.EXERCISES.values() if e.notebook < 5]
    # loaded from the file, not the test module's objects: and they call the new book's pieces
    assert book.rnn_forward is not sol.rnn_forward
    assert book.rnn_forward.__globals__["my"] is book


def test_the_learners_whole_chain_trains_like_rnnlib(path, capsys):
    book = solved_through(4, path, capsys)
    book = ex.workbook(5, path)
    sol.bind(book)
    book.check("train_rnn", sol.train_rnn)
    assert book.owner("train_rnn") == "yours"
    params, X, Y, threshold = ex.EXERCISES["train_rnn"].check.__globals__["inputs"]()
    mine = book.train_rnn(params, X, Y, 0.5, 3, threshold, 2)
    ref = ex.EXERCISES["train_rnn"].reference(params, X, Y, 0.5, 3, threshold, 2)
    for a, b in zip(mine, ref, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


def test_a_stub_is_not_saved_and_removes_an_earlier_save(path, capsys):
    solved_through(1, path, capsys)
    assert "make_windows" in path.read_text()
    book = ex.workbook(1, path)
    book.check("make_windows", lambda s, T: None)
    capsys.readouterr()
    book.save()
    assert lines(capsys) == [
        "make_windows: not saved, yours is not done yet; notebooks 02-05 will use rnnlib's"]
    assert "make_windows" not in path.read_text()


def test_with_nothing_to_save_no_file_is_created(path, capsys):
    ex.workbook(4, path).save()
    assert lines(capsys)[-1] == ("clip_gradients: not saved, yours is not done yet; notebook 05 "
                                 "will use rnnlib's")
    assert not path.exists()


def test_save_says_where_the_function_goes(path, capsys):
    book = ex.workbook(4, path)
    book.check("clip_gradients", sol.clip_gradients)
    capsys.readouterr()
    book.save()
    assert lines(capsys) == ["saved your clip_gradients in my_rnn.py: notebook 05 will use it"]


def test_a_renamed_function_is_saved_under_the_pieces_name(path, capsys):
    book = ex.workbook(2, path)
    book.check("forward_step", sol.forward_step)  # def forward_step: same name
    book.check("rnn_forward", sol.rnn_forward)
    book.save()
    other = ex.workbook(3, path)
    assert other.owner("rnn_forward") == "yours"


def test_a_lambda_cannot_be_saved_and_says_why(path, capsys):
    book = ex.workbook(4, path)
    book.check("clip_gradients", lambda grads, c: sol.clip_gradients(grads, c))
    capsys.readouterr()
    book.save()
    assert lines(capsys)[0].startswith("clip_gradients: not saved: its source cannot be read")


def test_a_stale_or_broken_file_falls_back_visibly(path, capsys):
    path.write_text(
        "# === make_windows (notebook 01) ===\n"
        "def make_windows(series, T):\n    return series[T:], series[:T]\n"
        "# === forward_step (notebook 02) ===\n"
        "def forward_step(x_t, h_prev, U, W, b)\n    return 1\n"
        "# === rnn_forward (notebook 02) ===\n"
        "rnn_forward = 3\n"
        "# === mse_loss (notebook 03) ===\n"
        "def mse_loss(Y_hat, Y):\n    return helper(Y_hat, Y)\n")
    book = ex.workbook(4, path)
    out = lines(capsys)
    assert out[1].startswith("  make_windows (notebook 01): rnnlib's, yours, saved in my_rnn.py, "
                             "no longer passes its check (FAIL: ")
    assert out[2] == ("  forward_step (notebook 02): rnnlib's, yours could not be read from "
                      "my_rnn.py (SyntaxError)")
    assert out[3] == ("  rnn_forward (notebook 02): rnnlib's, yours could not be read from "
                      "my_rnn.py (TypeError)")
    assert out[4].startswith("  mse_loss (notebook 03): rnnlib's, yours, saved in my_rnn.py, "
                             "no longer passes its check (FAIL: your function raised NameError")
    for name in ("make_windows", "forward_step", "rnn_forward", "mse_loss"):
        assert getattr(book, name) is ex.EXERCISES[name].reference


def test_an_unreadable_file_falls_back(path, capsys):
    path.write_bytes(b"\xff\xfe\x00garbage")
    book = ex.workbook(2, path)
    assert lines(capsys)[1] == ("  my_rnn.py could not be read (UnicodeDecodeError): rnnlib's "
                                "versions are used")
    assert book.owner("make_windows") == "rnnlib's"


def test_the_file_defaults_to_the_working_folder_unless_the_environment_names_one(monkeypatch):
    monkeypatch.delenv(wb.ENVIRONMENT, raising=False)
    assert str(ex.learner_file()) == "my_rnn.py"
    monkeypatch.setenv(wb.ENVIRONMENT, "/somewhere/mine.py")
    assert str(ex.learner_file()) == "/somewhere/mine.py"


def test_every_notebook_has_exercises_and_there_are_at_least_eight():
    per_notebook = {n: [e for e in ex.EXERCISES.values() if e.notebook == n] for n in range(1, 6)}
    assert all(per_notebook.values())
    assert len(ex.EXERCISES) >= 8


@pytest.mark.parametrize(("notebook", "error", "message"), [
    (0, ValueError, "notebook must be one of the course's notebooks, 1 to 9, got 0"),
    (99, ValueError, "notebook must be one of the course's notebooks, 1 to 9, got 99"),
    ("3", TypeError, "notebook must be the notebook's number, an int from 1 to 9, got str '3'"),
    (True, TypeError, "notebook must be the notebook's number, an int from 1 to 9, got bool True"),
    (2.0, TypeError, "got float 2.0"),
])
def test_a_workbook_of_no_notebook_is_refused(path, notebook, error, message):
    with pytest.raises(error, match=re.escape(message)):
        ex.workbook(notebook, path)


def test_check_with_something_else_than_a_function_does_not_blame_the_learners_function(path, capsys):
    book = ex.workbook(2, path)
    with pytest.raises(TypeError) as info:
        book.check("forward_step", sol.forward_step(*forward_inputs()))
    assert str(info.value).startswith('my.check("forward_step", ...) needs the function itself '
                                      "forward_step(x_t, h_prev, U, W, b) -> h_t (a def, passed by "
                                      "its name without brackets), got one array of shape (3, 4)")
    assert "your function" not in str(info.value)
    assert book.owner("forward_step") == "rnnlib's"
    with pytest.raises(ValueError, match="no exercise named 'forward'"):
        book.check("forward", sol.forward_step)


def forward_inputs():
    from rnnlib.exercises import forward

    return forward.step_inputs()


def test_the_gru_step_of_notebook_08_is_saved_and_checked_again_when_08_opens_again(path, capsys):
    book = ex.workbook(8, path)
    assert lines(capsys) == []  # 08 uses none of the pieces of 01-05
    book.check("gru_step", sol.gru_step)
    assert lines(capsys) == ["your gru_step — PASS: relative error < 1e-12 (must be < 1e-10)",
                             "from here on my.gru_step is your function"]
    book.save()
    assert lines(capsys) == ["saved your gru_step in my_rnn.py: notebook 08 checks it again "
                             "when you open it again",
                             "gru_step_backward: not saved, yours is not done yet; notebook 08 "
                             "will use rnnlib's when you open it again"]
    assert "# === gru_step (notebook 08) ===" in path.read_text()

    again = ex.workbook(8, path)
    assert lines(capsys) == [
        "Your functions saved by an earlier run of this notebook (my_rnn.py):",
        "  gru_step (notebook 08): yours, it passes its check"]
    assert again.owner("gru_step") == "yours"
    assert again.gru_step is not sol.gru_step  # read from the file and checked again


def test_a_saved_gru_step_that_no_longer_passes_falls_back(path, capsys):
    path.write_text("# === gru_step (notebook 08) ===\n"
                    "def gru_step(x_t, h_prev, U, W, b, b_n):\n    return h_prev\n")
    book = ex.workbook(8, path)
    out = lines(capsys)
    assert out[1].startswith("  gru_step (notebook 08): rnnlib's, yours, saved in my_rnn.py, no "
                             "longer passes its check (FAIL: ")
    assert book.owner("gru_step") == "rnnlib's"


def test_earlier_notebooks_keep_a_saved_gru_step(path, capsys):
    book = ex.workbook(8, path)
    book.check("gru_step", sol.gru_step)
    book.save()
    solved_through(1, path, capsys)
    assert "# === gru_step (notebook 08) ===" in path.read_text()
    assert "# === make_windows (notebook 01) ===" in path.read_text()
