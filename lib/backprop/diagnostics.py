"""Seeing gradients misbehave (lesson 11): per-layer measurements of a network on a batch.

Notation (COURSE.md): a batch X (B, n_0) = H[0]; A[k] = H[k-1] @ W[k].T + b[k] (B, n_k);
H[k] = g(A[k]) for the hidden layers k = 1..L-1.  The backward pass (lesson 06) gives

    grad_h[k-1] = W_k^T grad_a[k]            (batch: grad_A[k] @ W[k])
    grad_a[k]   = grad_h[k] * g'(a[k])       (elementwise)

so going down one hidden layer multiplies the size of the gradient by at most
||W_k||_2 * max g'(a_k) (:func:`backward_factors`); the logistic's g' is at most 1/4.

What this module measures, each from one forward and one backward pass of the library
(:func:`backprop.forward`, :func:`backprop.gradients`; nothing is re-derived here):

* :func:`gradient_norms` -- ||grad_W_k||, ||grad_b_k|| and ||grad_A_k|| for every layer;
* :func:`activation_stats` -- mean and std of A[k] and H[k], the fraction of saturated
  logistic/tanh values (:func:`saturated_fraction`) and of dead ReLUs (:func:`dead_units`:
  units whose a_k <= 0 for EVERY example of the batch, so g'(a_k) = 0 and no gradient
  passes through them);
* :func:`distinct_units` -- how many hidden units of a layer are really different: units that
  are copies of each other (same incoming row of W_k and bias, same outgoing column of W_{k+1})
  stay copies under gradient descent (symmetric initialisation);
* :func:`update_ratio` -- ||eta grad_W_k|| / ||W_k||, the relative size of one plain
  gradient-descent step, an early warning for a learning rate that is too large;
* :func:`diagnose` -- all of it at once, as a :class:`Diagnosis` that prints a table.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate, activations
from .network import Forward, Gradients, Network, backward, check_net, forward

G_PRIME_MAX = {"logistic": 0.25, "tanh": 1.0, "relu": 1.0, "identity": 1.0}
"""The largest value of g' for each activation (logistic: g'(0) = 1/4; tanh: g'(0) = 1; ReLU: 1 for a > 0)."""

SATURATION_TOL = 0.01
"""A logistic value h is saturated when h < 0.01 or h > 0.99, a tanh value when |h| > 0.99 (then g' < 0.02)."""


# ---------------------------------------------------------------------------- input checks
def _batch(net: Network, X) -> np.ndarray:
    check_net(net)
    X = _validate.float_array(X, "X", ndim=2)
    if X.shape[1] != net.sizes[0]:
        raise ValueError(f"X must have shape (B, {net.sizes[0]}): the network has n_0 = {net.sizes[0]} inputs; "
                         f"got shape {X.shape}")
    return X


def _labels(net: Network, X: np.ndarray, labels) -> np.ndarray:
    return _validate.labels(labels, "labels", n_classes=net.sizes[-1], batch=X.shape[0])


def _tol(tol, name="tol") -> float:
    tol = _validate.positive_float(tol, name, allow_zero=True)
    if tol >= 0.5:
        raise ValueError(f"{name} must be a small number in [0, 0.5); got {tol}")
    return tol


# ---------------------------------------------------------------------------- gradients
def gradient_norms(net: Network, X, labels) -> dict:
    """Per-layer gradient sizes of the mean batch loss.

    ``X`` (B, n_0) float, ``labels`` (B,) int.  Returns a dict of (L,) arrays, entry k-1
    for layer k: 'W' = ||grad_W_k|| (Frobenius), 'b' = ||grad_b_k||, 'a' = ||grad_A_k||
    (Frobenius norm of the (B, n_k) matrix: all examples' grad_a_k at once), and 'loss'.
    The same numbers as :func:`backprop.whole_network.gradient_norms` for 'W'.
    """
    X = _batch(net, X)
    labels = _labels(net, X, labels)
    g = backward(net, forward(net, X), labels)
    return _norms(net, g)


