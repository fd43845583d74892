"""The order in which the test files start, longest first, so that the two workers end together.

pytest-xdist gives each worker whole files (pyproject.toml: --dist loadfile) in the order of the
collection (--no-loadscope-reorder: otherwise it starts with the files that hold the most tests,
and the browser test, seven tests, ran last and alone). tests/conftest.py orders `pytest --nbval`
by this list; tests/variants.py passes the notebooks to pytest in this order (a run of
`notebooks` alone does not load tests/conftest.py).
"""

# the browser test (JupyterLab, Chromium, five kernels), then the notebooks that train longest;
# the unit tests fill the gaps
LONGEST_FIRST = ["test_browser.py", "05_training_and_evaluation.ipynb", "09_character_language_model.ipynb",
                 "06_fixing_the_tutorial.ipynb", "07_your_own_data.ipynb", "test_explorer.py",
                 "test_many_to_many.py", "03_backpropagation_through_time.ipynb",
                 "08_memory_and_gates.ipynb"]
