"""Session set-up shared by the unit tests and the notebooks that `pytest --nbval` runs."""

import sys

import matplotlib

# On a new machine matplotlib builds its font cache on first use and, if that takes over 5 s,
# says so on stderr, which nbval would compare as a notebook cell's output. Build it here, once,
# before any notebook kernel starts.
matplotlib.use("Agg")
import cpu_profiles  # noqa: E402
import matplotlib.pyplot  # noqa: E402, F401
import pytest  # noqa: E402


@pytest.hookimpl(trylast=True)  # after -k and -m have deselected: only what will run counts
def pytest_collection_modifyitems(session, config, items):
    """Start the background runs and order the session so that the main line does the rest.

    Two runs start now and go on beside the main line, which has one core's worth of work (unit
    tests, then the notebooks, each in one kernel): the CPU-profile runs of the notebooks that
    train (tests/cpu_profiles.py) and the browser test of the sliders (tests/test_browser.py,
    JupyterLab and Chromium in a thread). Their tests only wait for the outcomes, so they come
    last: the browser's, then the profiles'."""
    def rank(item):
        name = item.path.name
        if name == "test_cpu_profiles.py":
            return 2
        return 1 if name.startswith("test_browser") else 0

    items.sort(key=rank)  # stable: the order within each group is kept
    browser = [item for item in items if item.path.name == "test_browser.py"
               and item.name.startswith("test_sliders_in_jupyterlab")]
    if browser:
        browser[0].module.start()  # JupyterLab and Chromium start now, in the background
    if any(item.path.name == "test_cpu_profiles.py"
           and item.name.startswith("test_notebooks_hold_under_profile") for item in items):
        cpu_profiles.start()


def pytest_sessionfinish(session, exitstatus):
    cpu_profiles.stop()
    browser = sys.modules.get("test_browser")
    if browser is not None:
        browser.stop()
