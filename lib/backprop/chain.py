"""A deep, thin network: one logistic neuron per layer (lesson 03 derives everything here).

The chain, in the lecture's notation with one neuron per layer (so every W_k is
1x1 and its only weight is W_k11):

    h_0 = x                                    a scalar input
    a_k = b_k + W_k11 h_{k-1}                  k = 1..L
    h_k = g(a_k),  g = logistic                k = 1..L (the last unit is logistic too)
    loss = 1/2 (h_L - y)^2                     squared error against a target y

The gradient of one weight is a product of local derivatives (the chain rule):

    dL/dW_k11 = dL/dh_L * g'(a_L) * W_L11 * g'(a_{L-1}) * ... * W_{k+1,11} * g'(a_k) * h_{k-1}

with dL/dh_L = h_L - y, dh_m/da_m = g'(a_m), da_m/dh_{m-1} = W_m11 and
da_k/dW_k11 = h_{k-1}.

Two ways to get every weight's gradient, each counting its multiplications:

* :func:`naive_gradients`: for each weight k, multiply the factors from the loss
  down to layer k anew: 2(L-k)+2 multiplications, L(L+1) in all (quadratic);
* :func:`reuse_gradients`: keep delta_k = dL/da_k and get delta_{k-1} =
  delta_k * W_k11 * g'(a_{k-1}) from it (backward accumulation):
  1 + 2(L-1) + L = 3L-1 multiplications (linear).

Arrays: ``w`` and ``b`` have shape (L,) and hold W_111, W_211, ..., W_L11 (``w[k-1]``
is W_k11, as ``W[k][0, 0]`` would be in a network of width 1).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate


def _weights(w, b=None):
    w = _validate.float_array(w, "w (the weights W_111, W_211, ..., W_L11)", ndim=1)
    if w.shape[0] < 1:
        raise ValueError("w must hold at least one weight (depth L >= 1); got an empty array")
    if b is None:
        b = np.zeros_like(w)
    else:
        b = _validate.float_array(b, "b (the biases b_1 .. b_L)", shape=w.shape)
    return w, b


@dataclass
class ThinChain:
    """The forward pass of a thin chain, indexed like the lecture.

    ``w``, ``b``: (L,) with ``w[k-1]`` = W_k11.  ``a``: list of length L+1 with
    ``a[0] = None`` and ``a[k]`` a float; ``h``: list of length L+1 with
    ``h[0] = x``.  ``y``: the target; ``loss`` = 1/2 (h_L - y)^2.
    """
    w: np.ndarray
    b: np.ndarray
    x: float
    y: float
    a: list
    h: list
    g_prime: list
    loss: float

    @property
    def L(self) -> int:
        """Depth: the number of layers (= number of weights)."""
        return int(self.w.shape[0])

    def W(self, k: int) -> float:
        """W_k11, the weight of layer k (k = 1..L)."""
        return float(self.w[k - 1])


def forward(w, x: float = 1.0, y: float = 1.0, b=None) -> ThinChain:
    """Forward pass of the chain with weights ``w`` (L,), biases ``b`` (L,) (default 0),
    input ``x`` (float) and target ``y`` (float).  Returns a :class:`ThinChain`."""
    w, b = _weights(w, b)
    x = float(_validate.float_array(x, "x (the input, one number)", ndim=0, allow_scalar=True))
    y = float(_validate.float_array(y, "y (the target, one number)", ndim=0, allow_scalar=True))
    if abs(y) > 1e150:
        raise ValueError(f"y (the target) must be a moderate number, |y| <= 1e150, so that the loss 1/2 (h_L - y)^2 "
                         f"stays finite; got {y:g}")
    a = [None] + [0.0] * w.shape[0]
    h = [x] + [0.0] * w.shape[0]
    for k in range(1, w.shape[0] + 1):
        with np.errstate(over="ignore", invalid="ignore"):
            a[k] = float(b[k - 1] + w[k - 1] * h[k - 1])
        if not np.isfinite(a[k]):
            raise ValueError(f"a_{k} = b_{k} + W_{k}11 h_{k - 1} overflowed: x or the weights are too large "
                             f"(W_{k}11 = {w[k - 1]:g}, h_{k - 1} = {h[k - 1]:g}); expected products below about 1e300")
        h[k] = 1.0 / (1.0 + np.exp(-a[k])) if a[k] >= 0 else np.exp(a[k]) / (1.0 + np.exp(a[k]))   # logistic, stable
    g_prime = [None] + [h[k] * (1.0 - h[k]) for k in range(1, w.shape[0] + 1)]
    return ThinChain(w=w, b=b, x=x, y=y, a=a, h=[float(v) for v in h], g_prime=[None] + [float(v) for v in g_prime[1:]],
                     loss=float(0.5 * (h[-1] - y) ** 2))


def loss(w, x: float = 1.0, y: float = 1.0, b=None) -> float:
    """The loss 1/2 (h_L - y)^2 of the chain; ``w`` (L,) -> float (used for finite differences)."""
    return forward(w, x, y, b).loss


@dataclass
class Factor:
    """One local derivative of the chain: ``name`` (plain text, e.g. "∂h_2/∂a_2"),
    ``formula`` (what it equals, e.g. "g'(a_2)") and ``value`` (float)."""
    name: str
    formula: str
    value: float


def _check_chain(chain) -> "ThinChain":
    if not isinstance(chain, ThinChain):
        raise TypeError(f"chain must be the ThinChain returned by backprop.chain.forward(w, x, y); got {_validate.describe(chain)}")
    return chain


def local_factors(chain: ThinChain, k: int = 1) -> list[Factor]:
    """The local derivatives whose product is dL/dW_k11, from the loss down to the weight.

    ``k``: 1..L.  Returns a list of 2(L-k)+3 :class:`Factor`: dL/dh_L, then for
    m = L..k: dh_m/da_m (and, for m > k, da_m/dh_{m-1} = W_m11), then da_k/dW_k11 = h_{k-1}.
    """
    L = _check_chain(chain).L
    k = _validate.positive_int(k, "k (the layer of the weight)")
    if k > L:
        raise ValueError(f"k must be a layer 1..L = 1..{L}; got {k}")
    out = [Factor(f"∂ℒ/∂h_{L}", f"h_{L} - y", chain.h[L] - chain.y)]
    for m in range(L, k - 1, -1):
        out.append(Factor(f"∂h_{m}/∂a_{m}", f"g'(a_{m})", chain.g_prime[m]))
        if m > k:
            out.append(Factor(f"∂a_{m}/∂h_{m - 1}", f"W_{m}11", chain.W(m)))
    out.append(Factor(f"∂a_{k}/∂W_{k}11", f"h_{k - 1}" + (" = x" if k == 1 else ""), chain.h[k - 1]))
    return out


class Counter:
    """Counts multiplications: ``c.mul(u, v)`` returns u * v and adds 1 to ``c.n``."""

    def __init__(self):
        self.n = 0

    def mul(self, u: float, v: float) -> float:
        self.n += 1
        return u * v


def naive_gradients(chain: ThinChain):
    """Every dL/dW_k11, each computed from scratch: for weight k, multiply the factors
    of :func:`local_factors` (k) from the loss down, anew.

    Returns ``(grads, n_mult)``: grads (L,) with grads[k-1] = dL/dW_k11, and the
    number of multiplications, L(L+1) (see :func:`naive_count`).
    """
    c = Counter()
    L = _check_chain(chain).L
    grads = np.zeros(L)
    for k in range(1, L + 1):
        factors = [f.value for f in local_factors(chain, k)]
        p = factors[0]
        for f in factors[1:]:
            p = c.mul(p, f)
        grads[k - 1] = p
    return grads, c.n


def reuse_gradients(chain: ThinChain):
    """Every dL/dW_k11 by backward accumulation: delta_k = dL/da_k is kept and reused,

        delta_L = (h_L - y) * g'(a_L),   delta_{k-1} = delta_k * W_k11 * g'(a_{k-1}),
        dL/dW_k11 = delta_k * h_{k-1}.

    Returns ``(grads, n_mult, delta)``: grads (L,); the number of multiplications,
    3L-1 (see :func:`reuse_count`); delta, a list of length L+1 with delta[0] = None
    and delta[k] = dL/da_k.
    """
    c = Counter()
    L = _check_chain(chain).L
    delta = [None] * (L + 1)
    delta[L] = c.mul(chain.h[L] - chain.y, chain.g_prime[L])
    for k in range(L, 1, -1):
        delta[k - 1] = c.mul(c.mul(delta[k], chain.W(k)), chain.g_prime[k - 1])
    grads = np.array([c.mul(delta[k], chain.h[k - 1]) for k in range(1, L + 1)])
    return grads, c.n, delta


def naive_count(L: int) -> int:
    """Multiplications of :func:`naive_gradients` for depth L: sum over k of 2(L-k)+2 = L(L+1)."""
    L = _validate.positive_int(L, "L (the depth)")
    return L * (L + 1)


def reuse_count(L: int) -> int:
    """Multiplications of :func:`reuse_gradients` for depth L: 1 + 2(L-1) + L = 3L - 1."""
    L = _validate.positive_int(L, "L (the depth)")
    return 3 * L - 1


def counts(depths, w: float = 1.0, x: float = 1.0, y: float = 1.0) -> dict:
    """Counted multiplications of both methods for each depth in ``depths`` (a list of ints),
    on a chain whose weights all equal ``w``.

    Returns a dict with 'L', 'naive', 'reuse' (int arrays, one entry per depth).
    """
    depths = _validate.int_list(depths, "depths")
    w = _validate.real(w, "w")
    naive, reuse = [], []
    for L in depths:
        chain = forward(np.full(L, float(w)), x, y)
        naive.append(naive_gradients(chain)[1])
        reuse.append(reuse_gradients(chain)[1])
    return {"L": np.array(depths), "naive": np.array(naive), "reuse": np.array(reuse)}


def sigma_prime_products(w, x: float = 1.0, y: float = 1.0, b=None) -> dict:
    """How the product of local derivatives shrinks down a chain of weights ``w`` (L,).

    Returns a dict of (L,) arrays indexed by depth d = 1..L (entry d-1 is for the
    chain of the first d layers): 'sigma' = prod_{k<=d} g'(a_k), 'bound' = 4^-d,
    'weights_bound' = 4^-d prod_{k=2..d} |W_k11| (the bound on |prod g'(a_k) prod W_k11|),
    'chain' = |prod_{k<=d} g'(a_k) prod_{k=2..d} W_k11|, the part of dL/dW_111 that
    depends on depth.
    """
    chain = forward(w, x, y, b)
    L = chain.L
    sp = np.array(chain.g_prime[1:])
    wabs = np.abs(chain.w)
    wprod = np.cumprod(np.concatenate([[1.0], wabs[1:]]))
    d = np.arange(1, L + 1)
    return {"d": d, "sigma": np.cumprod(sp), "bound": 0.25 ** d, "weights_bound": 0.25 ** d * wprod,
            "chain": np.cumprod(sp) * wprod}
