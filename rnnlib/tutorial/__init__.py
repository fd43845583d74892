"""The online tutorial "RNN from scratch in Python", reproduced twice, bug for bug. FOR STUDY ONLY.

Fenced here so that nothing else in rnnlib imports it: it is deliberately wrong in exactly the
ways the published code is wrong, so that notebook 06 can run the tutorial, show each bug with a
measured number and fix it. The correct model is the rest of rnnlib.

    reproduction  the article's algorithm, readable and fast enough to run its 25 epochs in a
                  few seconds (exported here: rnnlib.tutorial.train_tutorial, ...)
    literal       its code transcribed statement by statement, slow; the tests compare the two
"""

from rnnlib.tutorial.reproduction import (
    BPTT_TRUNCATE,
    CLIP_VALUE,
    HIDDEN_DIM,
    LEARNING_RATE,
    N_EPOCHS,
    SEQ_LEN,
    TutorialData,
    TutorialRun,
    TutorialWeights,
    one_hot_inputs,
    train_tutorial,
    train_tutorial_many,
    tutorial_data,
    tutorial_gradients,
    tutorial_init,
    tutorial_loss,
    tutorial_predict,
    tutorial_states,
)

__all__ = [
    "LEARNING_RATE",
    "N_EPOCHS",
    "HIDDEN_DIM",
    "SEQ_LEN",
    "BPTT_TRUNCATE",
    "CLIP_VALUE",
    "TutorialData",
    "TutorialWeights",
    "TutorialRun",
    "tutorial_data",
    "tutorial_init",
    "tutorial_loss",
    "tutorial_predict",
    "tutorial_states",
    "one_hot_inputs",
    "tutorial_gradients",
    "train_tutorial",
    "train_tutorial_many",
]
