"""Session set-up shared by the unit tests and the notebooks that `pytest --nbval` runs.

Collecting (`pytest --collect-only`) starts nothing: it reads files and imports modules, and that
is all (tests/test_suite.py checks it; pytest-xdist, which pyproject.toml's addopts ask for with
`-n 2 --dist loadfile`, skips itself when only collecting). A run spreads the test files over two
worker processes, one per core, each notebook whole on one worker; the browser test starts its
JupyterLab and Chromium in its first test (tests/test_browser.py). The runs under other rounding
are a command of their own (tests/variants.py).
"""

import sys

import matplotlib
import pytest

# On a new machine matplotlib builds its font cache on first use and, if that takes over 5 s,
# says so on stderr, which nbval would compare as a notebook cell's output. Build it here, once,
# before any notebook kernel starts.
matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402, F401
from ordering import LONGEST_FIRST  # noqa: E402


def pytest_collection_modifyitems(session, config, items):
    """Order the files longest first (LONGEST_FIRST, then the rest as collected)."""
    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable otherwise


def pytest_sessionfinish(session, exitstatus):
    """End the browser test's JupyterLab and Chromium if they still run."""
    browser = sys.modules.get("test_browser")
    if browser is not None:
        browser.stop()


@pytest.fixture
def rnnlib_book(tmp_path):
    """For the exercise tests: the pieces in exercise_solutions call my.*, here rnnlib's
    versions in a workbook with a private file (use: pytest.mark.usefixtures("rnnlib_book"))."""
    import exercise_solutions

    from rnnlib import exercises

    exercise_solutions.bind(exercises.Workbook(5, path=tmp_path / "my_rnn.py"))
