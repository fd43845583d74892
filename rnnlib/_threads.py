"""One BLAS thread for rnnlib's matrix products.

rnnlib's matrices are small (tens to a few hundred rows). For them a multi-threaded BLAS gains
little on an idle machine and loses badly on a busy one: measured on a 2-core machine whose other
core was busy, one forward pass of 100 records through 100 hidden units took 812 ms with
OpenBLAS's two threads and 57 ms with one, as its threads wait for each other. So the public
functions that run the recurrence (forward, backward, train, the tutorial's and the GRU's passes)
run inside one_blas_thread(). The limit holds for the process while the block runs and is undone
after it; it changes how many threads compute, not which kernels, so the results are the same.
"""

from __future__ import annotations

from functools import cache

from threadpoolctl import ThreadpoolController


@cache
def _controller() -> ThreadpoolController:
    # found once (it inspects the loaded libraries); entering a limit then takes about 20 us,
    # against about 500 us for threadpoolctl.threadpool_limits, which inspects them every time
    return ThreadpoolController()


def one_blas_thread():
    """A context manager inside which BLAS uses one thread."""
    return _controller().limit(limits=1, user_api="blas")
