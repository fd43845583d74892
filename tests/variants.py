"""Run every notebook again under other rounding, and check that each stored output still matches.

    python tests/variants.py              # all: rounding-1 rounding-2 avx2 sse42
    python tests/variants.py rounding     # rounding-1 and rounding-2
    python tests/variants.py profiles     # avx2 and sse42
    python tests/variants.py sse42        # one of them

Each variant is the command `pytest --nbval notebooks` in an environment of its own, one after the
other (each spreads the notebooks over the cores itself: pyproject.toml's `-n auto`; the script
names the notebooks longest first, tests/ordering.py, so that both cores end together); the script
prints each one's summary and exits non-zero if any failed.

Why. NumPy and OpenBLAS choose their SIMD kernels at run time, different kernels round the last
bits of a result differently, and a long or chaotic training run amplifies that to the first digits.
The stored outputs must hold on every CPU by construction (README, "The same digits on every CPU"):

- rounding-1, rounding-2: `RNNLIB_INIT_JITTER=1` (and 2) moves every initial weight that rnnlib
  draws (plain cell, GRU, the tutorial's model, the explorer's) by a relative 1e-12 in a random
  direction (rnnlib/rounding.py). A status word, a verdict or a digit that this changes sits on a
  knife edge, whatever CPU the stored outputs were made on.
- avx2, sse42: NumPy without its AVX-512 (and AVX2) kernels and OpenBLAS's Haswell (Sandybridge)
  kernels make any x86-64 machine round like an older CPU, in every operation, not only in the
  initial weights: this catches digits of computations that do not start from random weights.
  Skipped, with the reason, off x86-64 and where a profile selects this machine's own kernels
  (avx2 on a CPU without AVX-512).

Alone, each variant is one command too, e.g. `RNNLIB_INIT_JITTER=1 pytest --nbval notebooks`.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDING = {
    "rounding-1": {"RNNLIB_INIT_JITTER": "1"},
    "rounding-2": {"RNNLIB_INIT_JITTER": "2"},
}
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
VARIANTS = {**ROUNDING, **PROFILES}
GROUPS = {"rounding": list(ROUNDING), "profiles": list(PROFILES)}
TIMEOUT = 900  # seconds per variant

# What a process runs with: NumPy's float64 exp kernel and OpenBLAS's kernel family.
KERNEL_REPORT = """
from numpy.lib.introspect import opt_func_info
from threadpoolctl import threadpool_info
exp = opt_func_info(func_name="^exp$", signature="float64")["exp"]["dd"]["current"]
blas = [i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"]
print("exp", exp, "BLAS", *blas)
"""


def environment(name: str) -> dict[str, str]:
    return {**os.environ, **VARIANTS[name]}


def kernels(env: dict[str, str]) -> str:
    """The kernel report of a Python process started with `env`."""
    return subprocess.run([sys.executable, "-c", KERNEL_REPORT], capture_output=True, text=True,
                          env=env, check=True, timeout=120).stdout.strip()


def why_not(name: str) -> str | None:
    """Why variant `name` is not run here (None: it is run). Raises if a profile fails to select
    the older kernels it names: then its run would prove nothing."""
    if name not in PROFILES:
        return None
    if platform.machine().lower() not in {"x86_64", "amd64"}:
        return f"the profiles select x86-64 kernels; this machine is {platform.machine()}"
    report, native = kernels(environment(name)), kernels(dict(os.environ))
    if report == native:
        return f"{report} is this machine's own: the README's test command runs it"
    wanted = PROFILES[name]["OPENBLAS_CORETYPE"].lower()
    if "X86_V4" in report or (name == "sse42" and "exp baseline" not in report) \
            or f"blas {wanted}" not in report.lower():
        raise RuntimeError(f"the {name} profile did not select the older kernels: {report}")
    return None


def notebooks_longest_first() -> list[str]:
    """notebooks/*.ipynb, the longest first (tests/ordering.py), then by name: pytest collects
    its arguments in the order given, and the two workers then end together (by name, notebook
    09 would start last and run alone)."""
    from ordering import LONGEST_FIRST

    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"), key=lambda p: (rank.get(p.name, len(rank)), p.name))
    return [str(p.relative_to(ROOT)) for p in paths]


def run(name: str) -> tuple[str, int | None, str]:
    """(name, exit code or None if not run here, what to print) of `pytest --nbval notebooks`
    under variant `name`."""
    began = time.monotonic()
    reason = why_not(name)
    if reason is not None:
        return name, None, f"{name}: not run: {reason}"
    command = [sys.executable, "-m", "pytest", "--nbval", "-q", "--color=no", "-p", "no:cacheprovider",
               *notebooks_longest_first()]
    try:
        done = subprocess.run(command, cwd=ROOT, env=environment(name), capture_output=True,
                              text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return name, 1, f"{name}: timed out after {TIMEOUT} s"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    summary = lines[-1] if lines else "(no output)"
    settings = " ".join(f"{k}={v!r}" for k, v in VARIANTS[name].items())
    text = f"{name} ({settings}): {summary} ({time.monotonic() - began:.0f} s)"
    if done.returncode != 0:
        text += "\n" + "\n".join(failed) + "\n" + done.stdout[-8000:] + done.stderr[-2000:]
    return name, done.returncode, text


def main(argv: list[str]) -> int:
    names = [n for arg in (argv or ["rounding", "profiles"]) for n in GROUPS.get(arg, [arg])]
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        print(f"unknown variant(s) {unknown}; choose from {[*GROUPS, *VARIANTS]}", file=sys.stderr)
        return 2
    codes = []
    for name in names:
        _, code, text = run(name)
        print(text, flush=True)
        codes.append(code)
    ran = [(n, c) for n, c in zip(names, codes, strict=True) if c is not None]
    held = [n for n, c in ran if c == 0]
    print(f"the stored outputs held under {len(held)} of the {len(ran)} variants run here: "
          f"{', '.join(held) or 'none'}")
    return 1 if any(c != 0 for _, c in ran) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
