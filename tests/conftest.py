"""Session set-up shared by the unit tests and the notebooks that `pytest --nbval` runs."""

import matplotlib

# On a new machine matplotlib builds its font cache on first use and, if that takes over 5 s,
# says so on stderr, which nbval would compare as a notebook cell's output. Build it here, once,
# before any notebook kernel starts.
matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402, F401
