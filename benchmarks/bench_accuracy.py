"""Validation and test RMSE of the course's recommended configuration, and how long training takes.

Data: the tutorial's series sin(0..199) and 100 more values held out for test, sin(0..299),
windows of 50, split_windows(..., n_val=50, n_test=50) (disjoint: training and validation are
exactly those of the tutorial's 200 values, the test windows lie in sin(200..299)), scaled by a
max-abs scaler fitted on the training part. Configuration: rnnlib.training.RECOMMENDED (tanh,
global-norm clipping), chosen by its validation RMSE; the test RMSE is the honest score.
Target: RMSE <= 1e-3 within <= 3 s of training. Prints figures; asserts nothing.
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
from rnnlib.training import RECOMMENDED


def main() -> None:
    series = sine_series(300)
    split = split_windows(series, 50, 50, n_test=50)
    scaler = fit_scaler(series[: split.train_end])
    R = RECOMMENDED
    params = init_params(1, R["hidden_size"], 1, np.random.default_rng(R["init_seed"]),
                         R["init_scheme"])
    start = time.perf_counter()
    result = train(params, scaler.transform(split.X_train), scaler.transform(split.Y_train),
                   learning_rate=R["learning_rate"], epochs=R["epochs"],
                   activation=R["activation"], truncation=R["truncation"],
                   clipping=R["clipping"], batch_size=R["batch_size"])
    seconds = time.perf_counter() - start
    def rnn(X):
        return scaler.inverse_transform(predict(result.params, scaler.transform(X)))

    ar = fit_ar(split.X_train, split.Y_train, 2)
    print("configuration: " + ", ".join(f"{k}={v}" for k, v in R.items()))
    print(f"training time       {seconds:6.2f} s for {R['epochs']} epochs   (target <= 3 s)")
    print(f"{'RMSE':<18}{'validation':>12}{'test':>12}")
    for name, fn in (("RNN", rnn), ("  zero baseline", predict_zero),
                     ("  last value", predict_last), ("  AR(2)", ar.predict)):
        print(f"{name:<18}{rmse(split.Y_val, fn(split.X_val)):>12.2e}"
              f"{rmse(split.Y_test, fn(split.X_test)):>12.2e}")
    print("(test target: RNN <= 1e-3)")


if __name__ == "__main__":
    main()
