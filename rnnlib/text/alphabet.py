"""The alphabet: characters <-> int indices (one-hot ready); reading a learner's own text file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

import numpy as np


def build_alphabet(text: str) -> str:
    """The sorted distinct characters of ``text``, e.g. ``build_alphabet("abba!") == "!ab"``.

    Parameters
    ----------
    text : str
        Any text, e.g. a learner's own file.

    Returns
    -------
    str
        (V,) its distinct characters in code-point order: the alphabet for ``encode``.

    Raises
    ------
    TypeError
        If ``text`` is not a str.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return "".join(sorted(set(text)))


def _alphabet(alphabet) -> str:
    if not isinstance(alphabet, str):
        raise TypeError(f"alphabet must be a str of distinct characters, "
                        f"got {type(alphabet).__name__}")
    if not alphabet or len(set(alphabet)) != len(alphabet):
        repeated = sorted({c for c in alphabet if alphabet.count(c) > 1})
        raise ValueError(f"alphabet must be non-empty distinct characters, got {alphabet!r}"
                         + (f" (repeated: {repeated})" if repeated else ""))
    return alphabet


def _encode(text: str, alphabet: str, what: str) -> np.ndarray:
    index = {char: i for i, char in enumerate(alphabet)}
    indices = np.fromiter((index.get(char, -1) for char in text), dtype=np.int64, count=len(text))
    outside = np.flatnonzero(indices < 0)
    if outside.size:
        first = int(outside[0])
        line = text.count("\n", 0, first) + 1
        column = first - text.rfind("\n", 0, first)
        chars = "".join(sorted({text[i] for i in outside}))
        raise ValueError(
            f"{what} holds {outside.size} character(s) outside the alphabet {alphabet!r}: "
            f"{chars!r}, the first at line {line}, column {column}; lower-case the text, remove "
            f"them, or build the alphabet from the text (build_alphabet)")
    return indices


def encode(text: str, alphabet: str) -> np.ndarray:
    """Characters -> indices into ``alphabet``, e.g. for ``rnnlib.one_hot(indices, len(alphabet))``.

    Parameters
    ----------
    text : str
        (n,) characters, every one in ``alphabet``.
    alphabet : str
        (V,) distinct characters; index i stands for ``alphabet[i]``.

    Returns
    -------
    numpy.ndarray
        (n,) int64 indices in 0 .. V - 1.

    Raises
    ------
    TypeError
        If ``text`` or ``alphabet`` is not a str.
    ValueError
        If ``alphabet`` is empty or repeats a character, or ``text`` holds a character outside
        it (the message lists them and where the first is).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {type(text).__name__}")
    return _encode(text, _alphabet(alphabet), "text")


def check_indices(indices, name: str, alphabet_size: int, allow_empty: bool = False) -> np.ndarray:
    """``indices`` as an (n,) int64 array in 0 .. alphabet_size - 1, or TypeError / ValueError.

    Parameters
    ----------
    indices : array-like (n,) of int
        Character indices.
    name : str
        Their name in error messages.
    alphabet_size : int
        V, the number of characters.
    allow_empty : bool
        Whether n = 0 is accepted.

    Returns
    -------
    numpy.ndarray
        (n,) int64 indices in 0 .. V - 1.

    Raises
    ------
    TypeError
        For a str or indices that are not integers.
    ValueError
        For a shape other than (n,), n = 0 unless allow_empty, or an index outside
        0 .. V - 1.
    """
    if isinstance(indices, str):
        raise TypeError(f"{name} must be an array of character indices, got a str "
                        f"(encode it first: encode(text, alphabet))")
    array = np.asarray(indices)
    if array.size == 0:
        array = array.astype(np.int64)  # [] is a float64 array, but holds no wrong kind
    if array.dtype.kind not in "iu":
        raise TypeError(f"{name} must hold integer indices, got an array of dtype {array.dtype}")
    if array.ndim != 1 or (array.size == 0 and not allow_empty):
        least = "n >= 0" if allow_empty else "n >= 1"
        raise ValueError(f"{name} must have shape (n,) with {least}, got shape {array.shape}")
    if array.size and (array.min() < 0 or array.max() >= alphabet_size):
        raise ValueError(f"{name} must lie in 0 .. {alphabet_size - 1} (alphabet_size = "
                         f"{alphabet_size}), got values from {array.min()} to {array.max()}")
    return array.astype(np.int64, copy=False)


def decode(indices: np.ndarray, alphabet: str) -> str:
    """Indices -> text: the inverse of ``encode``.

    Parameters
    ----------
    indices : numpy.ndarray
        (n,) integers in 0 .. V - 1.
    alphabet : str
        (V,) distinct characters.

    Returns
    -------
    str
        (n,) characters.

    Raises
    ------
    TypeError
        If ``indices`` are not integers or ``alphabet`` is not a str.
    ValueError
        If ``indices`` are not (n,) or lie outside 0 .. V - 1.
    """
    alphabet = _alphabet(alphabet)
    indices = check_indices(indices, "indices", len(alphabet), allow_empty=True)
    return "".join(np.array(list(alphabet))[indices])


class EncodedText(NamedTuple):
    """A text, its alphabet and its indices: ``indices[i] == alphabet.index(text[i])``."""

    text: str
    alphabet: str
    indices: np.ndarray


def read_text(path: str | os.PathLike, alphabet: str | None = None, *,
              encoding: str = "utf-8") -> EncodedText:
    """Read a text file of one's own and encode it for a character model.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    alphabet : str or None
        The characters allowed (e.g. ``english_grammar().alphabet``, to compare with the
        grammar's models); None: the file's own distinct characters.
    encoding : str
        The file's text encoding.

    Returns
    -------
    EncodedText
        ``(text, alphabet, indices)`` with indices (n,) int64 in 0 .. V - 1.

    Raises
    ------
    TypeError
        If ``path`` is not a str or path, or ``alphabet`` not a str.
    FileNotFoundError
        If there is no such file.
    ValueError
        If the file is empty, or holds characters outside ``alphabet`` (listed, with the
        line and column of the first).
    """
    if not isinstance(path, str | os.PathLike):
        raise TypeError(f"path must be a file name (str or pathlib.Path), "
                        f"got {type(path).__name__}")
    text = Path(path).read_text(encoding=encoding)
    if not text:
        raise ValueError(f"the file {str(path)!r} is empty: a language model needs text to "
                         f"learn from")
    alphabet = build_alphabet(text) if alphabet is None else _alphabet(alphabet)
    return EncodedText(text, alphabet, _encode(text, alphabet, f"the file {str(path)!r}"))