def _norms(net: Network, g: Gradients) -> dict:
    L = net.L
    return {"W": np.array([np.linalg.norm(g.grad_W[k]) for k in range(1, L + 1)]),
            "b": np.array([np.linalg.norm(g.grad_b[k]) for k in range(1, L + 1)]),
            "a": np.array([np.linalg.norm(g.grad_a[k]) for k in range(1, L + 1)]),
            "loss": float(g.loss)}


def backward_factors(net: Network, X, labels) -> dict:
    """How much the gradient's size changes from h_k to h_{k-1}, measured and bounded, for k = L-1 .. 2.

    ``X`` (B, n_0), ``labels`` (B,).  With grad_h[k-1] = (grad_h[k] * g'(A[k])) @ W[k]
    (rows are examples), each row satisfies ||grad_h_{k-1}|| <= ||W_k||_2 max g'(a_k) ||grad_h_k||,
    and so does the Frobenius norm of the whole batch.  Returns a dict with 'k' (L-2,) the
    layers 2..L-1, 'measured' (L-2,) = ||grad_H[k-1]|| / ||grad_H[k]||, 'spectral' (L-2,) =
    ||W_k||_2 (largest singular value), 'g_prime_max' (L-2,) = the largest g'(a_k) in the
    batch, and 'bound' = spectral * g_prime_max.  Empty arrays for L <= 2.
    A layer whose ||grad_H[k]|| is exactly 0 (every unit dead) gets measured = 0.
    """
    X = _batch(net, X)
    labels = _labels(net, X, labels)
    fwd = forward(net, X)
    g = backward(net, fwd, labels)
    _, g_prime = activations.get(net.activation)
    ks = list(range(net.L - 1, 1, -1))
    measured, spectral, gmax = [], [], []
    for k in ks:
        top = np.linalg.norm(g.grad_h[k])
        measured.append(np.linalg.norm(g.grad_h[k - 1]) / top if top > 0 else 0.0)
        spectral.append(np.linalg.norm(net.W[k], 2))
        gmax.append(float(np.max(g_prime(fwd.a[k]))))
    spectral, gmax = np.array(spectral), np.array(gmax)
    return {"k": np.array(ks, dtype=int), "measured": np.array(measured), "spectral": spectral,
            "g_prime_max": gmax, "bound": spectral * gmax}


# ---------------------------------------------------------------------------- activations
def saturated_fraction(H, activation: str, tol: float = SATURATION_TOL) -> float:
    """Fraction of the entries of ``H`` (any shape, e.g. (B, n_k)) that sit within ``tol`` of the activation's bounds.

    'logistic': h < tol or h > 1 - tol; 'tanh': |h| > 1 - tol.  There g'(a) is tiny
    (logistic: below tol, tanh: below 2 tol), so almost no gradient passes.  ReLU and the
    identity do not saturate (a ValueError says to use :func:`dead_units` for ReLU).
    """
    activation = _validate.choice(activation, "activation", ("logistic", "tanh", "relu", "identity"))
    if activation in ("relu", "identity"):
        raise ValueError(f"saturated_fraction is for 'logistic' and 'tanh', whose h has bounds; got {activation!r} "
                         f"(for ReLU use dead_units / dead_fraction)")
    H = _validate.float_array(H, "H")
    tol = _tol(tol)
    if activation == "logistic":
        if H.min() < 0 or H.max() > 1:
            raise ValueError(f"H must hold logistic values in [0, 1]; got values from {H.min():.3g} to {H.max():.3g}")
        return float(np.mean((H < tol) | (H > 1 - tol)))
    if np.abs(H).max() > 1:
        raise ValueError(f"H must hold tanh values in [-1, 1]; got values from {H.min():.3g} to {H.max():.3g}")
    return float(np.mean(np.abs(H) > 1 - tol))


def dead_units(A) -> np.ndarray:
    """Dead ReLUs: ``A`` (B, n_k) pre-activations of a ReLU layer on a batch -> (n_k,) bool.

    Unit i is dead on this batch when a_ki <= 0 for EVERY row: its h is 0 and its g'(a) = 0
    for every example, so no gradient reaches its incoming weights and they never change.
    """
    A = _validate.float_array(A, "A", ndim=2)
    return np.all(A <= 0, axis=0)


def dead_fraction(A) -> float:
    """The fraction of units of ``A`` (B, n_k) that are dead (:func:`dead_units`), a float in [0, 1]."""
    return float(np.mean(dead_units(A)))


