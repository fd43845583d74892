"""rnnlib: a small, tested NumPy library for learning how a recurrent neural network works.

One module per concept (reference is the whole plain RNN on one screen: read it first):
    reference    forward pass, BPTT with depth k, norm clipping and SGD in one page (U, W, V, b, c)
    data         sine series, windows, chronological splits, scaling
    activations  tanh and sigmoid as the recurrent loops use them, and their derivatives
    losses       half mean squared error, softmax cross-entropy, each with its gradient
    cells        the cell interface every cell implements, and the network around a cell
    model        the plain cell's parameters (optionally static features -> h_0), its forward pass
    bptt         (truncated) backpropagation through time for the plain cell (PlainCell)
    gated        a gated recurrent unit (GRU): forward pass and truncated BPTT, as a cell
    lstm         a long short-term memory (LSTM) cell: forward pass and truncated BPTT, as a cell
    clipping     gradient clipping by value and by global norm
    optimizers   update rules: SGD (the default) and Adam
    training     the one training loop, for every cell: history and divergence detection
    evaluation   RMSE, accuracy, baselines (zero, last value, AR(p)), multi-step forecasting
    gradcheck    numerical gradients and relative errors
    diagrams     pictures of the cell, the unrolled network and the backward flow (drawn by code)
    settings     the course's settings: RECOMMENDED, the views' and notebook 08's sizes
    analysis     what the slider views of notebooks 03-05 compute; memory: notebook 08's
    views        the slider views, one module per notebook's view, and one widget helper
    text         a grammar of English-like sentences, its exact entropy rate, n-gram baselines
    rounding     every initial weight moved by a relative 1e-12 when RNNLIB_INIT_JITTER is set
    tutorial     "RNN from scratch in Python" reproduced bug for bug, readable and literal
                 (a fenced package: study only)
"""

from rnnlib.bptt import backward, loss_and_gradients
from rnnlib.clipping import Clipping, clip_by_norm, clip_by_value
from rnnlib.data import (
    Scaler,
    Split,
    fit_scaler,
    make_windows,
    one_hot,
    sine_series,
    split_windows,
)
from rnnlib.evaluation import (
    ARModel,
    accuracy,
    fit_ar,
    forecast,
    horizon_rmse,
    predict_last,
    predict_zero,
    rmse,
)
from rnnlib.gated import (
    GRUParams,
    gru_backward,
    gru_forward,
    gru_loss_and_gradients,
    init_gru,
)
from rnnlib.gradcheck import (
    gradient_errors,
    numerical_gradient,
    numerical_gradients,
    relative_error,
)
from rnnlib.losses import softmax, softmax_cross_entropy
from rnnlib.lstm import (
    LSTMParams,
    init_lstm,
    lstm_backward,
    lstm_forward,
    lstm_loss_and_gradients,
)
from rnnlib.model import ForwardCache, Params, forward, init_params, mse_loss, predict
from rnnlib.optimizers import SGD, Adam
from rnnlib.training import History, TrainingDiverged, TrainResult, train

__all__ = [
    "ARModel", "Clipping", "ForwardCache", "History", "Params", "Scaler", "Split",
    "TrainResult", "TrainingDiverged", "accuracy", "backward", "clip_by_norm", "clip_by_value",
    "fit_ar", "fit_scaler", "forecast", "forward", "gradient_errors", "horizon_rmse",
    "init_params", "loss_and_gradients", "make_windows", "mse_loss", "numerical_gradient",
    "numerical_gradients", "one_hot", "predict", "predict_last", "predict_zero", "relative_error",
    "rmse", "sine_series", "softmax", "softmax_cross_entropy", "split_windows", "train",
    "SGD", "Adam", "GRUParams", "gru_backward", "gru_forward", "gru_loss_and_gradients",
    "init_gru", "LSTMParams", "init_lstm", "lstm_backward", "lstm_forward",
    "lstm_loss_and_gradients",
]
