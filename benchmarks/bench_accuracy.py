"""Validation RMSE of the course's recommended configuration, and how long training takes.

Data: the tutorial's series sin(0..199), windows of 50, split_windows(..., n_val=50) (disjoint),
scaled by a max-abs scaler fitted on the training part. Configuration: rnnlib.training.RECOMMENDED
(tanh, global-norm clipping). Target: validation RMSE <= 1e-3 within <= 3 s of training.
Prints figures; asserts nothing. Run: python benchmarks/bench_accuracy.py
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
    series = sine_series()
    split = split_windows(series, 50, 50)
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
    pred = scaler.inverse_transform(predict(result.params, scaler.transform(split.X_val)))
    print("configuration: " + ", ".join(f"{k}={v}" for k, v in R.items()))
    print(f"training time       {seconds:6.2f} s for {R['epochs']} epochs   (target <= 3 s)")
    print(f"validation RMSE     {rmse(split.Y_val, pred):.2e}            (target <= 1e-3)")
    print(f"  zero baseline     {rmse(split.Y_val, predict_zero(split.X_val)):.2e}")
    print(f"  last value        {rmse(split.Y_val, predict_last(split.X_val)):.2e}")
    ar = fit_ar(split.X_train, split.Y_train, 2)
    print(f"  AR(2)             {rmse(split.Y_val, ar.predict(split.X_val)):.2e}")


if __name__ == "__main__":
    main()
