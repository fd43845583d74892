"""Session set-up shared by the unit tests and the notebooks that `pytest --nbval` runs."""

import matplotlib

# On a new machine matplotlib builds its font cache on first use and, if that takes over 5 s,
# says so on stderr, which nbval would compare as a notebook cell's output. Build it here, once,
# before any notebook kernel starts.
matplotlib.use("Agg")
import cpu_profiles  # noqa: E402
import matplotlib.pyplot  # noqa: E402, F401


def pytest_collection_modifyitems(session, config, items):
    """Move the CPU-profile checks to the end of the session and start their runs now, so that
    they run in the background while the rest of the suite does."""
    profile_items = [item for item in items if item.path.name == "test_cpu_profiles.py"]
    if not profile_items:
        return
    items[:] = [item for item in items if item not in profile_items] + profile_items
    if any(item.name.startswith("test_notebooks_hold_under_profile") for item in profile_items):
        cpu_profiles.start()


def pytest_sessionfinish(session, exitstatus):
    cpu_profiles.stop()
