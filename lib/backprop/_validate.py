"""Input checks shared by every public function of :mod:`backprop`.

Every check raises ``TypeError`` (wrong kind of thing) or ``ValueError``
(right kind, wrong value or shape) with a message that says what was
expected and what was given, so that a learner who passes bad input gets
told how to fix it instead of getting a NaN or a silent broadcast.
"""
from __future__ import annotations

import numbers

import numpy as np


def describe(x) -> str:
    """A short description of ``x`` for error messages: type, dtype and shape."""
    if isinstance(x, np.ndarray):
        return f"an array of dtype {x.dtype} and shape {x.shape}"
    if isinstance(x, (list, tuple)):
        try:
            arr = np.asarray(x)
            return f"a {type(x).__name__} (as an array: dtype {arr.dtype}, shape {arr.shape})"
        except (ValueError, TypeError):
            return f"a ragged {type(x).__name__} of length {len(x)}"
    return f"{type(x).__name__} {x!r}"


def float_array(x, name: str, *, ndim=None, shape=None, allow_scalar: bool = False,
                allow_empty: bool = False) -> np.ndarray:
    """Return ``x`` as a float64 array, after checking it.

    ``x``: anything array-like holding real floating-point numbers (numpy float
    arrays of any precision are converted to float64; Python floats are fine).
    ``ndim``: an int or a tuple of allowed numbers of dimensions.
    ``shape``: the expected shape; ``None`` in it matches any length.
    ``allow_empty``: accept an array with no entries (refused by default).
    Raises TypeError for integers, booleans, complex, strings or objects, ValueError
    for a wrong number of dimensions, a wrong shape, an empty array, NaN or inf.
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must hold floating-point numbers; got the string {x!r}")
    if isinstance(x, bool) or isinstance(x, np.bool_):
        raise TypeError(f"{name} must hold floating-point numbers; got the boolean {x!r}")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged lists
        raise ValueError(f"{name} must be a rectangular array of floats; got {describe(x)} ({exc})") from None
    if arr.dtype == object:
        raise ValueError(f"{name} must be a rectangular array of floats; got {describe(x)}")
    if not np.issubdtype(arr.dtype, np.floating):
        if np.issubdtype(arr.dtype, np.integer) and isinstance(x, numbers.Integral) and allow_scalar:
            arr = arr.astype(np.float64)
        else:
            hint = ""
            if np.issubdtype(arr.dtype, np.integer):
                hint = " (write 1.0 instead of 1, or convert with np.asarray(x, dtype=float))"
            raise TypeError(f"{name} must hold floating-point numbers (float64); got {describe(x)}{hint}")
    arr = np.asarray(arr, dtype=np.float64)
    if arr.ndim == 0 and not allow_scalar and ndim is not None and 0 not in _as_tuple(ndim):
        raise ValueError(f"{name} must be an array with {_ndim_words(ndim)}; got the scalar {x!r}")
    if ndim is not None and arr.ndim not in _as_tuple(ndim):
        raise ValueError(f"{name} must have {_ndim_words(ndim)}; got {describe(arr)}")
    if shape is not None:
        check_shape(arr, shape, name)
    if arr.size == 0 and not allow_empty:
        raise ValueError(f"{name} must not be empty; got an empty array of shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        bad = np.argwhere(~np.isfinite(arr))
        where = tuple(int(i) for i in bad[0]) if arr.ndim else ()
        raise ValueError(
            f"{name} must be finite; got {int((~np.isfinite(arr)).sum())} NaN or inf value(s), "
            f"the first at index {where}: {arr[where] if arr.ndim else arr}"
        )
    return arr


def check_shape(arr: np.ndarray, shape, name: str) -> None:
    """Raise ValueError unless ``arr.shape`` matches ``shape`` (None matches anything)."""
    shape = tuple(shape)
    ok = arr.ndim == len(shape) and all(s is None or s == t for s, t in zip(shape, arr.shape))
    if not ok:
        want = "(" + ", ".join("any" if s is None else str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"
        raise ValueError(f"{name} must have shape {want}; got shape {arr.shape}")


def labels(label, name: str, *, n_classes: int, batch: int | None) -> np.ndarray | int:
    """Check class indices ``label`` (the lecture's l) and return them.

    ``batch=None``: one example, ``label`` must be one integer in
    ``0 .. n_classes-1``; returns a Python int.
    ``batch=B``: ``label`` must be an integer array of shape (B,); returns it
    as an int64 array.  One-hot rows, floats and booleans are refused with a
    message that says how to turn them into class indices.
    """
    if batch is None:
        if isinstance(label, (bool, np.bool_)):
            raise TypeError(f"{name} must be an integer class index; got the boolean {label!r}")
        if isinstance(label, numbers.Integral):
            value = int(label)
        else:
            try:
                arr = np.asarray(label) if not isinstance(label, (str, bytes)) else None
            except (ValueError, TypeError):
                arr = None
            if arr is not None and arr.ndim == 0 and np.issubdtype(arr.dtype, np.integer):
                value = int(arr)
            elif arr is not None and arr.ndim == 1 and arr.shape[0] == n_classes and np.issubdtype(arr.dtype, np.number):
                raise TypeError(
                    f"{name} must be an integer class index in 0..{n_classes - 1}; got a vector of "
                    f"length {n_classes}, which looks like a one-hot e(l): pass its index, "
                    f"int(np.argmax({name}))"
                )
            else:
                raise TypeError(f"{name} must be an integer class index in 0..{n_classes - 1}; got {describe(label)}")
        if not 0 <= value < n_classes:
            raise ValueError(f"{name} must be a class index in 0..{n_classes - 1}; got {value}")
        return value
    try:
        arr = np.asarray(label)
    except (ValueError, TypeError):
        raise TypeError(f"{name} must be an integer array of shape ({batch},); got {describe(label)}") from None
    if arr.ndim == 2 and arr.shape == (batch, n_classes):
        raise TypeError(
            f"{name} must be integer class indices of shape ({batch},); got shape {arr.shape}, which looks "
            f"like one-hot rows e(l): pass {name}.argmax(axis=1)"
        )
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.integer):
        raise TypeError(f"{name} must be integer class indices of shape ({batch},); got {describe(label)}")
    if arr.ndim != 1 or arr.shape[0] != batch:
        raise ValueError(f"{name} must have shape ({batch},), one class index per row of the batch; got shape {arr.shape}")
    if arr.size and (arr.min() < 0 or arr.max() >= n_classes):
        bad = int(arr[(arr < 0) | (arr >= n_classes)][0])
        raise ValueError(f"{name} must hold class indices in 0..{n_classes - 1}; got {bad}")
    return arr.astype(np.int64, copy=False)


def positive_int(n, name: str, *, minimum: int = 1) -> int:
    """Check that ``n`` is an integer >= ``minimum`` and return it as int."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}; got {describe(n)}")
    if n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}; got {n}")
    return int(n)


