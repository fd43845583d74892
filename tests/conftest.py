"""Session set-up shared by the unit tests and the notebooks that `pytest --nbval` runs.

Collecting (`pytest --collect-only`) starts nothing: it reads files and imports modules, and that
is all (tests/test_suite.py checks it). When the tests run and the browser test is among them, its
JupyterLab and Chromium start as the run begins, in a thread, so that they work on the second core
while the unit tests and notebooks run one after the other on the first; the browser tests come
last and each waits for its notebook's outcome (tests/test_browser.py). Run alone, the browser
test starts the same run itself. The runs under other rounding are a command of their own
(tests/variants.py).
"""

import sys

import matplotlib
import pytest

# On a new machine matplotlib builds its font cache on first use and, if that takes over 5 s,
# says so on stderr, which nbval would compare as a notebook cell's output. Build it here, once,
# before any notebook kernel starts.
matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402, F401


def browser_items(items):
    return [item for item in items if item.path.name == "test_browser.py"
            and item.name.startswith("test_sliders_in_jupyterlab")]


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: only what will run counts
def pytest_collection_modifyitems(session, config, items):
    """The browser tests last (they wait for a run that goes on beside the others)."""
    waiting = set(browser_items(items))
    items.sort(key=lambda item: item in waiting)  # stable: every other order is kept


def pytest_runtestloop(session):
    """As the tests begin to run (never when only collecting): start the browser run."""
    if not session.config.option.collectonly:
        found = browser_items(session.items)
        if found:
            found[0].module.start()


def pytest_sessionfinish(session, exitstatus):
    """End the browser test's JupyterLab and Chromium if they still run."""
    browser = sys.modules.get("test_browser")
    if browser is not None:
        browser.stop()
