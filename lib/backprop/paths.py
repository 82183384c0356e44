"""Many paths: the multivariable chain rule as a sum over paths (lesson 04 derives it).

A weight W_kij changes a_ki, which (for k < L) changes h_ki, which changes every
a_{k+1,m}, each of which changes h_{k+1,m}, and so on up to every a_Lc, and the
loss depends on all of them.  The multivariable chain rule adds up one product
of local derivatives per path:

    dL/dW_kij = sum over paths (i = n_k, n_{k+1}, ..., n_L) of
                h_{k-1,j} * g'(a_{k,n_k}) W_{k+1,n_{k+1},n_k} g'(a_{k+1,n_{k+1}}) ... W_{L,n_L,n_{L-1}} * dL/da_{L,n_L}

with dL/da_L = y_hat - e(l) (softmax + cross-entropy; lesson 05 derives it,
here it is taken as given and checked numerically in the notebook).
A path from a layer-k weight visits one neuron in each later layer, so there are
n_{k+1} n_{k+2} ... n_L paths: the number grows exponentially with depth, while
the backward pass reuses grad_a[k] and its work grows linearly (lesson 03).

One example only: ``x`` of shape (n_0,), ``label`` an int.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate, activations, losses
from .network import Network, _check_input, forward


@dataclass
class Factor:
    """One local derivative on a path: ``name`` (e.g. "∂h_11/∂a_11"), ``formula`` (e.g. "g'(a_11)"), ``value``."""
    name: str
    formula: str
    value: float


@dataclass
class Path:
    """One path from a weight to the loss.

    ``neurons``: list of (layer, neuron) pairs, 1-based, one per layer k..L
    (e.g. [(1, 1), (2, 3), (3, 2)]: a_11 -> h_11 -> a_23 -> h_23 -> a_32 -> loss).
    ``factors``: the local derivatives along it, from the weight to the loss.
    ``contribution``: their product.
    """
    neurons: list
    factors: list
    contribution: float

    @property
    def edges(self) -> list:
        """The edges (k, i, j) of the network diagram that the path uses after the weight itself."""
        return [(k2, i2, i1) for (k1, i1), (k2, i2) in zip(self.neurons[:-1], self.neurons[1:])]

    def label(self) -> str:
        """A short name for the path: the neurons it visits after layer k, e.g. 'a_23 → a_32'."""
        return " → ".join(f"a_{k}{i}" for k, i in self.neurons[1:]) or f"a_{self.neurons[0][0]}{self.neurons[0][1]}"


def _weight_index(net: Network, k, i, j):
    k = _validate.positive_int(k, "k (the layer of the weight)")
    if k > net.L:
        raise ValueError(f"k must be a layer 1..L = 1..{net.L}; got {k}")
    n_out, n_in = net.W[k].shape
    i = _validate.positive_int(i, "i (the neuron the weight feeds, counted from 1)")
    j = _validate.positive_int(j, "j (the input the weight comes from, counted from 1)")
    if i > n_out or j > n_in:
        raise ValueError(f"W_{k}ij needs i in 1..{n_out} and j in 1..{n_in} (W[{k}] has shape {net.W[k].shape}); got i = {i}, j = {j}")
    return k, i, j


def path_count(sizes, k: int) -> int:
    """Number of paths from a weight of layer ``k`` to the loss in a network of layer sizes
    ``sizes`` = [n_0, ..., n_L]: n_{k+1} n_{k+2} ... n_L (1 for an output-layer weight)."""
    sizes = _validate.sizes(sizes)
    k = _validate.positive_int(k, "k (the layer of the weight)")
    if k > len(sizes) - 1:
        raise ValueError(f"k must be a layer 1..L = 1..{len(sizes) - 1}; got {k}")
    return int(np.prod(sizes[k + 1:], dtype=np.int64)) if k < len(sizes) - 1 else 1


def enumerate_paths(net: Network, x, label, k: int, i: int, j: int) -> list[Path]:
    """Every path from W_kij (1-based) to the loss, with its local derivatives and their product.

    ``x``: (n_0,), one example; ``label``: its class index (int).  Returns a list of
    :func:`path_count` (net.sizes, k) :class:`Path`, in the order of the neurons visited
    (last layer fastest).  The last factor of every path is dL/da_Lc = y_hat_c - e(l)_c.
    """
    x = _check_input(net, x)
    if x.ndim != 1:
        raise ValueError(f"x must be one example of shape ({net.sizes[0]},) here (paths are per example); got shape {x.shape}")
    k, i, j = _weight_index(net, k, i, j)
    label = _validate.labels(label, "label", n_classes=net.sizes[-1], batch=None)
    L = net.L
    _, g_prime = activations.get(net.activation)
    fwd = forward(net, x)
    grad_aL = losses.cross_entropy_grad(fwd.a[L], label)
    gp = [None] + [g_prime(fwd.a[m]) for m in range(1, L)]
    src = "x" if k == 1 else "h"
    first = Factor(f"∂a_{k}{i}/∂W_{k}{i}{j}", f"{src}_{j}" if k == 1 else f"h_{k - 1}{j}", float(fwd.h[k - 1][j - 1]))
    paths = []

    def walk(neurons, factors, prod):
        m, n = neurons[-1]
        if m == L:
            f = Factor(f"∂ℒ/∂a_{L}{n}", f"ŷ_{n} - e(ℓ)_{n}", float(grad_aL[n - 1]))
            paths.append(Path(list(neurons), factors + [f], prod * f.value))
            return
        f_g = Factor(f"∂h_{m}{n}/∂a_{m}{n}", f"g'(a_{m}{n})", float(gp[m][n - 1]))
        for nxt in range(1, net.sizes[m + 1] + 1):
            w = float(net.W[m + 1][nxt - 1, n - 1])
            f_w = Factor(f"∂a_{m + 1}{nxt}/∂h_{m}{n}", f"W_{m + 1}{nxt}{n}", w)
            walk(neurons + [(m + 1, nxt)], factors + [f_g, f_w], prod * f_g.value * f_w.value)

    walk([(k, i)], [first], first.value)
    return paths


def path_sum(net: Network, x, label, k: int, i: int, j: int) -> float:
    """dL/dW_kij as the sum of every path's contribution (see :func:`enumerate_paths`); a float."""
    return float(sum(p.contribution for p in enumerate_paths(net, x, label, k, i, j)))


def enumeration_multiplications(sizes, k: int) -> int:
    """Multiplications to get one layer-k weight's gradient by enumerating its paths: each of the
    :func:`path_count` paths is a product of 2(L-k)+2 factors, so 2(L-k)+1 multiplications."""
    n = path_count(sizes, k)
    return n * (2 * (len(sizes) - 1 - k) + 1)
