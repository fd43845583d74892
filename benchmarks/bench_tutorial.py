"""Seconds for the tutorial's 25 epochs, reproduced bug for bug (rnnlib.tutorial).

Run: the article's data, hyper-parameters and initialisation (seed 0): 100 records of 50 steps,
100 hidden units, 25 epochs of per-record updates (2500 updates), with the per-epoch train and
validation losses the article prints. Also timed: the same without the losses, and notebook
06's first cell (seed 0 and its two twins with their losses, seeds 1-4 without). With
--literal, the slow statement-by-statement transcription rnnlib.tutorial.literal is timed too
(about a minute) and its results are compared with the fast ones.
Target (issue 20, the readable reproduction): 25 epochs <= 3 s.
Prints figures and ratios; asserts nothing (other people's jobs make the timings noisy).
Run: python benchmarks/bench_tutorial.py [--literal]
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from rnnlib import tutorial as tut

TARGET = 3.0
REPEATS = 5


def seconds(run, repeats: int = REPEATS) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def show(label: str, times: list[float]) -> float:
    median = statistics.median(times)
    print(f"{label:<42} median {median:6.3f} s   (min {min(times):.3f}, max {max(times):.3f}, "
          f"{len(times)} runs)")
    return median


def main() -> None:
    data = tut.tutorial_data()
    weights = tut.tutorial_init(np.random.default_rng(0))
    tut.train_tutorial(weights, data, n_epochs=1)  # warm up: imports, BLAS thread limit
    fast = show("25 epochs, with the per-epoch losses", seconds(
        lambda: tut.train_tutorial(weights, data)))
    show("25 epochs, without the losses", seconds(
        lambda: tut.train_tutorial_many([weights], data, track_loss=False)))
    seeds = [tut.tutorial_init(np.random.default_rng(s)) for s in range(7)]
    show("notebook 06: 3 runs with losses, 4 without", seconds(
        lambda: (tut.train_tutorial_many(seeds[:3], data),
                 tut.train_tutorial_many(seeds[3:], data, track_loss=False)), 1))
    verdict = "met" if fast <= TARGET else "NOT met"
    print(f"target: 25 epochs <= {TARGET:.1f} s: {verdict} ({fast / TARGET:.2f} of the budget)")

    if "--literal" in sys.argv:
        from rnnlib.tutorial.literal import literal_train

        start = time.perf_counter()
        train, val, *_ = literal_train(weights.U, weights.W, weights.V, data.X, data.Y,
                                       data.X_val, data.Y_val)
        slow = time.perf_counter() - start
        run = tut.train_tutorial(weights, data)
        first = np.max(np.abs(run.train_loss[:5] - train[:5]) / np.abs(train[:5]))
        print(f"literal transcription: {slow:.1f} s, {slow / fast:.0f}x the fast version's time; "
              f"largest relative difference of the losses over epochs 1-5: {first:.1e}; "
              f"epoch 7 (on the plateau, where rounding differences grow): "
              f"literal {train[6]:.2f}, fast {run.train_loss[6]:.2f}")


if __name__ == "__main__":
    main()
