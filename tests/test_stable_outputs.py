"""Notebooks 04 and 06 print only numbers that every machine prints.

Another CPU, NumPy build or BLAS library rounds some sums differently; a long or chaotic training
run amplifies that to the first digits. The rule (README, issue 9): a printed number is either
stable to its printed digits under a one-ulp change of the initial weights, or printed as a robust
fact that an assert cell checks. A one-ulp change (``np.nextafter``) stands in for another
machine here: these tests re-run the notebooks' long or chaotic runs from weights moved by one ulp
and check that (a) the digits the notebooks print stay the same (expected values: the notebooks'
stored outputs, or the un-moved run), and (b) the robust facts still hold, over every seed the
notebooks use.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import rnnlib
import rnnlib.tutorial as tut
from rnnlib.training import RECOMMENDED

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
SEEDS = [0, 1, 2, 3, 4]  # notebook 06's seeds
ABLATION_EPOCHS = 50  # notebook 06's


def stored_lines(notebook: str, cell_id: str) -> list[str]:
    """The stored stdout of one cell, as lines."""
    nb = json.loads((NOTEBOOKS / notebook).read_text(encoding="utf-8"))
    (cell,) = [c for c in nb["cells"] if c.get("id") == cell_id]
    text = "".join("".join(o["text"]) for o in cell["outputs"] if o.get("output_type") == "stream")
    return text.splitlines()


def ulp(weights: tut.TutorialWeights, direction: float) -> tut.TutorialWeights:
    return tut.TutorialWeights(*(np.nextafter(a, direction) for a in (weights.U, weights.W, weights.V)))


# --------------------------------------------------------------------------- notebook 06, tutorial


@pytest.fixture(scope="module")
def data() -> tut.TutorialData:
    return tut.tutorial_data()


@pytest.fixture(scope="module")
def moved_runs(data):
    """Seeds 0-4 with every initial weight moved one ulp down (the notebook's twin moves up).

    Only seed 0's per-epoch losses are printed (its plateau): the other seeds train without."""
    weights = [ulp(tut.tutorial_init(np.random.default_rng(s)), -np.inf) for s in SEEDS]
    return [*tut.train_tutorial_many(weights[:1], data),
            *tut.train_tutorial_many(weights[1:], data, track_loss=False)]


def test_tutorial_first_five_epochs_print_the_same_digits_after_a_one_ulp_change(data,
                                                                                 moved_runs):
    w0 = tut.tutorial_init(np.random.default_rng(0))
    order = np.random.default_rng(7).permutation(100)
    renumbered = tut.TutorialWeights(w0.U[order], w0.W[order][:, order], w0.V[:, order])
    # seed 0 moved one ulp down: the first five of moved_runs[0]'s 25 epochs
    runs = [*tut.train_tutorial_many([w0, ulp(w0, np.inf), renumbered], data, n_epochs=5),
            moved_runs[0]]

    def printed(run):
        train, val = run.train_loss[:5], run.val_loss[:5]
        return [f"{v:12.2f}" for v in (*train, *val)] + [f"{v:.0f}" for v in -np.diff(train)]

    for other in runs[1:]:
        assert printed(other) == printed(runs[0])
        assert np.max(np.abs(other.train_loss[:5] / runs[0].train_loss - 1)) < 1e-12
    # and they are the digits the notebook stores (the table's first five rows)
    table = stored_lines("06_fixing_the_tutorial.ipynb", "c03")[2:7]
    for e, line in enumerate(table):
        assert f"{runs[0].train_loss[e]:12.2f} {runs[0].val_loss[e]:12.2f}" in line


def test_tutorial_facts_of_notebook_06_hold_after_a_one_ulp_change(data, moved_runs):
    run = moved_runs[0]
    assert np.all((run.train_loss[6:] > 15) & (run.train_loss[6:] < 30))  # the plateau
    pred = tut.tutorial_predict(run.weights, data.X_val)
    rmse = rnnlib.rmse(data.Y_val, pred)
    assert 1.1 < rmse < 1.4
    assert np.corrcoef(pred[:, 0], data.Y_val[:, 0])[0, 1] < -0.8
    one_hot = tut.tutorial_predict(run.weights, data.X_val, inputs="one_hot")
    assert 0.6 < rnnlib.rmse(data.Y_val, one_hot) < 0.7
    assert 0.5 < rnnlib.rmse(data.Y_val, one_hot) / rmse < 0.6
    assert np.abs(one_hot).max() < 0.7


def test_seed_lottery_facts_hold_after_a_one_ulp_change(data, moved_runs):
    rmse, corr, one_hot = [], [], []
    for run in moved_runs:
        pred = tut.tutorial_predict(run.weights, data.X_val)
        rmse.append(rnnlib.rmse(data.Y_val, pred))
        corr.append(np.corrcoef(pred[:, 0], data.Y_val[:, 0])[0, 1])
        one_hot.append(rnnlib.rmse(data.Y_val, tut.tutorial_predict(run.weights, data.X_val,
                                                                    inputs="one_hot")))
    rmse = np.array(rmse)
    assert 0.5 < np.median(rmse) < 0.8
    assert rmse.max() > 3 * rmse.min()
    assert rmse.min() > 0.127191931509431  # the article's
    assert min(corr) < -0.8 and max(corr) > 0.9
    zero = rnnlib.rmse(data.Y_val, np.zeros_like(data.Y_val))
    assert abs(np.median(one_hot) - zero) < 0.15  # the ablation's step 2


# --------------------------------------------------------------------------- notebook 06, ablation


def ablation_scores(nudge: bool) -> dict[str, np.ndarray]:
    """Notebook 06's ablation steps 3-7 for seeds 0-4 (the same code), W moved one ulp if nudge."""
    R = RECOMMENDED
    wave = rnnlib.sine_series()
    tutorial_split = rnnlib.split_windows(wave, 50, 50, disjoint=False)
    disjoint_split = rnnlib.split_windows(wave, 50, 50)
    scaler = rnnlib.fit_scaler(wave[: tutorial_split.train_end])
    fixes = [
        ("+ correct gradients, working optimiser", tutorial_split, True, "sigmoid", "tutorial", scaler),
        ("+ small initialisation", tutorial_split, True, "sigmoid", "uniform", scaler),
        ("+ weight sharing (x_t into one U)", tutorial_split, False, "sigmoid", "uniform", scaler),
        ("+ tanh = the correct model", tutorial_split, False, "tanh", "uniform", scaler),
        ("+ disjoint split (stricter, half the data)", disjoint_split, False, "tanh", "uniform",
         rnnlib.fit_scaler(wave[: disjoint_split.train_end])),
    ]
    scores = {}
    for name, split, one_hot, activation, scheme, step_scaler in fixes:
        encode = tut.one_hot_inputs if one_hot else (lambda X: X)
        X = encode(step_scaler.transform(split.X_train))
        starts = [rnnlib.init_params(X.shape[2], R["hidden_size"], 1, np.random.default_rng(seed),
                                     scheme) for seed in SEEDS]
        for params in starts if nudge else []:
            params.W = np.nextafter(params.W, -np.inf)
        trained = [rnnlib.train(params, X, step_scaler.transform(split.Y_train),
                                learning_rate=R["learning_rate"], epochs=ABLATION_EPOCHS,
                                activation=activation, clipping=R["clipping"])
                   for params in starts]
        X_val = encode(step_scaler.transform(split.X_val))
        scores[name] = np.array([
            rnnlib.rmse(split.Y_val,
                        step_scaler.inverse_transform(rnnlib.predict(run.params, X_val, activation)))
            for run in trained])
    return scores


def test_ablation_table_prints_the_same_digits_after_a_one_ulp_change():
    stored = stored_lines("06_fixing_the_tutorial.ipynb", "c36")
    assert stored[0].endswith(f"epochs {ABLATION_EPOCHS}")  # the run the notebook stores
    scores = ablation_scores(nudge=True)
    for name, values in scores.items():
        line = f"{name:42s} {np.median(values):8.1e}   {values.min():8.1e} {values.max():8.1e}"
        assert line in stored, (line, stored)
    # the ablation's facts on the stable steps
    names = list(scores)
    median = {n: np.median(v) for n, v in scores.items()}
    assert np.all(scores[names[0]] > 0.705) and np.all(scores[names[1]] < 0.705)
    assert abs(median[names[2]] / median[names[1]] - 1) < 0.1
    assert scores[names[3]].max() * 10 < scores[names[2]].min()
    assert abs(median[names[4]] / median[names[3]] - 1) < 0.1


# --------------------------------------------------------------------------- notebook 04


def notebook_04_setup():
    series = rnnlib.sine_series(200)
    split = rnnlib.split_windows(series, 50, n_val=50)
    scaler = rnnlib.fit_scaler(series[: split.train_end])
    return scaler.transform(split.X_train), scaler.transform(split.Y_train)


def test_04_diverging_run_prints_the_same_digits_after_a_one_ulp_change():
    X, Y = notebook_04_setup()
    params = rnnlib.init_params(1, 16, 1, np.random.default_rng(0))
    stored = stored_lines("04_gradient_clipping.ipynb", "07ac8614")
    for direction in (np.inf, -np.inf):
        p = params.copy()
        p.W = np.nextafter(p.W, direction)
        h = rnnlib.train(p, X, Y, learning_rate=2.0, epochs=200, on_divergence="stop").history
        assert h.message in stored
        norms = ", ".join(f"{g:.2e}" for g in h.grad_norm)
        assert f"gradient norm, epochs 1 .. {h.epochs} : {norms}" in stored


@pytest.fixture(scope="module")
def clipped_04():
    """Notebook 04's clipped runs (learning rate 2, 100 epochs) for seeds 0-4, and seed 0's
    one-ulp twin."""
    X, Y = notebook_04_setup()
    starts = [rnnlib.init_params(1, 16, 1, np.random.default_rng(seed)) for seed in SEEDS]
    twin = starts[0].copy()
    twin.W = np.nextafter(twin.W, -np.inf)

    def histories(runs, rule):
        return [rnnlib.train(r, X, Y, learning_rate=2.0, epochs=100, clipping=rule).history
                for r in runs]

    loose = histories(starts, rnnlib.Clipping("norm", 1.0))
    *tight, tight_twin = histories([*starts, twin], rnnlib.Clipping("norm", 0.1))
    (by_value,) = histories([twin], rnnlib.Clipping("value", 0.1))
    return loose, tight, tight_twin, by_value


@pytest.mark.parametrize("seed", SEEDS)
def test_04_clipping_verdicts_hold_over_seeds_and_a_one_ulp_change(seed, clipped_04):
    # notebook 04's facts, for the seeds 0-4 of the small model's initial weights
    X, Y = notebook_04_setup()
    params = rnnlib.init_params(1, 16, 1, np.random.default_rng(seed))
    unclipped = rnnlib.train(params, X, Y, learning_rate=2.0, epochs=100,
                             on_divergence="stop").history
    assert unclipped.diverged_epoch <= 10
    loose, tight, tight_twin, by_value = clipped_04
    assert max(loose[seed].train_loss[-20:]) > loose[seed].initial_train_loss  # not converging
    assert max(tight[seed].train_loss[-20:]) < 0.02  # settled low
    if seed == 0:  # the notebook's start: also its twin, and value clipping (which settles low
        # for some other seeds: the notebook states it for this start only)
        assert abs(tight_twin.train_loss[-1] / tight[0].train_loss[-1] - 1) < 1e-6
        assert max(by_value.train_loss[-20:]) > by_value.initial_train_loss
