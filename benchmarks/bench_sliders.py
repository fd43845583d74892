"""Seconds per slider change for the course's three slider views (rnnlib.analysis, rnnlib.views).

A slider change runs the view's computation (training the small model), formats its text and
draws its figure to PNG with the Agg backend (slider_png: the view's one figure, redrawn where
the result changes it): exactly what the widgets' callback does, minus sending the output to the
browser. Budget (issue "One core for every cell"): <= 0.3 s per change on the course's 2-core
machine. Each setting is
timed `REPEATS` times; the median is printed, split into compute (result + text) and draw
(figure + PNG), with the process's CPU time (less sensitive to other jobs than the wall-clock
total), and the worst median of each view (wall clock and CPU) and overall.
The first call of a process also imports matplotlib, builds the view's figure and, for the
truncation view, trains the full-BPTT reference curve once (cached): it is timed and printed
separately as "first call".
Prints figures; asserts nothing (other people's jobs make the timings noisy).
Run: python benchmarks/bench_sliders.py
"""

from __future__ import annotations

import os
import statistics
import time

os.environ.setdefault("MPLBACKEND", "Agg")

from rnnlib import analysis  # noqa: E402
from rnnlib.views import explorer, learning_rate, truncation  # noqa: E402

BUDGET = 0.3
REPEATS = 3

VIEWS = {
    "truncation": (
        lambda k: analysis.truncation_result(k),
        truncation.format_truncation,
        truncation.slider_png,
        [(1,), (2,), (5,), (10,), (25,), (50,)],
    ),
    "learning rate": (
        lambda lr, c: analysis.learning_rate_result(lr, c),
        learning_rate.format_learning_rate,
        learning_rate.slider_png,
        [(1e-3, 1.0), (0.1, 1.0), (1.0, 1.0), (3.0, 1.0), (10.0, 1.0), (100.0, 100.0),
         (0.3, 0.01)],
    ),
    "explorer": (
        lambda k, lr: analysis.explorer_result(k, lr),
        explorer.format_explorer,
        explorer.slider_png,
        [(10, 0.1), (1, 0.1), (50, 0.3), (5, 1e-3), (10, 3.0), (50, 100.0)],
    ),
}


def slider_change(compute, fmt, plot, args) -> tuple[float, float, float]:
    """(compute seconds, draw seconds, CPU seconds of this process) for one slider change."""
    analysis.clear_results()  # a value the slider has not shown yet: the view computes
    cpu = time.process_time()
    start = time.perf_counter()
    result = compute(*args)
    fmt(result)
    middle = time.perf_counter()
    plot(result)
    end = time.perf_counter()
    return middle - start, end - middle, time.process_time() - cpu


def main() -> None:
    print(f"slider views: time per slider change, median of {REPEATS}, budget {BUDGET:.2f} s")
    print(f"cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f} (1 min)")
    worst_all = 0.0
    for name, (compute, fmt, plot, settings) in VIEWS.items():
        first = sum(slider_change(compute, fmt, plot, settings[0])[:2])
        print(f"\n{name}: first call (imports, caches) {first:.3f} s")
        print(f"  {'setting':<22}{'compute':>9}{'draw':>9}{'total':>9}{'cpu':>9}")
        worst = worst_cpu = 0.0
        for args in settings:
            runs = [slider_change(compute, fmt, plot, args) for _ in range(REPEATS)]
            c = statistics.median(r[0] for r in runs)
            d = statistics.median(r[1] for r in runs)
            total = statistics.median(r[0] + r[1] for r in runs)
            cpu = statistics.median(r[2] for r in runs)
            worst = max(worst, total)
            worst_cpu = max(worst_cpu, cpu)
            setting = ", ".join(f"{a:g}" for a in args)
            flag = "" if total <= BUDGET else "  over budget"
            print(f"  {setting:<22}{c:>9.3f}{d:>9.3f}{total:>9.3f}{cpu:>9.3f}{flag}")
        print(f"  max {worst:.3f} s, cpu {worst_cpu:.3f} s (budget {BUDGET:.2f} s)")
        worst_all = max(worst_all, worst)
    print(f"\nmax over all views: {worst_all:.3f} s per slider change (budget {BUDGET:.2f} s)")
    print(f"load average now {os.getloadavg()[0]:.2f} (1 min)")


if __name__ == "__main__":
    main()
