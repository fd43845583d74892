"""How the course's recommended configuration was chosen, its scores over seeds, and its time.

Data: the tutorial's series sin(0..199) and 100 more values held out for test, sin(0..299),
windows of 50, split_windows(..., n_val=50, n_test=50) (disjoint: training and validation are
exactly those of the tutorial's 200 values, the test windows lie in sin(200..299)), scaled by a
max-abs scaler fitted on the training part; H = 16 tanh units, full BPTT, full batch, global-norm
clipping at 1.

The candidates are what an expert tries first: the learning rate, a longer budget, Adam. Each is
trained from init seeds 0-4 and judged on validation RMSE only (original units). The rule:
the candidate whose worst seed has the lowest validation RMSE, so that every draw, not a lucky one,
meets the target of 1e-3; that is rnnlib.settings.RECOMMENDED. Its test RMSE, on windows that no
choice has seen, is the honest score. Prints figures; asserts nothing.
Run: python benchmarks/bench_accuracy.py
"""

import time

import numpy as np

from rnnlib import (
    fit_ar,
    fit_scaler,
    init_params,
    predict,
    predict_last,
    predict_zero,
    rmse,
    sine_series,
    split_windows,
    train,
)
from rnnlib.settings import RECOMMENDED

SEEDS = range(5)
# (optimizer, learning rate, epochs)
CANDIDATES = [("sgd", 0.3, 400), ("sgd", 0.6, 400), ("sgd", 1.0, 400), ("sgd", 0.3, 800),
              ("sgd", 1.0, 800), ("adam", 0.003, 400), ("adam", 0.01, 400), ("adam", 0.02, 400),
              ("adam", 0.03, 400)]


def main() -> None:
    series = sine_series(300)
    split = split_windows(series, 50, 50, n_test=50)
    scaler = fit_scaler(series[: split.train_end])
    R = RECOMMENDED
    X, Y = scaler.transform(split.X_train), scaler.transform(split.Y_train)

    def scores(optimizer, learning_rate, epochs):
        val, test, seconds = [], [], []
        for seed in SEEDS:
            params = init_params(1, R["hidden_size"], 1, np.random.default_rng(seed),
                                 R["init_scheme"])
            start = time.perf_counter()
            result = train(params, X, Y, learning_rate=learning_rate, epochs=epochs,
                           optimizer=optimizer, activation=R["activation"],
                           truncation=R["truncation"], clipping=R["clipping"],
                           batch_size=R["batch_size"], on_divergence="stop")
            seconds.append(time.perf_counter() - start)

            def rnn(W, result=result):
                return scaler.inverse_transform(predict(result.params, scaler.transform(W)))

            val.append(rmse(split.Y_val, rnn(split.X_val)))
            test.append(rmse(split.Y_test, rnn(split.X_test)))
        return np.array(val), np.array(test), float(np.median(seconds))

    print(f"validation RMSE over init seeds {SEEDS[0]}-{SEEDS[-1]} (median, lowest - highest); "
          "the rule: lowest highest")
    worst = {}
    for candidate in CANDIDATES:
        val, _, seconds = scores(*candidate)
        worst[candidate] = val.max()
        print(f"  {candidate[0]:<5} lr {candidate[1]:<6g} {candidate[2]:>4} epochs: "
              f"{np.median(val):.2e} ({val.min():.1e} - {val.max():.1e}), {seconds:.2f} s per run")
    chosen = min(worst, key=worst.get)
    recommended = ("sgd", R["learning_rate"], R["epochs"])
    print(f"chosen by the rule: {chosen}; RECOMMENDED: {recommended}"
          f"{'' if chosen == recommended else '  (THEY DIFFER)'}")

    val, test, seconds = scores(*recommended)
    print(f"RECOMMENDED over seeds {SEEDS[0]}-{SEEDS[-1]}: validation median {np.median(val):.2e} "
          f"({val.min():.1e} - {val.max():.1e}), test median {np.median(test):.2e} "
          f"({test.min():.1e} - {test.max():.1e}); {seconds:.2f} s of training per run "
          "(targets: median <= 1e-3, <= 3 s)")
    def fmt(x):  # AR(2) is exact for a sine: its error is rounding, which differs by machine
        return "< 1e-12" if x < 1e-12 else f"{x:.2e}"

    ar = fit_ar(split.X_train, split.Y_train, 2)
    for name, fn in (("zero", predict_zero), ("last value", predict_last), ("AR(2)", ar.predict)):
        print(f"  baseline {name:<11} validation {fmt(rmse(split.Y_val, fn(split.X_val)))}, "
              f"test {fmt(rmse(split.Y_test, fn(split.X_test)))}")


if __name__ == "__main__":
    main()
