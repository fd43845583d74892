"""Session set-up shared by the unit tests and the notebooks that `pytest --nbval` runs."""

import os
import tempfile

import matplotlib

# On a new machine matplotlib builds its font cache on first use and, if that takes over 5 s,
# says so on stderr, which nbval would compare as a notebook cell's output. Build it here, once,
# before any notebook kernel starts.
matplotlib.use("Agg")
import matplotlib.pyplot  # noqa: E402, F401

# The notebooks' exercises load the learner's saved functions from notebooks/my_rnn.py. Tests
# must see the course as a fresh clone does (every exercise a stub), whatever a developer solved
# in this checkout: the notebook kernels, which inherit this environment, use a private file.
os.environ.setdefault(
    "RNNLIB_MY_RNN", os.path.join(tempfile.mkdtemp(prefix="rnnlib-my-rnn-"), "my_rnn.py"))
