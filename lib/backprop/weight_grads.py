"""The gradient of the loss with respect to the weights and biases of a layer (lesson 07 derives it).

One weight.  W_kij appears in exactly one pre-activation, a_ki = b_ki + sum_j W_kij h_{k-1,j}, so

    dL/dW_kij = grad_a_ki * h_{k-1,j}          and          dL/db_ki = grad_a_ki .

A whole layer: every pair (i, j) at once is an outer product

    grad_W_k = grad_a_k h_{k-1}^T              (n_k, n_{k-1}) = (n_k, 1) times (1, n_{k-1})
    grad_b_k = grad_a_k                        (n_k,)

A batch of B examples stored as rows, with the batch loss the MEAN of the B losses:
row r of grad_A_k is (1/B) times example r's own grad_a_k, and W_k, b_k are shared
by all rows, so their gradients ADD the rows' contributions:

    grad_W_k = grad_A_k^T H_{k-1}              (n_k, B) @ (B, n_{k-1}) -> (n_k, n_{k-1})
    grad_b_k = grad_A_k.sum(axis=0)            (B, n_k) -> (n_k,)

which equals the mean over the rows of the per-example gradients
(:func:`per_example_gradients`).  ``backprop.network.backward`` uses exactly these lines.
"""
from __future__ import annotations

import numpy as np

from . import _validate
from .network import Network, backward, forward


def weight_grad(grad_a_k, h_prev, i: int, j: int) -> float:
    """dL/dW_kij = grad_a_ki * h_{k-1,j} for ONE weight; i and j counted from 1 like the lecture.

    ``grad_a_k``: (n_k,); ``h_prev``: (n_{k-1},) -> a float.
    """
    grad_a_k = _validate.float_array(grad_a_k, "grad_a_k", ndim=1)
    h_prev = _validate.float_array(h_prev, "h_prev (h_{k-1})", ndim=1)
    i = _validate.positive_int(i, "i (neuron of layer k, from 1)")
    j = _validate.positive_int(j, "j (input from layer k-1, from 1)")
    if i > grad_a_k.shape[0]:
        raise ValueError(f"i must be in 1..n_k = 1..{grad_a_k.shape[0]}; got {i}")
    if j > h_prev.shape[0]:
        raise ValueError(f"j must be in 1..n_(k-1) = 1..{h_prev.shape[0]}; got {j}")
    return float(grad_a_k[i - 1] * h_prev[j - 1])


def layer_weight_grad(grad_a_k, h_prev):
    """grad_W_k = grad_a_k h_{k-1}^T, the outer product, for one example.

    ``grad_a_k``: (n_k,); ``h_prev``: (n_{k-1},) -> (n_k, n_{k-1}); entry [i-1, j-1] is dL/dW_kij.
    """
    grad_a_k = _validate.float_array(grad_a_k, "grad_a_k", ndim=1)
    h_prev = _validate.float_array(h_prev, "h_prev (h_{k-1})", ndim=1)
    return grad_a_k[:, None] * h_prev[None, :]


def batch_weight_grad(grad_A_k, H_prev):
    """grad_W_k = grad_A_k^T H_{k-1} for a batch (rows are examples; grad_A_k already holds the 1/B).

    ``grad_A_k``: (B, n_k); ``H_prev``: (B, n_{k-1}) -> (n_k, n_{k-1}).
    """
    grad_A_k = _validate.float_array(grad_A_k, "grad_A_k", ndim=2)
    H_prev = _validate.float_array(H_prev, "H_prev (H_{k-1})", ndim=2)
    if grad_A_k.shape[0] != H_prev.shape[0]:
        raise ValueError(f"grad_A_k and H_prev must have one row per example, the same B; got shapes "
                         f"{grad_A_k.shape} and {H_prev.shape}")
    return grad_A_k.T @ H_prev


def batch_bias_grad(grad_A_k):
    """grad_b_k = grad_A_k summed over the batch rows (axis 0). ``grad_A_k``: (B, n_k) -> (n_k,)."""
    grad_A_k = _validate.float_array(grad_A_k, "grad_A_k", ndim=2)
    return grad_A_k.sum(axis=0)


def per_example_gradients(net: Network, X, labels):
    """Each example's OWN gradients (no 1/B), stacked: the batch gradient is their mean.

    ``X``: (B, n_0); ``labels``: (B,) ints.  Returns ``(grad_W, grad_b)``, lists indexed
    by k (index 0 None) with ``grad_W[k]`` of shape (B, n_k, n_{k-1}) and ``grad_b[k]``
    of shape (B, n_k); row r is what ``backward`` gives for example r alone.
    """
    fwd = forward(net, X)
    if not fwd.batched:
        raise ValueError(f"X must be a batch of shape (B, {net.sizes[0]}); got shape {np.shape(X)}")
    B = fwd.y_hat.shape[0]
    labels = _validate.labels(labels, "labels", n_classes=net.sizes[-1], batch=B)
    grad_W = [None] + [np.empty((B,) + net.W[k].shape) for k in range(1, net.L + 1)]
    grad_b = [None] + [np.empty((B,) + net.b[k].shape) for k in range(1, net.L + 1)]
    for r in range(B):
        g = backward(net, forward(net, fwd.h[0][r]), int(labels[r]))
        for k in range(1, net.L + 1):
            grad_W[k][r] = g.grad_W[k]
            grad_b[k][r] = g.grad_b[k]
    return grad_W, grad_b


def largest_entry(grad_W_k, k: int):
    """The entry of ``grad_W_k`` (n_k, n_{k-1}) largest in absolute value: (name 'W_kij', i, j, value), i, j from 1."""
    grad_W_k = _validate.float_array(grad_W_k, "grad_W_k", ndim=2)
    k = _validate.positive_int(k, "k")
    i, j = np.unravel_index(int(np.argmax(np.abs(grad_W_k))), grad_W_k.shape)
    return f"W_{k}{i + 1}{j + 1}", int(i) + 1, int(j) + 1, float(grad_W_k[i, j])
