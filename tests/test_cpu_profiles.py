"""The stored outputs of the notebooks that train hold under other CPUs' kernels (avx2, sse42).

See cpu_profiles.py for what the profiles are and how the runs overlap with the rest of the suite.
A failure lists the cells whose output differed: a printed digit that rounding can move.
"""

import re

import cpu_profiles
import pytest

pytestmark = pytest.mark.skipif(cpu_profiles.why_not_here() is not None,
                                reason=str(cpu_profiles.why_not_here()))


@pytest.mark.parametrize("name", list(cpu_profiles.PROFILES))
def test_the_profile_selects_older_kernels(name):
    """The environment really changes what NumPy and OpenBLAS run (else the test below proves
    nothing)."""
    report = cpu_profiles.kernels(name)
    assert "X86_V4" not in report  # NumPy's float64 exp: no AVX-512 kernel
    if name == "sse42":
        assert "exp baseline" in report  # nor AVX2: the baseline (SSE4.2) one
    expected = cpu_profiles.PROFILES[name]["OPENBLAS_CORETYPE"]
    assert re.search(rf"BLAS {expected}\b", report, re.IGNORECASE), report


@pytest.mark.parametrize("name", list(cpu_profiles.PROFILES))
def test_notebooks_hold_under_profile(name):
    if cpu_profiles.same_as_native(name):
        pytest.skip(f"this machine's own kernels are the {name} profile's ({cpu_profiles.kernels(name)}):"
                    " the notebooks' own run in this session tests them")
    code, output = cpu_profiles.runs().result(name)
    failed = [line for line in output.splitlines() if line.startswith(("FAILED", "ERROR"))]
    lines = [line for line in output.splitlines() if line.strip()]
    summary = " ".join(lines[-2:]) if lines else "(no output)"
    print(f"{name} profile: {summary}")
    assert code == 0, (f"pytest --nbval under the {name} profile: {summary}\n" + "\n".join(failed)
                       + "\n\n" + output[-6000:])
