"""The import path of the article's literal transcription, now rnnlib.tutorial.literal (notebook
06's prose names it so)."""

from rnnlib.tutorial.literal import (  # noqa: F401
    literal_init,
    literal_loss,
    literal_predict,
    literal_record_gradients,
    literal_train,
)
