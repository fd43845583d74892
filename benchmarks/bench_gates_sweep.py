"""Notebook 08's verdict under tuning: updates to solve the adding problem, per cell, learning
rate and seed (issue 22, point 1).

Every run is rnnlib.memory.updates_to_solve: Adam, minibatches of 50 of 1000 training records
(20 updates per epoch), full BPTT, norm clipping at 1, stopped as soon as the test MSE (1000
other records) falls below 0.1 x the baseline's, else after BUDGET updates. The cells have about
as many weights: the plain tanh cell with H = 16 (321), the GRU with H = 8 (281), the LSTM with
H = 8 (361). The levers: the plain cell's W initialised to the identity (Le et al.'s IRNN
initialisation, here with tanh: rnnlib's plain cell has no ReLU) or to an orthogonal matrix; the
GRU's update-gate bias b_z = 1 and the LSTM's forget-gate bias b_f = 1 (towards keeping the state).

Writes benchmarks/gates_sweep.json (committed: notebook 08 prints its table, and
tests/test_memory.py re-runs one cheap entry and checks it agrees) and prints the table.
Sized for about 17 minutes on one core (five seeds). Run from the repository's root:
    nice -n 10 python benchmarks/bench_gates_sweep.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from rnnlib import memory
from rnnlib.settings import ADDING_RECORDS, SWEEP_BATCH, SWEEP_CLIP

OUT = Path(__file__).with_name("gates_sweep.json")
BUDGET = 6000
SEEDS = (0, 1, 2, 3, 4)
HIDDEN = {"plain": 16, "gru": 8, "lstm": 8}
GATED_RATES = (0.002, 0.005, 0.01, 0.04)
# (cell, init, gate_bias, d, learning rates): the main grid, then the levers. The LSTM's grid
# has the usual forget-gate bias 1; the levers compare it with 0, and the GRU's b_z = 1 with 0.
GRID = [
    ("plain", "uniform", 0.0, 40, (0.002, 0.005, 0.01)),
    ("gru", "uniform", 0.0, 40, GATED_RATES),
    ("lstm", "uniform", 1.0, 40, GATED_RATES),
    ("plain", "uniform", 0.0, 100, (0.002, 0.005)),
    ("gru", "uniform", 0.0, 100, (0.005, 0.01)),
    ("lstm", "uniform", 1.0, 100, (0.005, 0.01)),
]
LEVERS = [
    ("plain", "identity", 0.0, 40, (0.005,)),
    ("plain", "orthogonal", 0.0, 40, (0.005,)),
    ("lstm", "uniform", 0.0, 40, (0.01,)),
    ("gru", "uniform", 1.0, 100, (0.01,)),
]
DISTANCES = (40, 100)


def label(run: memory.SweepRun) -> str:
    extra = run.init if run.cell == "plain" else f"bias {run.gate_bias:g}"
    return f"{run.cell:5s} {extra:10s}"


def table(runs: list[memory.SweepRun]) -> str:
    """One row per (cell, lever, d, learning rate): updates to solve per seed ('-' = not within
    the budget, with the best ratio reached), median over seeds."""
    rows = {}
    for run in runs:
        rows.setdefault((label(run), run.d, run.learning_rate), []).append(run)
    lines = [f"cell  lever        d      lr   updates to solve, seeds {SEEDS} (- : not in "
             f"{BUDGET}; best test MSE / baseline)"]
    for (name, d, lr), group in rows.items():
        cells = []
        for run in sorted(group, key=lambda r: r.seed):
            cells.append(f"{run.solved_at:6d}" if run.solved_at is not None
                         else f"   - ({run.best:.2f}{', diverged' if run.diverged else ''})")
        lines.append(f"{name} {d:4d} {lr:7.3f}  " + "  ".join(cells))
    return "\n".join(lines)


def main() -> None:
    runs = []
    start = time.perf_counter()
    data = {d: memory.adding_task(d) for d in DISTANCES}
    settings = {"budget": BUDGET, "seeds": list(SEEDS), "hidden": HIDDEN,
                "batch_size": SWEEP_BATCH, "clip": SWEEP_CLIP, "solved": memory.SOLVED,
                "records": ADDING_RECORDS, "optimizer": "adam"}
    for cell, init, bias, d, rates in GRID + LEVERS:
        for lr in rates:
            for seed in SEEDS:
                run = memory.updates_to_solve(cell, d, lr, seed, budget=BUDGET,
                                              hidden=HIDDEN[cell], init=init, gate_bias=bias,
                                              data=data[d])
                runs.append(run)
                print(f"{label(run)} d={d:3d} lr={lr:.3f} seed={seed}: {run.solved_at} "
                      f"(best {run.best:.3f}) [{time.perf_counter() - start:.0f} s]",
                      file=sys.stderr, flush=True)
                memory.save_sweep(runs, OUT, settings)  # kept as it grows
    print(table(runs))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
