"""The stored outputs of the notebooks that train hold under other CPUs' kernels (avx2, sse42).

See cpu_profiles.py for what the profiles are and how the runs overlap with the rest of the suite.
A failure lists the cells whose output differed: a printed digit that rounding can move.
"""

import re
import subprocess
import sys

import cpu_profiles
import pytest

pytestmark = pytest.mark.skipif(cpu_profiles.why_not_here() is not None,
                                reason=str(cpu_profiles.why_not_here()))

KERNEL_REPORT = """
from numpy.lib.introspect import opt_func_info
from threadpoolctl import threadpool_info
exp = opt_func_info(func_name="^exp$", signature="float64")["exp"]["dd"]["current"]
blas = [i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"]
print("exp", exp, "BLAS", *blas)
"""


@pytest.mark.parametrize("name", list(cpu_profiles.PROFILES))
def test_the_profile_selects_older_kernels(name):
    """The environment really changes what NumPy and OpenBLAS run (else the test below proves
    nothing)."""
    report = subprocess.run([sys.executable, "-c", KERNEL_REPORT], capture_output=True,
                            text=True, env=cpu_profiles.profile_env(name), check=True).stdout
    assert "X86_V4" not in report  # NumPy's float64 exp: no AVX-512 kernel
    if name == "sse42":
        assert "exp baseline" in report  # nor AVX2: the baseline (SSE4.2) one
    expected = cpu_profiles.PROFILES[name]["OPENBLAS_CORETYPE"]
    assert re.search(rf"BLAS {expected}\b", report, re.IGNORECASE), report


@pytest.mark.parametrize("name", list(cpu_profiles.PROFILES))
def test_notebooks_hold_under_profile(name):
    code, output = cpu_profiles.runs().result(name)
    failed = [line for line in output.splitlines() if line.startswith(("FAILED", "ERROR"))]
    summary = output.strip().splitlines()[-1] if output.strip() else "(no output)"
    assert code == 0, (f"pytest --nbval under the {name} profile: {summary}\n" + "\n".join(failed)
                       + "\n\n" + output[-6000:])