def activation_stats(net: Network, X, tol: float = SATURATION_TOL) -> list:
    """Statistics of every hidden layer k = 1..L-1 on the batch ``X`` (B, n_0).

    Returns a list of L-1 dicts (entry k-1 for layer k) with 'k', 'mean_a', 'std_a',
    'mean_h', 'std_h' (over all B * n_k entries of A[k], H[k]), 'saturated' (the fraction
    of saturated entries, :func:`saturated_fraction`; None for ReLU) and 'dead' (the
    fraction of dead units, :func:`dead_fraction`; None for logistic and tanh).
    """
    X = _batch(net, X)
    tol = _tol(tol)
    fwd = forward(net, X)
    return _stats(net, fwd, tol)


def _stats(net: Network, fwd: Forward, tol: float) -> list:
    act = net.activation
    out = []
    for k in range(1, net.L):
        A, H = fwd.a[k], fwd.h[k]
        out.append({"k": k, "mean_a": float(A.mean()), "std_a": float(A.std()), "mean_h": float(H.mean()),
                    "std_h": float(H.std()),
                    "saturated": saturated_fraction(H, act, tol) if act in ("logistic", "tanh") else None,
                    "dead": dead_fraction(A) if act == "relu" else None})
    return out


# ---------------------------------------------------------------------------- symmetry
def distinct_rows(M, tol: float = 1e-9) -> int:
    """How many different rows ``M`` (n, m) has: rows within ``tol`` * (1 + largest |M|) of each other count once.

    Rows are grouped greedily in order: the first row not yet in a group starts a new group,
    which takes every later row that close to it.
    """
    M = _validate.float_array(M, "M", ndim=2)
    tol = _tol(tol)
    scale = tol * (1.0 + float(np.max(np.abs(M))))
    grouped = np.zeros(M.shape[0], dtype=bool)
    groups = 0
    for i in range(M.shape[0]):
        if not grouped[i]:
            groups += 1
            grouped |= np.max(np.abs(M - M[i]), axis=1) <= scale
    return groups


def unit_signature(net: Network, k: int) -> np.ndarray:
    """Everything that makes hidden unit i of layer k what it is: (n_k, n_{k-1} + 1 + n_{k+1}).

    Row i = [W_k[i, :], b_k[i], W_{k+1}[:, i]]: its incoming weights, its bias and its
    outgoing weights.  Two units with equal rows compute the same h_k for every input and
    receive the same gradient, so gradient descent keeps them equal.  ``k`` in 1..L-1.
    """
    check_net(net)
    k = _validate.positive_int(k, "k")
    if not 1 <= k <= net.L - 1:
        raise ValueError(f"k must be a hidden layer, 1..{net.L - 1} (L = {net.L}); got {k}")
    return np.hstack([net.W[k], net.b[k][:, None], net.W[k + 1].T])


def distinct_units(net: Network, tol: float = 1e-9) -> list:
    """For each hidden layer k = 1..L-1, how many of its n_k units are different (list of L-1 ints).

    Units are copies when their :func:`unit_signature` rows agree within ``tol`` (relative to
    the largest weight).  A network initialised with every weight equal has 1 distinct unit
    per hidden layer, and keeps 1 however long it trains.
    """
    check_net(net)
    tol = _tol(tol)
    return [distinct_rows(unit_signature(net, k), tol) for k in range(1, net.L)]


