"""Talking to the output layer: the chain from the loss back to a_L (lesson 05 derives it).

The output layer turns the logits a_L into probabilities and the loss:

    y_hat = softmax(a_L)             y_hat_c = exp(a_Lc) / sum_c' exp(a_Lc')
    loss  = -log y_hat_l

and the chain rule goes back through it in two steps:

    dL/dy_hat      = -(1 / y_hat_l) e(l)                         (k,)
    dy_hat/da_L    = diag(y_hat) - y_hat y_hat^T                  (k, k), entry (c, c') = y_hat_c (1[c=c'] - y_hat_c')
    grad_a_L       = (dy_hat/da_L)^T dL/dy_hat = -(e(l) - y_hat)  (k,)

This module holds what the lesson shows step by step: the two *naive* formulas
that overflow (kept on purpose, to show what goes wrong), the Jacobian built
entry by entry, a central-difference Jacobian to check it, and :func:`chain`,
which computes each factor and their product.  The stable softmax, log-softmax,
loss and fused gradient themselves live in :mod:`backprop.losses`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate, losses


_logits = losses._logits      # the same check of the logits as the stable functions


def naive_softmax(a):
    """exp(a) / sum exp(a), exactly as written: NO max subtracted (lesson 05 shows why that fails).

    ``a``: (k,) or (B, k) -> same shape.  For large logits (|a| of a few hundred or more)
    exp overflows to inf or underflows to 0 and the result holds NaN (inf/inf, 0/0);
    numpy then warns (``RuntimeWarning``): wrap calls in ``np.errstate(over="ignore",
    invalid="ignore")`` to silence it.  Use :func:`backprop.softmax` for real work.
    """
    a = _logits(a)
    e = np.exp(a)
    return e / e.sum(axis=-1, keepdims=True)


def naive_log_softmax(a):
    """log(naive_softmax(a)): the logarithm taken after the division (lesson 05 shows it fails).

    ``a``: (k,) or (B, k) -> same shape.  Gives -inf where the naive softmax
    underflowed to 0 and NaN where it was NaN (numpy warns, see :func:`naive_softmax`).
    Use :func:`backprop.log_softmax` (log-sum-exp) for real work.
    """
    return np.log(naive_softmax(a))


def loss_grad_y_hat(y_hat, label):
    """dL/dy_hat for L = -log y_hat_l: the vector -(1 / y_hat_l) e(l).

    ``y_hat``: (k,), a probability vector with y_hat_l > 0; ``label``: int in 0..k-1 -> (k,).
    Only the true class's entry is non-zero, because L depends on y_hat_l alone.
    """
    y = _validate.float_array(y_hat, "y_hat", ndim=1)
    l = _validate.labels(label, "label", n_classes=y.shape[0], batch=None)
    if not y[l] > 0:
        raise ValueError(f"y_hat[label] must be > 0 for -log y_hat_l to exist; got y_hat[{l}] = {y[l]} (it underflowed: "
                         f"the logits are too far apart for the step-by-step chain; the fused gradient "
                         f"backprop.cross_entropy_grad(a_L, label) stays exact)")
    g = np.zeros_like(y)
    g[l] = -1.0 / y[l]
    return g


def softmax_jacobian_by_entries(y_hat):
    """The softmax Jacobian built one entry at a time: J[c, c'] = dy_hat_c / da_c' = y_hat_c (1[c=c'] - y_hat_c').

    ``y_hat``: (k,) -> (k, k).  Row c is how y_hat_c moves, column c' which logit moves.
    The same matrix as :func:`backprop.softmax_jacobian` (diag(y_hat) - y_hat y_hat^T), written as the derivation.
    """
    y = _validate.float_array(y_hat, "y_hat", ndim=1)
    k = y.shape[0]
    J = np.zeros((k, k))
    for c in range(k):
        for cp in range(k):
            J[c, cp] = y[c] * ((1.0 if c == cp else 0.0) - y[cp])
    return J


def numerical_jacobian(f, a, eps: float = 1e-6):
    """Central-difference Jacobian of a vector function ``f`` at ``a``: J[c, c'] ~ (f(a + eps e_c')_c - f(a - eps e_c')_c) / (2 eps).

    ``f``: function (n,) -> (m,); ``a``: (n,) -> (m, n).  Costs 2n evaluations of ``f``.
    """
    a = _validate.float_array(a, "a", ndim=1)
    eps = _validate.positive_float(eps, "eps")
    cols = []
    for cp in range(a.shape[0]):
        step = np.zeros_like(a)
        step[cp] = eps
        cols.append((np.asarray(f(a + step), dtype=float) - np.asarray(f(a - step), dtype=float)) / (2 * eps))
    return np.stack(cols, axis=1)


@dataclass
class OutputChain:
    """Every factor of the chain from the loss back to a_L, for one example with k classes.

    ``a_L`` (k,), ``y_hat`` (k,), ``label`` int, ``loss`` float, ``grad_y_hat`` (k,) = dL/dy_hat,
    ``jacobian`` (k, k) = dy_hat/da_L, ``grad_a_L`` (k,) = jacobian^T grad_y_hat.
    """
    a_L: np.ndarray
    y_hat: np.ndarray
    label: int
    loss: float
    grad_y_hat: np.ndarray
    jacobian: np.ndarray
    grad_a_L: np.ndarray


def chain(a_L, label) -> OutputChain:
    """The chain rule through the output layer, one factor at a time (lesson 05).

    ``a_L``: (k,) logits; ``label``: int in 0..k-1 -> :class:`OutputChain`, whose
    ``grad_a_L`` is the product (dy_hat/da_L)^T dL/dy_hat; it equals -(e(l) - y_hat)
    (:func:`backprop.cross_entropy_grad`), which the lesson derives from this product.
    """
    a = _validate.float_array(a_L, "a_L", ndim=1)
    l = _validate.labels(label, "label", n_classes=a.shape[0], batch=None)
    y = losses.softmax(a)
    g_y = loss_grad_y_hat(y, l)
    J = losses.softmax_jacobian(y)
    return OutputChain(a_L=a, y_hat=y, label=l, loss=losses.cross_entropy(a, l), grad_y_hat=g_y,
                       jacobian=J, grad_a_L=J.T @ g_y)
