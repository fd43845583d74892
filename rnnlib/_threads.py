"""One BLAS thread for rnnlib's matrix products.

rnnlib's matrices are small (tens to a few hundred rows). For them a multi-threaded BLAS gains
little on an idle machine and loses badly on a busy one: measured on a 2-core machine whose other
core was busy, one forward pass of 100 records through 100 hidden units took 812 ms with
OpenBLAS's two threads and 57 ms with one, as its threads wait for each other. So the public
functions that run the recurrence (forward, backward, train, the tutorial's and the GRU's passes)
run inside one_blas_thread(). The limit holds for the process while any thread is inside such a
block and is undone when the last one leaves (a count under a lock: two threads that enter and
leave in any order never leave the process on one thread, nor undo the limit under the other);
it changes how many threads compute, not which kernels, so the results are the same.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from threadpoolctl import ThreadpoolController

_lock = threading.Lock()
_inside = 0  # threads inside one_blas_thread() now
_limiter = None  # what undoes the limit, while _inside > 0


@cache
def _controller() -> ThreadpoolController:
    # found once (it inspects the loaded libraries); entering a limit then takes about 20 us,
    # against about 500 us for threadpoolctl.threadpool_limits, which inspects them every time
    return ThreadpoolController()


@contextmanager
def one_blas_thread() -> Iterator[None]:
    """A context manager inside which BLAS uses one thread (re-entrant, and safe across threads)."""
    global _inside, _limiter
    with _lock:
        if _inside == 0:
            _limiter = _controller().limit(limits=1, user_api="blas")
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0:
                _limiter.restore_original_limits()
                _limiter = None
