"""Activation functions g and their derivatives g' (lesson 06 derives them).

Each function takes the pre-activation ``a`` (any shape: (n,) for one example,
(B, n) for a batch) and returns an array of the same shape, float64.

    logistic(a) = 1 / (1 + exp(-a))      logistic'(a) = g(a) (1 - g(a))
    tanh(a)                              tanh'(a)     = 1 - g(a)^2
    relu(a)     = max(0, a)              relu'(a)     = 1 where a > 0, else 0

The derivatives take ``a``, not ``h = g(a)``: applying g' to h is the classic
mistake that lesson 06 shows.  ``ACTIVATIONS[name]`` gives the pair (g, g').
"""
from __future__ import annotations

import numpy as np

from . import _validate


def _a(a, name="a"):
    return _validate.float_array(a, name, allow_scalar=True)


def logistic(a):
    """Logistic sigmoid g(a) = 1 / (1 + exp(-a)); shape of ``a`` -> same shape.

    Stable for any finite ``a``: no overflow warning for a = -1e4.
    """
    a = _a(a)
    e = np.exp(-np.abs(a))            # in (0, 1], never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def logistic_prime(a):
    """Derivative of the logistic: g'(a) = g(a) (1 - g(a)); shape -> same shape."""
    g = logistic(a)
    return g * (1.0 - g)


def tanh(a):
    """Hyperbolic tangent g(a) = tanh(a); shape of ``a`` -> same shape."""
    return np.tanh(_a(a))


def tanh_prime(a):
    """Derivative of tanh: g'(a) = 1 - tanh(a)^2; shape -> same shape."""
    g = tanh(a)
    return 1.0 - g * g


def relu(a):
    """Rectified linear unit g(a) = max(0, a); shape -> same shape."""
    return np.maximum(_a(a), 0.0)


def relu_prime(a):
    """Derivative of ReLU: 1 where a > 0, 0 where a <= 0 (0 is used at a = 0)."""
    return (_a(a) > 0).astype(np.float64)


def identity(a):
    """g(a) = a, used for the thin networks of lessons 02-03 when no squashing is wanted."""
    return _a(a).copy()


def identity_prime(a):
    """Derivative of the identity: ones of the shape of ``a``."""
    return np.ones_like(_a(a))


ACTIVATIONS = {
    "logistic": (logistic, logistic_prime),
    "tanh": (tanh, tanh_prime),
    "relu": (relu, relu_prime),
}
"""name -> (g, g_prime) for every activation a hidden layer may use."""

ALL_ACTIVATIONS = dict(ACTIVATIONS, identity=(identity, identity_prime))


def get(name: str):
    """Return ``(g, g_prime)`` for the activation called ``name``.

    ``name``: one of 'logistic', 'tanh', 'relu' (or 'identity').
    """
    if not isinstance(name, str):
        raise TypeError(f"activation must be a name, one of {sorted(ALL_ACTIVATIONS)}; got {_validate.describe(name)}")
    if name == "sigmoid":
        name = "logistic"
    if name not in ALL_ACTIVATIONS:
        raise ValueError(f"activation must be one of {sorted(ALL_ACTIVATIONS)}; got {name!r}")
    return ALL_ACTIVATIONS[name]
