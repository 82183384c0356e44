"""Softmax output and cross-entropy loss (lesson 05 derives them).

Shapes: logits ``a`` (the lecture's a_L) are (k,) for one example or (B, k)
for a batch; the softmax works along the last axis.

    y_hat = softmax(a_L)             y_hat_c = exp(a_c) / sum_c' exp(a_c')
    loss  = -log y_hat_l             l = the index of the true class
    grad_a_L = -(e(l) - y_hat)       the fused softmax + cross-entropy gradient

For a batch the loss is the mean over the B examples, so the gradient of the
batch loss with respect to row i of A_L is -(e(l_i) - y_hat_i) / B.
Everything stays finite and exact for logits as large as +-1e4: the softmax
subtracts the max, and log-softmax uses log-sum-exp.
"""
from __future__ import annotations

import numpy as np

from . import _validate


def _logits(a, name="a_L"):
    """Check logits: float, finite, (k,) or (B, k) with k >= 2 classes."""
    a = _validate.float_array(a, name, ndim=(1, 2))
    if a.shape[-1] < 2:
        raise ValueError(f"{name} must hold k >= 2 class scores along its last axis, (k,) or (B, k); got shape "
                         f"{a.shape}" + (" (a column: pass a (k,) vector, e.g. a.ravel())" if a.ndim == 2 else ""))
    return a


def softmax(a):
    """y_hat = softmax(a), stable. ``a``: (k,) or (B, k) -> same shape, rows sum to 1."""
    a = _logits(a)
    z = a - a.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def log_softmax(a):
    """log softmax(a) by log-sum-exp. ``a``: (k,) or (B, k) -> same shape, all <= 0."""
    a = _logits(a)
    z = a - a.max(axis=-1, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=-1, keepdims=True))


def one_hot(label, k: int):
    """e(l): the one-hot vector of class ``label`` among ``k`` classes.

    ``label``: an int -> (k,); an integer array of shape (B,) -> (B, k).
    """
    k = _validate.positive_int(k, "k (the number of classes)")
    try:
        ndim = np.ndim(label)
    except (ValueError, TypeError):
        raise TypeError(f"label must be an integer or an integer array of shape (B,); got {_validate.describe(label)}") from None
    if ndim == 0 and not isinstance(label, (list, tuple)):
        l = _validate.labels(label, "label", n_classes=k, batch=None)
        e = np.zeros(k)
        e[l] = 1.0
        return e
    arr = np.asarray(label)
    l = _validate.labels(arr, "label", n_classes=k, batch=arr.shape[0] if arr.ndim >= 1 else 0)
    e = np.zeros((l.shape[0], k))
    e[np.arange(l.shape[0]), l] = 1.0
    return e


def cross_entropy(a, label):
    """Cross-entropy loss -log y_hat_l computed from the logits ``a`` (= a_L).

    ``a``: (k,) with ``label`` an int -> a float (the loss of one example);
    ``a``: (B, k) with ``label`` an int array of shape (B,) -> a float, the
    mean of the B losses.
    """
    a = _logits(a)
    lp = log_softmax(a)
    if a.ndim == 1:
        l = _validate.labels(label, "label", n_classes=a.shape[0], batch=None)
        return float(-lp[l])
    l = _validate.labels(label, "label", n_classes=a.shape[1], batch=a.shape[0])
    return float(-lp[np.arange(a.shape[0]), l].mean())


def cross_entropy_grad(a, label):
    """grad_a_L = -(e(l) - y_hat): the gradient of :func:`cross_entropy` w.r.t. ``a``.

    ``a``: (k,), ``label`` int -> (k,).
    ``a``: (B, k), ``label`` (B,) -> (B, k), already divided by B because the
    batch loss is the mean.
    """
    a = _logits(a)
    y_hat = softmax(a)
    k = a.shape[-1]
    if a.ndim == 1:
        return y_hat - one_hot(_validate.labels(label, "label", n_classes=k, batch=None), k)
    l = _validate.labels(label, "label", n_classes=k, batch=a.shape[0])
    g = y_hat
    g[np.arange(a.shape[0]), l] -= 1.0
    g /= a.shape[0]
    return g


def softmax_jacobian(y_hat):
    """The softmax Jacobian d y_hat / d a = diag(y_hat) - y_hat y_hat^T.

    ``y_hat``: (k,), a probability vector -> (k, k).
    """
    y = _validate.float_array(y_hat, "y_hat", ndim=1)
    return np.diag(y) - np.outer(y, y)
