"""A feed-forward network of any depth, its forward pass and its backward pass.

Notation (COURSE.md; the lecture's): layers k = 1..L, layer L the output.

    h[0] = x                                   (n_0,)      or (B, n_0)
    a[k] = b[k] + W[k] h[k-1]                   (n_k,)      or (B, n_k): A[k] = H[k-1] @ W[k].T + b[k]
    h[k] = g(a[k])           for k = 1..L-1
    y_hat = softmax(a[L])                       (n_L,)      or (B, n_L)
    loss = -log y_hat[l]                        (the batch loss is the MEAN over the B rows)

``W[k]`` has shape (n_k, n_{k-1}) and ``b[k]`` shape (n_k,).  Lists are indexed
so that ``W[1]`` is W_1: ``W[0]`` and ``b[0]`` are ``None``.  The weight the
lecture calls W_kij (layer k, from input j to neuron i, counted from 1) is
``W[k][i-1, j-1]``.

The backward pass follows the lecture's pseudocode (lessons 05-08 derive each line):

    grad_a[L] = -(e(l) - y_hat)                       (divided by B for a batch)
    for k = L .. 1:
        grad_W[k] = grad_a[k] h[k-1]^T                (batch: grad_A[k].T @ H[k-1])
        grad_b[k] = grad_a[k]                         (batch: summed over the rows)
        grad_h[k-1] = W[k]^T grad_a[k]                (batch: grad_A[k] @ W[k])
        grad_a[k-1] = grad_h[k-1] * g'(a[k-1])        (elementwise)
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate, activations, losses

INITS = ("xavier", "small")


class Network:
    """Weights ``W[1..L]``, biases ``b[1..L]`` and the hidden activation's name.

    ``W``: list with ``W[0] = None`` and ``W[k]`` of shape (n_k, n_{k-1}).
    ``b``: list with ``b[0] = None`` and ``b[k]`` of shape (n_k,).
    ``activation``: 'logistic', 'tanh' or 'relu' (used by hidden layers 1..L-1;
    the output layer always uses softmax).
    """

    def __init__(self, W, b, activation: str = "logistic"):
        activations.get(activation)
        if not isinstance(W, (list, tuple)) or not isinstance(b, (list, tuple)):
            raise TypeError(f"W and b must be lists indexed from 1 (W[0] = None); got {_validate.describe(W)} and {_validate.describe(b)}")
        if len(W) != len(b) or len(W) < 2:
            raise ValueError(f"W and b must be lists of the same length L+1 >= 2 (W[0] = b[0] = None); got lengths {len(W)} and {len(b)}")
        if W[0] is not None or b[0] is not None:
            raise ValueError("W[0] and b[0] must be None, so that W[k] is the weight matrix of layer k; "
                             f"got W[0] = {_validate.describe(W[0])} and b[0] = {_validate.describe(b[0])}")
        self.W = [None]
        self.b = [None]
        for k in range(1, len(W)):
            Wk = _validate.float_array(W[k], f"W[{k}]", ndim=2)
            if k > 1 and Wk.shape[1] != self.W[k - 1].shape[0]:
                raise ValueError(
                    f"W[{k}] must have shape (n_{k}, n_{k-1}) = (any, {self.W[k - 1].shape[0]}) to take the "
                    f"{self.W[k - 1].shape[0]} outputs of layer {k - 1}; got shape {Wk.shape}"
                )
            bk = _validate.float_array(b[k], f"b[{k}]", shape=(Wk.shape[0],))
            self.W.append(Wk.copy())
            self.b.append(bk.copy())
        self.activation = "logistic" if activation == "sigmoid" else activation

    # ----------------------------------------------------------------- creation
    @classmethod
    def init(cls, sizes, activation: str = "logistic", init: str = "xavier", seed: int = 0, scale: float = 0.1):
        """A network with layer sizes ``sizes = [n_0, n_1, ..., n_L]``, seeded.

        ``init='xavier'``: W[k] ~ Uniform(-r, r), r = sqrt(6 / (n_k + n_{k-1}));
        ``init='small'``: W[k] ~ Normal(0, scale^2).  Biases start at 0.
        The same ``seed`` always gives the same weights.
        """
        sizes = _validate.sizes(sizes)
        _validate.choice(init, "init", INITS)
        scale = _validate.positive_float(scale, "scale")
        seed = _validate.seed(seed)
        rng = np.random.default_rng(seed)
        W, b = [None], [None]
        for k in range(1, len(sizes)):
            n_out, n_in = sizes[k], sizes[k - 1]
            if init == "xavier":
                r = np.sqrt(6.0 / (n_in + n_out))
                W.append(rng.uniform(-r, r, size=(n_out, n_in)))
            else:
                W.append(rng.normal(0.0, scale, size=(n_out, n_in)))
            b.append(np.zeros(n_out))
        return cls(W, b, activation)

    # --------------------------------------------------------------- properties
    @property
    def L(self) -> int:
        """Number of layers (hidden layers 1..L-1 and the output layer L)."""
        return len(self.W) - 1

    @property
    def sizes(self) -> list[int]:
        """[n_0, n_1, ..., n_L]."""
        return [self.W[1].shape[1]] + [Wk.shape[0] for Wk in self.W[1:]]

    @property
    def n_params(self) -> int:
        """Number of weights and biases."""
        return sum(Wk.size + bk.size for Wk, bk in zip(self.W[1:], self.b[1:]))

    def parameters(self):
        """List of (name, array) pairs: ('W[1]', W[1]), ('b[1]', b[1]), ...; the arrays themselves, not copies."""
        out = []
        for k in range(1, self.L + 1):
            out += [(f"W[{k}]", self.W[k]), (f"b[{k}]", self.b[k])]
        return out

    def copy(self) -> "Network":
        """A deep copy."""
        return Network(self.W, self.b, self.activation)

    def __repr__(self) -> str:
        return f"Network(sizes={self.sizes}, activation={self.activation!r})"


@dataclass
class Forward:
    """Everything the forward pass computed, indexed like the lecture.

    ``h[0] = x``; ``a[k]``, ``h[k]`` for k = 1..L (``a[0] = None``;
    ``h[L] = y_hat``).  Each is (n_k,) for one example or (B, n_k) for a batch.
    """
    a: list
    h: list
    y_hat: np.ndarray

    @property
    def batched(self) -> bool:
        return self.y_hat.ndim == 2


@dataclass
class Gradients:
    """dLoss/d(quantity) for every quantity, each with that quantity's shape.

    ``grad_W[k]`` (n_k, n_{k-1}); ``grad_b[k]`` (n_k,); ``grad_a[k]`` and
    ``grad_h[k]`` (n_k,) or (B, n_k).  Index 0 of grad_W, grad_b, grad_a is None;
    ``grad_h[0]`` (the input's gradient) is None unless asked for.  For a batch,
    the loss is the mean over the rows, so grad_a[k] already holds the 1/B.
    """
    loss: float
    grad_W: list
    grad_b: list
    grad_a: list
    grad_h: list = field(default_factory=list)


def check_net(net) -> Network:
    """Raise TypeError unless ``net`` is a :class:`Network`; return it."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a backprop.Network (e.g. backprop.Network.init([3, 4, 2])); got {_validate.describe(net)}")
    return net


