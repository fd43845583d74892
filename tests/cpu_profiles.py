"""Run the notebooks that train under other CPUs' kernels, in the background of the test session.

NumPy and OpenBLAS choose their SIMD kernels at run time, and different kernels round the last bits
of a result differently; a long training run can amplify that to the first digits. The stored
outputs must therefore hold on every CPU. Two environments make any x86-64 machine take the
kernels of older CPUs (see ../shared/TOOLING.md of the project and the README):

- avx2:  NumPy without its AVX-512 kernels, OpenBLAS's Haswell kernels (an AVX-512 host then
  computes like an AVX2 host);
- sse42: NumPy without its AVX2 and AVX-512 kernels, OpenBLAS's Sandybridge kernels.

`pytest --nbval` of the notebooks from 03 on is run once per profile in a child process. The runs
start in background threads as soon as the session has collected them (conftest.py), side by side,
while the rest of the suite runs; tests/test_cpu_profiles.py waits for them
at the end of the session. A profile whose kernels are this machine's own (the avx2 profile on a
CPU without AVX-512) is not run again: the session's own run of the notebooks tests those kernels.
"""

from __future__ import annotations

import contextlib
import functools
import os
import platform
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PROFILES = {
    "avx2": {
        "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
        "OPENBLAS_CORETYPE": "Haswell",
    },
    "sse42": {
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
        "OPENBLAS_CORETYPE": "Sandybridge",
    },
}
# set in the child runs, so that they never start runs of their own
CHILD_MARK = "RNNLIB_CPU_PROFILE"
TIMEOUT = 600  # seconds per profile
NICENESS = 10  # as the browser test's background work (browser_helpers.BACKGROUND_NICENESS)


def training_notebooks() -> list[Path]:
    """The notebooks that train a model: 03 onwards."""
    return sorted(p for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.name >= "03")


def why_not_here() -> str | None:
    """Why the profiles cannot be simulated on this machine, or None if they can."""
    if os.environ.get(CHILD_MARK):
        return f"inside the {os.environ[CHILD_MARK]} profile's own run"
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return (f"the profiles select x86-64 kernels; this machine is {platform.machine()} "
                "(its own kernels are tested by the rest of the suite)")
    return None


def profile_env(name: str | None) -> dict[str, str]:
    """The environment of a child run under profile `name` (None: this machine's own kernels)."""
    env = dict(os.environ)
    if name is not None:
        env.update(PROFILES[name])
        env[CHILD_MARK] = name
    return env


# What a process runs with: NumPy's float64 exp kernel and OpenBLAS's kernel family.
KERNEL_REPORT = """
from numpy.lib.introspect import opt_func_info
from threadpoolctl import threadpool_info
exp = opt_func_info(func_name="^exp$", signature="float64")["exp"]["dd"]["current"]
blas = [i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"]
print("exp", exp, "BLAS", *blas)
"""


@functools.cache
def kernels(name: str | None) -> str:
    """The kernel report of a process under profile `name` (None: no profile)."""
    return subprocess.run([sys.executable, "-c", KERNEL_REPORT], capture_output=True, text=True,
                          env=profile_env(name), check=True, timeout=60).stdout.strip()


def same_as_native(name: str) -> bool:
    """Whether profile `name` selects the kernels this machine runs anyway."""
    return kernels(name) == kernels(None)


class ProfileRuns:
    """The background runs: `result(name)` waits for one and returns (exit code, output)."""

    def __init__(self) -> None:
        self._results: dict[str, tuple[int, str]] = {}
        self._done = {name: threading.Event() for name in PROFILES}
        self._processes: dict[str, subprocess.Popen] = {}
        self._stopped = False
        # one thread per profile: where both run (an AVX-512 host) they run at the same time and
        # share whatever the main line leaves of the machine, rather than one after the other
        for name in PROFILES:
            threading.Thread(target=self._run_one, args=(name,), daemon=True).start()

    def _run_one(self, name: str) -> None:
        try:
            if same_as_native(name):
                self._results[name] = (0, f"not run: {kernels(name)} is this machine's own")
            else:
                self._results[name] = self._run(name)
        finally:
            self._done[name].set()

    def _run(self, name: str) -> tuple[int, str]:
        if self._stopped:
            return -1, "not run: the session ended first"
        began = time.monotonic()
        notebooks = [str(p.relative_to(ROOT)) for p in training_notebooks()]
        command = [sys.executable, "-m", "pytest", "--nbval", "-q", "--color=no", "-p", "no:cacheprovider",
                   *notebooks]
        process = self._processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=profile_env(name), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True,
        )
        # below the main line's priority: it takes what the unit tests and notebooks leave (its
        # kernels, started later, inherit this)
        with contextlib.suppress(psutil.Error, OSError):
            psutil.Process(process.pid).nice(
                psutil.BELOW_NORMAL_PRIORITY_CLASS if sys.platform == "win32" else NICENESS)
        try:
            output, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
            return -1, f"timed out after {TIMEOUT} s\n{output}"
        return process.returncode, f"{output}\n{name}: {time.monotonic() - began:.0f} s in all\n"

    def result(self, name: str) -> tuple[int, str]:
        self._done[name].wait()
        return self._results[name]

    def stop(self) -> None:
        self._stopped = True
        for process in list(self._processes.values()):
            if process.poll() is None:
                process.kill()


_runs: ProfileRuns | None = None


def start() -> None:
    """Start the background runs (once per session)."""
    global _runs
    if _runs is None and why_not_here() is None:
        _runs = ProfileRuns()


def runs() -> ProfileRuns:
    start()
    assert _runs is not None
    return _runs


def stop() -> None:
    if _runs is not None:
        _runs.stop()
