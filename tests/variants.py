"""Run every notebook again under other rounding, and check that each stored output still matches.

    python tests/variants.py              # both: rounding-1 rounding-2
    python tests/variants.py rounding-2   # one of them

Each variant is the command `pytest --nbval notebooks` in an environment of its own, one after the
other (each spreads the notebooks over the cores itself: pyproject.toml's `-n auto`; the script
names the notebooks longest first, tests/ordering.py, so that both cores end together); the script
prints each one's summary and exits non-zero if any failed.

Why. NumPy and OpenBLAS choose their SIMD kernels at run time, different kernels round the last
bits of a result differently, and a long or chaotic training run amplifies that to the first digits.
The stored outputs must hold on every CPU by construction (README, "The same digits on every CPU").
Each variant changes the rounding in two ways at once:

- a moved start: `RNNLIB_INIT_JITTER=1` (and 2) moves every initial weight that rnnlib draws
  (plain cell, GRU, the tutorial's model, the explorer's) by a relative 1e-12 in a random
  direction (rnnlib/rounding.py). A status word, a verdict or a digit that this changes sits on a
  knife edge, whatever CPU the stored outputs were made on.
- older kernels (x86-64 only): NumPy without its AVX-512 kernels and OpenBLAS's Haswell kernels
  (avx2), or without AVX2 too and OpenBLAS's Sandybridge kernels (sse42), make any x86-64 machine
  round like an older CPU in every operation, not only in the initial weights: this catches digits
  of computations that start from no random weight (a matrix product of fixed arrays, a tanh of
  a fixed series), which a moved start leaves alone. Where the avx2 profile selects this machine's
  own kernels (a CPU without AVX-512), rounding-1 is the moved start alone; off x86-64 both are.

The README's test command runs this machine's own kernels from the stored starts; with the two
variants, every notebook is checked at three rounding points. Alone, a moved start is one command
too, e.g. `RNNLIB_INIT_JITTER=1 pytest --nbval notebooks`.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

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
# variant -> (the jitter's direction, the kernel profile)
VARIANTS = {"rounding-1": ("1", "avx2"), "rounding-2": ("2", "sse42")}
TIMEOUT = 900  # seconds per variant

# What a process runs with: NumPy's float64 exp kernel and OpenBLAS's kernel family.
KERNEL_REPORT = """
from numpy.lib.introspect import opt_func_info
from threadpoolctl import threadpool_info
exp = opt_func_info(func_name="^exp$", signature="float64")["exp"]["dd"]["current"]
blas = [i.get("architecture") for i in threadpool_info() if i.get("internal_api") == "openblas"]
print("exp", exp, "BLAS", *blas)
"""


def on_x86() -> bool:
    return platform.machine().lower() in {"x86_64", "amd64"}


def environment(name: str) -> dict[str, str]:
    """The environment of variant `name`: its moved start, and its kernel profile on x86-64."""
    jitter, profile = VARIANTS[name]
    return {**os.environ, "RNNLIB_INIT_JITTER": jitter, **(PROFILES[profile] if on_x86() else {})}


def kernels(env: dict[str, str]) -> str:
    """The kernel report of a Python process started with `env`."""
    return subprocess.run([sys.executable, "-c", KERNEL_REPORT], capture_output=True, text=True,
                          env=env, check=True, timeout=120).stdout.strip()


def kernel_note(name: str) -> str:
    """Which kernels variant `name` runs. Raises if its profile fails to select the older
    kernels it names (not this machine's own): then the run would not test them."""
    profile = VARIANTS[name][1]
    if not on_x86():
        return f"this machine's own kernels (the profiles are x86-64's; this is {platform.machine()})"
    report, native = kernels(environment(name)), kernels(dict(os.environ))
    if report == native:
        return f"{report}, this machine's own: the moved start alone"
    wanted = PROFILES[profile]["OPENBLAS_CORETYPE"].lower()
    if "X86_V4" in report or (profile == "sse42" and "exp baseline" not in report) \
            or f"blas {wanted}" not in report.lower():
        raise RuntimeError(f"the {profile} profile did not select the older kernels: {report}")
    return f"{report}, the {profile} profile"


def notebooks_longest_first() -> list[str]:
    """notebooks/*.ipynb, the longest first (tests/ordering.py), then by name: pytest collects
    its arguments in the order given, and the two workers then end together (by name, notebook
    09 would start last and run alone)."""
    from ordering import LONGEST_FIRST

    rank = {name: i for i, name in enumerate(LONGEST_FIRST)}
    paths = sorted((ROOT / "notebooks").glob("*.ipynb"), key=lambda p: (rank.get(p.name, len(rank)), p.name))
    return [str(p.relative_to(ROOT)) for p in paths]


def run(name: str) -> tuple[int, str]:
    """(exit code, what to print) of `pytest --nbval notebooks` under variant `name`."""
    began = time.monotonic()
    note = kernel_note(name)
    command = [sys.executable, "-m", "pytest", "--nbval", "-q", "--color=no", "-p", "no:cacheprovider",
               *notebooks_longest_first()]
    try:
        done = subprocess.run(command, cwd=ROOT, env=environment(name), capture_output=True,
                              text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return 1, f"{name}: timed out after {TIMEOUT} s"
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    failed = [line for line in lines if line.startswith(("FAILED", "ERROR"))]
    summary = lines[-1] if lines else "(no output)"
    text = (f"{name} (RNNLIB_INIT_JITTER={VARIANTS[name][0]}; {note}): {summary} "
            f"({time.monotonic() - began:.0f} s)")
    if done.returncode != 0:
        text += "\n" + "\n".join(failed) + "\n" + done.stdout[-8000:] + done.stderr[-2000:]
    return done.returncode, text


def main(argv: list[str]) -> int:
    names = argv or list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        print(f"unknown variant(s) {unknown}; choose from {list(VARIANTS)}", file=sys.stderr)
        return 2
    codes = []
    for name in names:
        code, text = run(name)
        print(text, flush=True)
        codes.append(code)
    held = [n for n, c in zip(names, codes, strict=True) if c == 0]
    print(f"the stored outputs held under {len(held)} of the {len(names)} variants: "
          f"{', '.join(held) or 'none'}")
    return 1 if any(codes) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
