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
    """Order the session so that the CPU-profile runs overlap with single-threaded work.

    The profile runs (tests/cpu_profiles.py) start now, in the background, and keep one core
    busy; meanwhile the unit tests and the notebooks run on the other. The browser tests, which
    use both cores (Chromium, JupyterLab and a kernel), come after the notebooks, and the checks
    of the profile runs' results last. JupyterLab for the browser test is launched now, in the
    background too (tests/test_browser.py, prelaunch)."""
    def rank(item):
        name = item.path.name
        if name == "test_cpu_profiles.py":
            return 2
        return 1 if name.startswith("test_browser") else 0

    items.sort(key=rank)  # stable: the order within each group is kept
    browser = [item for item in items if item.path.name == "test_browser.py"
               and item.name.startswith("test_sliders_in_jupyterlab")]
    if browser:
        browser[0].module.prelaunch()  # JupyterLab starts now, in the background
    if any(item.path.name == "test_cpu_profiles.py"
           and item.name.startswith("test_notebooks_hold_under_profile") for item in items):
        cpu_profiles.start()


def pytest_sessionfinish(session, exitstatus):
    cpu_profiles.stop()
    browser = sys.modules.get("test_browser")
    if browser is not None:
        browser.stop_prelaunched()
