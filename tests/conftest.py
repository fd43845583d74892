"""Session set-up shared by the unit tests and the notebooks that `pytest --nbval` runs.

Nothing starts here: collecting (`pytest --collect-only`) reads files and imports modules, and
that is all. The browser test starts its JupyterLab and Chromium when its first test runs
(tests/test_browser.py); the runs under other rounding are a separate command
(tests/variants.py).
"""

import sys

import matplotlib

# On a new machine matplotlib builds its font cache on first use and, if that takes over 5 s,
# says so on stderr, which nbval would compare as a notebook cell's output. Build it here, once,
# before any notebook kernel starts.
matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402, F401


def pytest_sessionfinish(session, exitstatus):
    """End the browser test's JupyterLab and Chromium if a test started them and they still run."""
    browser = sys.modules.get("test_browser")
    if browser is not None:
        browser.stop()
