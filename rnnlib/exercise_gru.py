"""Moved: notebook 08's checker is ``rnnlib.exercises.check_gru_step`` (rnnlib/exercises/gru.py),
on the core that every checker shares. This name stays only while notebook 08's import cell
still imports it; delete the module once that cell no longer does."""

from rnnlib.exercises import NOT_YET, check_gru_step

__all__ = ["NOT_YET", "check_gru_step"]
