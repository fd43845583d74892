"""pytest set-up for every run, whichever tests or notebooks it names.

The notebooks' exercises load the learner's saved functions from notebooks/my_rnn.py
(rnnlib.exercises.learner). Tests must see the course as a fresh clone does, every exercise a
stub, whatever a developer has solved in this checkout: the notebook kernels, which inherit this
environment, get a private, empty location instead.
"""

import os
import tempfile

os.environ.setdefault(
    "RNNLIB_MY_RNN", os.path.join(tempfile.mkdtemp(prefix="rnnlib-my-rnn-"), "my_rnn.py"))