def positive_float(x, name: str, *, allow_zero: bool = False) -> float:
    """Check that ``x`` is a finite real number > 0 (or >= 0) and return it as float."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number; got {describe(x)}")
    x = float(x)
    if not np.isfinite(x) or x < 0 or (x == 0 and not allow_zero):
        raise ValueError(f"{name} must be a finite number {'>=' if allow_zero else '>'} 0; got {x}")
    return x


def real(x, name: str, *, minimum=None, maximum=None) -> float:
    """Check that ``x`` is one finite real number (int or float, not a bool or a string) and return it as float.

    ``minimum``/``maximum``: optional inclusive bounds.
    """
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be one real number; got {describe(x)}")
    v = float(x)
    if not np.isfinite(v):
        raise ValueError(f"{name} must be a finite number; got {v}")
    if minimum is not None and v < minimum or maximum is not None and v > maximum:
        lo = "-inf" if minimum is None else f"{minimum:g}"
        hi = "inf" if maximum is None else f"{maximum:g}"
        raise ValueError(f"{name} must be in [{lo}, {hi}]; got {v:g}")
    return v


def fraction(x, name: str) -> float:
    """Check that ``x`` is one real number in [0, 1) (a split fraction, a momentum) and return it as float."""
    if isinstance(x, np.ndarray) and x.ndim == 0:
        x = x[()]
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a real number in [0, 1); got {describe(x)}")
    v = float(x)
    if not 0 <= v < 1:
        raise ValueError(f"{name} must be a finite number in [0, 1); got {v}")
    return v


def flag(x, name: str) -> bool:
    """Check that ``x`` is True or False (a Python or numpy bool) and return it."""
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False; got {describe(x)}")
    return bool(x)


def choice(x, name: str, options) -> str:
    """Check that ``x`` is one of the strings ``options`` and return it."""
    if not isinstance(x, str):
        raise TypeError(f"{name} must be one of {tuple(options)}; got {describe(x)}")
    if x not in options:
        raise ValueError(f"{name} must be one of {tuple(options)}; got {x!r}")
    return x


def seed(x, name: str = "seed") -> int:
    """Check a random seed: an integer >= 0 (not a bool, not None) and return it as int."""
    return positive_int(x, name, minimum=0)


def sizes(x, name: str = "sizes") -> list[int]:
    """Check layer sizes [n_0, n_1, ..., n_L]: a list or tuple of at least 2 integers >= 1."""
    if isinstance(x, np.ndarray) and x.ndim == 1:
        x = list(x)
    if not isinstance(x, (list, tuple)) or len(x) < 2:
        raise ValueError(f"{name} must be a list [n_0, n_1, ..., n_L] with at least 2 entries; got {describe(x)}")
    return [positive_int(n, f"{name}[{i}]") for i, n in enumerate(x)]


def int_list(x, name: str, *, minimum: int = 1) -> list[int]:
    """Check a non-empty list (tuple, 1-d integer array, range) of integers >= ``minimum`` and return it."""
    if isinstance(x, np.ndarray) and x.ndim == 1:
        x = list(x)
    if not isinstance(x, (list, tuple, range)) or len(x) == 0:
        raise TypeError(f"{name} must be a non-empty list of integers >= {minimum}; got {describe(x)}")
    return [positive_int(n, f"{name}[{i}]", minimum=minimum) for i, n in enumerate(x)]


def _as_tuple(ndim):
    return ndim if isinstance(ndim, tuple) else (ndim,)


def _ndim_words(ndim) -> str:
    words = {0: "0 dimensions (a scalar)", 1: "1 dimension (a vector)", 2: "2 dimensions (a batch: one example per row)"}
    return " or ".join(words.get(d, f"{d} dimensions") for d in _as_tuple(ndim))