def _check_input(net: Network, x) -> np.ndarray:
    check_net(net)
    n0 = net.sizes[0]
    x = _validate.float_array(x, "x", ndim=(1, 2))
    if x.shape[-1] != n0:
        want = f"({n0},) for one example or (B, {n0}) for a batch"
        raise ValueError(f"x must have shape {want}: the network has n_0 = {n0} inputs; got shape {x.shape}")
    return x


def forward(net: Network, x) -> Forward:
    """Forward pass. ``x``: (n_0,) or (B, n_0) -> :class:`Forward` with every a[k], h[k] and y_hat."""
    x = _check_input(net, x)
    g, _ = activations.get(net.activation)
    a, h = [None], [x]
    for k in range(1, net.L + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            a.append(h[k - 1] @ net.W[k].T + net.b[k])   # == b_k + W_k h_{k-1}, row by row
        if not np.all(np.isfinite(a[k])):
            raise ValueError(
                f"a[{k}] = b[{k}] + W[{k}] h[{k - 1}] overflowed to inf/NaN: the weights or inputs are too large "
                f"(largest |W[{k}]| = {np.max(np.abs(net.W[k])):.3g}, largest |h[{k - 1}]| = {np.max(np.abs(h[k - 1])):.3g}); "
                f"expected values whose products stay below about 1e300"
            )
        h.append(g(a[k]) if k < net.L else losses.softmax(a[k]))
    return Forward(a=a, h=h, y_hat=h[net.L])


def loss(net: Network, x, label) -> float:
    """Cross-entropy loss of ``net`` on ``x`` (n_0,) with ``label`` int, or the mean over a batch (B, n_0) with labels (B,)."""
    fwd = forward(net, x)
    return losses.cross_entropy(fwd.a[net.L], label)


def backward(net: Network, fwd: Forward, label, input_grad: bool = False) -> Gradients:
    """Backward pass, line by line the lecture's pseudocode (see the module docstring).

    ``fwd``: the :class:`Forward` of ``net`` on x.  ``label``: int for one
    example, int array (B,) for a batch.  ``input_grad=True`` also computes
    grad_h[0] = dLoss/dx.  Returns :class:`Gradients`.
    """
    check_net(net)
    if not isinstance(fwd, Forward):
        raise TypeError(f"fwd must be the Forward returned by forward(net, x); got {_validate.describe(fwd)}")
    input_grad = _validate.flag(input_grad, "input_grad")
    L = net.L
    if len(fwd.a) != L + 1 or any(fwd.a[k].shape[-1] != net.sizes[k] for k in range(1, L + 1)) \
            or fwd.h[0].shape[-1] != net.sizes[0]:
        got = [fwd.h[0].shape[-1]] + [fwd.a[k].shape[-1] for k in range(1, len(fwd.a))]
        raise ValueError(f"fwd must come from forward(net, x) on this network, with layer sizes {net.sizes}; "
                         f"got a Forward with layer sizes {got}")
    _, g_prime = activations.get(net.activation)
    aL = fwd.a[L]
    loss_value = losses.cross_entropy(aL, label)
    grad_a = [None] * (L + 1)
    grad_h = [None] * (L + 1)
    grad_W = [None] * (L + 1)
    grad_b = [None] * (L + 1)
    grad_a[L] = losses.cross_entropy_grad(aL, label)
    grad_h[L] = None  # h_L = y_hat; the fused gradient skips it
    for k in range(L, 0, -1):
        if fwd.batched:
            grad_W[k] = grad_a[k].T @ fwd.h[k - 1]
            grad_b[k] = grad_a[k].sum(axis=0)
        else:
            grad_W[k] = np.outer(grad_a[k], fwd.h[k - 1])
            grad_b[k] = grad_a[k].copy()
        if k > 1 or input_grad:
            grad_h[k - 1] = grad_a[k] @ net.W[k]          # == W_k^T grad_a_k, row by row
        if k > 1:
            grad_a[k - 1] = grad_h[k - 1] * g_prime(fwd.a[k - 1])
    return Gradients(loss=loss_value, grad_W=grad_W, grad_b=grad_b, grad_a=grad_a, grad_h=grad_h)


def gradients(net: Network, x, label, input_grad: bool = False) -> Gradients:
    """Forward then backward: the loss and every gradient of ``net`` on (``x``, ``label``)."""
    return backward(net, forward(net, x), label, input_grad=input_grad)
