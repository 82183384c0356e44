"""Talking to the hidden units: the gradient one layer back (lesson 06 derives it).

Two steps carry the gradient from the pre-activation a_k of layer k back to a_{k-1}:

    grad_h[k-1] = W_k^T grad_a[k]             sum over the paths h_{k-1,j} -> a_ki, i = 1..n_k
    grad_a[k-1] = grad_h[k-1] * g'(a[k-1])     elementwise: h_{k-1,j} depends on a_{k-1,j} alone

Shapes: ``W_k`` is (n_k, n_{k-1}); ``grad_a_k`` is (n_k,) for one example or
(B, n_k) for a batch (examples as rows: grad_H[k-1] = grad_A[k] @ W_k).

g' takes the pre-activation a, never h = g(a): applying g' to h is the classic
mistake the lesson shows (:func:`grad_a` takes ``a_k`` for that reason).
This module also continues the forward pass from any layer (:func:`loss_from_h`,
:func:`loss_from_a`) so that grad_h[k] and grad_a[k] can be checked by central differences.
"""
from __future__ import annotations

import numpy as np

from . import _validate, activations, losses
from .network import Network


def _grad_a_k(W_k, grad_a_k):
    W_k = _validate.float_array(W_k, "W_k", ndim=2)
    g = _validate.float_array(grad_a_k, "grad_a_k", ndim=(1, 2))
    n_k = W_k.shape[0]
    if g.shape[-1] != n_k:
        want = f"({n_k},) for one example or (B, {n_k}) for a batch"
        raise ValueError(f"grad_a_k must have shape {want}, one entry per row of W_k (W_k has shape "
                         f"{W_k.shape} = (n_k, n_k-1)); got shape {g.shape}")
    return W_k, g


def grad_h_prev(W_k, grad_a_k):
    """grad_h[k-1] = W_k^T grad_a[k]: the gradient of the loss w.r.t. the activations h_{k-1}.

    ``W_k``: (n_k, n_{k-1}); ``grad_a_k``: (n_k,) -> (n_{k-1},), or (B, n_k) -> (B, n_{k-1})
    (each row r is W_k^T times row r; written grad_A_k @ W_k).
    """
    W_k, g = _grad_a_k(W_k, grad_a_k)
    return g @ W_k


def grad_h_prev_by_paths(W_k, grad_a_k):
    """The same as :func:`grad_h_prev`, written as lesson 04's sum over paths, with loops.

    h_{k-1,j} reaches the loss through a_k1, ..., a_kn_k; along path i the local derivative
    is da_ki/dh_{k-1,j} = W_kij, so dL/dh_{k-1,j} = sum_i W_kij grad_a_ki (column j of W_k).
    ``W_k``: (n_k, n_{k-1}); ``grad_a_k``: (n_k,) (one example) -> (n_{k-1},).
    """
    W_k, g = _grad_a_k(W_k, grad_a_k)
    if g.ndim != 1:
        raise ValueError(f"grad_h_prev_by_paths takes one example, grad_a_k of shape ({W_k.shape[0]},); "
                         f"got shape {g.shape} (use grad_h_prev for a batch)")
    n_k, n_prev = W_k.shape
    out = np.zeros(n_prev)
    for j in range(n_prev):
        out[j] = sum(W_k[i, j] * g[i] for i in range(n_k))
    return out


def grad_a(grad_h_k, a_k, activation: str):
    """grad_a[k] = grad_h[k] * g'(a[k]), elementwise.

    ``grad_h_k`` and ``a_k``: the same shape, (n_k,) or (B, n_k) -> that shape.
    ``activation``: 'logistic', 'tanh' or 'relu'.  ``a_k`` is the PRE-activation:
    passing h_k = g(a_k) instead gives a wrong gradient (the lesson's classic mistake).
    """
    _, g_prime = activations.get(activation)
    gh = _validate.float_array(grad_h_k, "grad_h_k", ndim=(1, 2))
    a = _validate.float_array(a_k, "a_k", ndim=(1, 2))
    if gh.shape != a.shape:
        raise ValueError(f"grad_h_k and a_k must have the same shape (one g'(a_ki) per entry of grad_h_k); "
                         f"got {gh.shape} and {a.shape}")
    return gh * g_prime(a)


def central_difference(g, a, eps: float = 1e-6):
    """Elementwise derivative of an elementwise function by central differences: (g(a + eps) - g(a - eps)) / (2 eps).

    ``g``: function applied entry by entry (an activation); ``a``: any shape -> that shape.
    At a kink (ReLU at 0) it returns the average of the two one-sided slopes (0.5 for ReLU).
    """
    a = _validate.float_array(a, "a", allow_scalar=True)
    eps = _validate.positive_float(eps, "eps")
    return (np.asarray(g(a + eps)) - np.asarray(g(a - eps))) / (2 * eps)


def _check_layer(net: Network, k: int, lo: int, hi: int) -> int:
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop.Network; got {_validate.describe(net)}")
    k = _validate.positive_int(k, "k", minimum=0)
    hi = net.L - (1 if lo == 0 else 0) if hi is None else hi
    if not lo <= k <= hi:
        raise ValueError(f"k must be a layer index in {lo}..{hi} for this network (L = {net.L}); got {k}")
    return k


def loss_from_h(net: Network, k: int, h_k, label) -> float:
    """The loss when the forward pass is continued from the activation h_k of layer k (k = 0 is the input x).

    ``h_k``: (n_k,) with ``label`` an int, or (B, n_k) with labels (B,) (mean loss).
    Used to check grad_h[k] by central differences: nudge an entry of h_k, rerun the rest.
    """
    k = _check_layer(net, k, 0, None)
    h = _validate.float_array(h_k, f"h_{k}", ndim=(1, 2))
    if h.shape[-1] != net.sizes[k]:
        raise ValueError(f"h_{k} must have {net.sizes[k]} entries per example (n_{k} = {net.sizes[k]}); got shape {h.shape}")
    g, _ = activations.get(net.activation)
    for j in range(k + 1, net.L + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            a = h @ net.W[j].T + net.b[j]
        if not np.all(np.isfinite(a)):
            raise ValueError(f"a_{j} overflowed to inf/NaN: h_{k} or the weights are too large (largest |h_{k}| = "
                             f"{np.max(np.abs(h_k)):.3g}); expected values whose products stay below about 1e300")
        h = g(a) if j < net.L else a
    return losses.cross_entropy(h, label)


def loss_from_a(net: Network, k: int, a_k, label) -> float:
    """The loss when the forward pass is continued from the pre-activation a_k of layer k (1..L).

    ``a_k``: (n_k,) with ``label`` an int, or (B, n_k) with labels (B,) (mean loss).
    """
    k = _check_layer(net, k, 1, None)
    a = _validate.float_array(a_k, f"a_{k}", ndim=(1, 2))
    if a.shape[-1] != net.sizes[k]:
        raise ValueError(f"a_{k} must have {net.sizes[k]} entries per example (n_{k} = {net.sizes[k]}); got shape {a.shape}")
    if k == net.L:
        return losses.cross_entropy(a, label)
    g, _ = activations.get(net.activation)
    return loss_from_h(net, k, g(a), label)