# ---------------------------------------------------------------------------- learning rate
def update_ratio(net: Network, grads: Gradients, lr: float) -> np.ndarray:
    """||lr * grad_W_k|| / ||W_k|| for k = 1..L -> (L,): the relative size of one plain gradient step.

    ``grads``: the :class:`backprop.Gradients` of ``net`` (e.g. ``bp.gradients(net, X, labels)``);
    ``lr`` > 0 the learning rate eta.  A common rule of thumb: around 1e-3 is healthy, much more
    than 1e-2 jumps too far.  A layer whose weights are all 0 gets inf (or 0 if its gradient is 0 too).
    """
    check_net(net)
    if not isinstance(grads, Gradients):
        raise TypeError(f"grads must be the Gradients returned by bp.gradients(net, X, labels); got {_validate.describe(grads)}")
    lr = _validate.positive_float(lr, "lr (the learning rate)")
    if len(grads.grad_W) != net.L + 1 or any(grads.grad_W[k].shape != net.W[k].shape for k in range(1, net.L + 1)):
        got = [None if w is None else w.shape for w in grads.grad_W]
        raise ValueError(f"grads must belong to this network: grad_W[k] of the shapes of W[k] "
                         f"{[w.shape for w in net.W[1:]]}; got {got[1:]}")
    out = []
    for k in range(1, net.L + 1):
        step, size = lr * np.linalg.norm(grads.grad_W[k]), np.linalg.norm(net.W[k])
        out.append(step / size if size > 0 else (0.0 if step == 0 else np.inf))
    return np.array(out)


# ---------------------------------------------------------------------------- all at once
@dataclass
class Diagnosis:
    """Everything :func:`diagnose` measured.

    ``sizes``, ``activation``; ``loss``; ``grad_norms`` (L,) = ||grad_W_k||; ``grad_a_norms``
    (L,) = ||grad_A_k||; ``stats``: :func:`activation_stats`' list (L-1 dicts); ``distinct``:
    :func:`distinct_units` (L-1 ints); ``update_ratio`` (L,) or None when no lr was given; ``lr``.
    """
    sizes: list
    activation: str
    loss: float
    grad_norms: np.ndarray
    grad_a_norms: np.ndarray
    stats: list
    distinct: list
    update_ratio: np.ndarray | None = None
    lr: float | None = None
    notes: list = field(default_factory=list)

    @property
    def stuck(self) -> np.ndarray:
        """(L-1,) per hidden layer: the saturated fraction (logistic, tanh) or the dead fraction (ReLU)."""
        key = "dead" if self.activation == "relu" else "saturated"
        return np.array([s[key] if s[key] is not None else 0.0 for s in self.stats])

    def __str__(self) -> str:
        L = len(self.grad_norms)
        stuck = "dead" if self.activation == "relu" else "saturated"
        head = (f"sizes {self.sizes}, {self.activation}, loss {self.loss:.4f}"
                + (f", lr = {self.lr:g}" if self.lr is not None else ""))
        lines = [head, f"{'layer':>5} {'||grad_W||':>11} {'||grad_A||':>11} {'mean a':>8} {'std a':>8} "
                       f"{'std h':>7} {stuck:>9} {'distinct':>9}" + (f" {'lr*|gW|/|W|':>12}" if self.update_ratio is not None else "")]
        for k in range(1, L + 1):
            row = f"{k:>5} {self.grad_norms[k - 1]:>11.2e} {self.grad_a_norms[k - 1]:>11.2e}"
            if k < L:
                s = self.stats[k - 1]
                row += (f" {s['mean_a']:>8.3f} {s['std_a']:>8.3f} {s['std_h']:>7.3f} {self.stuck[k - 1]:>9.3f} "
                        f"{self.distinct[k - 1]:>4}/{self.sizes[k]:<4}")
            else:
                row += f" {'(output layer)':>44}"
            if self.update_ratio is not None:
                row += f" {self.update_ratio[k - 1]:>12.2e}"
            lines.append(row)
        return "\n".join(lines + self.notes)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def diagnose(net: Network, X, labels, lr: float | None = None, tol: float = SATURATION_TOL) -> Diagnosis:
    """One forward and one backward pass of ``net`` on ``X`` (B, n_0), ``labels`` (B,): every measurement.

    ``lr``: optionally a learning rate, for :func:`update_ratio`.  Returns a :class:`Diagnosis`
    (print it for a table, one row per layer).
    """
    X = _batch(net, X)
    labels = _labels(net, X, labels)
    tol = _tol(tol)
    fwd = forward(net, X)
    g = backward(net, fwd, labels)
    n = _norms(net, g)
    return Diagnosis(sizes=net.sizes, activation=net.activation, loss=n["loss"], grad_norms=n["W"],
                     grad_a_norms=n["a"], stats=_stats(net, fwd, tol), distinct=distinct_units(net),
                     update_ratio=None if lr is None else update_ratio(net, g, lr),
                     lr=None if lr is None else float(lr))
