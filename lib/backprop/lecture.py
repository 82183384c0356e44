"""The lecture's running example: 3 inputs, two hidden layers of 3, a softmax output of 3.

Lesson 00 introduces it; lessons 01, 04 and 06-07 come back to it.  The same
seed always gives the same weights, so every lesson's printed numbers agree.
"""
from __future__ import annotations

import numpy as np

from . import _validate
from .network import Network

SIZES = [3, 3, 3, 3]
"""[n_0, n_1, n_2, n_3]: 3 inputs, hidden layers of 3 and 3, 3 classes."""


def network(activation: str = "logistic") -> Network:
    """The lecture network: sizes [3, 3, 3, 3], weights rounded to 2 decimals so they read easily.

    W[k]: (3, 3) drawn from Normal(0, 1) with seed 0, then rounded; b[k]: (3,) likewise, scaled by 0.5.
    """
    rng = np.random.default_rng(0)
    W, b = [None], [None]
    for k in range(1, len(SIZES)):
        W.append(np.round(rng.normal(0.0, 1.0, size=(SIZES[k], SIZES[k - 1])), 2))
        b.append(np.round(0.5 * rng.normal(0.0, 1.0, size=SIZES[k]), 2))
    return Network(W, b, activation)


def example():
    """The example the lessons follow: x = (0.5, -1.0, 2.0) (shape (3,)) with true class l = 2 (0-based index)."""
    return np.array([0.5, -1.0, 2.0]), 2


def batch(B: int = 4, seed: int = 1):
    """A small batch for the lecture network: X (B, 3) standard normal, labels (B,) in 0..2, seeded."""
    B = _validate.positive_int(B, "B")
    seed = _validate.seed(seed)
    rng = np.random.default_rng(seed)
    return np.round(rng.normal(size=(B, 3)), 2), rng.integers(0, 3, size=B)


def matrix_table(W_k, k: int, decimals: int = 2) -> str:
    """W_k as a table whose entries are named W_kij: rows are neurons i, columns inputs j (both from 1).

    ``W_k``: (n_k, n_{k-1}) -> str.
    """
    from .widgets import symbol

    k = _validate.positive_int(k, "k (the layer)")
    decimals = _validate.positive_int(decimals, "decimals", minimum=0)
    if decimals > 12:
        raise ValueError(f"decimals must be in 0..12; got {decimals}")
    W_k = _validate.float_array(W_k, f"W[{k}]", ndim=2)
    n_out, n_in = W_k.shape
    num = decimals + 4
    width = 7 + num + 2
    head = " " * 8 + "".join(f"{'j = ' + str(j + 1):<{width}}" for j in range(n_in))
    rows = [head]
    for i in range(n_out):
        cells = "".join(f"{symbol(f'W_{k}{i + 1}{j + 1}')} = {W_k[i, j]:{num}.{decimals}f}  " for j in range(n_in))
        rows.append(f"{'i = ' + str(i + 1):<8}{cells}".rstrip())
    return "\n".join(rows)
