"""Minibatch gradient descent, written out plainly (lesson 09).

Lesson 09 trains with :func:`backprop.train.fit`, whose inner loop is fast
(buffers reused, updates in place).  This module is the same algorithm in a
few readable lines, built on lesson 08's :func:`backprop.network.gradients`,
so that the lesson (and the tests) can check that ``fit`` does exactly this:

    every epoch: shuffle the N training rows (seeded), cut them into minibatches of B rows
    every minibatch (X_b, y_b):
        grad_W[k], grad_b[k] = gradients of the MEAN loss (1/B) sum_r loss_r      (lesson 08)
        'sgd':       W_k <- W_k - eta * grad_W[k]
        'momentum':  v_k <- mu * v_k + grad_W[k];   W_k <- W_k - eta * v_k        (v_k starts at 0)
        (the same for every b_k, with its own velocity)

Also: :func:`most_confused`, the largest off-diagonal entry of a confusion matrix.
"""
from __future__ import annotations

import numpy as np

from . import _validate
from .network import Network, gradients


def _check_eta(eta) -> float:
    return _validate.positive_float(eta, "eta (the learning rate)")


def _check_mu(mu) -> float:
    return _validate.fraction(mu, "mu (the momentum)")


def _same_shape(names_arrays):
    (n0, a0), *rest = names_arrays
    for n, a in rest:
        if a.shape != a0.shape:
            raise ValueError(f"{n} must have the shape of {n0}, {a0.shape}; got {a.shape}")


def _finite(new, name: str, what: str):
    """Raise ValueError if the step overflowed to inf/NaN instead of passing it on."""
    if not np.all(np.isfinite(new)):
        raise ValueError(f"{name} = {what} overflowed to inf/NaN: the values or eta are too large; "
                         f"expected values whose products and sums stay below about 1e308")
    return new


def sgd_step(W, grad, eta):
    """One plain gradient-descent step: W - eta * grad.

    ``W``: a parameter array of any shape (a W_k (n_k, n_{k-1}) or a b_k (n_k,));
    ``grad``: the gradient of the mean batch loss with respect to it, same shape;
    ``eta`` > 0.  Returns the new array (same shape); ``W`` is not changed.
    """
    W = _validate.float_array(W, "W", allow_scalar=True)
    grad = _validate.float_array(grad, "grad", allow_scalar=True)
    _same_shape([("W", W), ("grad", grad)])
    eta = _check_eta(eta)
    with np.errstate(over="ignore", invalid="ignore"):
        return _finite(W - eta * grad, "W_new", "W - eta * grad")


def momentum_step(W, v, grad, eta, mu):
    """One step of gradient descent with momentum: v_new = mu v + grad, W_new = W - eta v_new.

    ``W``: a parameter array (any shape), ``v``: its velocity (same shape; zeros
    before the first step), ``grad``: the gradient of the mean batch loss (same
    shape), ``eta`` > 0 the learning rate, ``mu`` in [0, 1) the momentum.
    Returns ``(W_new, v_new)``, both of W's shape; the inputs are not changed.
    With mu = 0 it is :func:`sgd_step`.  (PyTorch's ``SGD(momentum=mu)`` does the same.)
    """
    W = _validate.float_array(W, "W", allow_scalar=True)
    v = _validate.float_array(v, "v", allow_scalar=True)
    grad = _validate.float_array(grad, "grad", allow_scalar=True)
    _same_shape([("W", W), ("v", v), ("grad", grad)])
    eta, mu = _check_eta(eta), _check_mu(mu)
    with np.errstate(over="ignore", invalid="ignore"):
        v_new = _finite(mu * v + grad, "v_new", "mu * v + grad")
        return _finite(W - eta * v_new, "W_new", "W - eta * v_new"), v_new


def minibatches(N: int, B: int, rng: np.random.Generator):
    """The row indices of one epoch: a permutation of 0..N-1 drawn from ``rng``, cut into pieces of B.

    ``N``, ``B``: positive ints; returns a list of int arrays (the last one has
    N mod B rows when B does not divide N).  :func:`backprop.train.fit` draws the
    same permutation from the same generator.
    """
    N = _validate.positive_int(N, "N")
    B = _validate.positive_int(B, "B")
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy Generator (np.random.default_rng(seed)); got {_validate.describe(rng)}")
    order = rng.permutation(N)
    return [order[i:i + B] for i in range(0, N, B)]


def train_plainly(net: Network, X, y, *, epochs: int, batch_size: int, eta: float, mu: float = 0.0, seed: int = 0):
    """Minibatch gradient descent (with momentum ``mu``) in plain Python on lesson 08's gradients.

    ``net``: a :class:`Network` (not changed; a copy is trained), ``X`` (N, n_0)
    float, ``y`` (N,) int labels.  Same shuffling as :func:`backprop.train.fit`
    with the same ``seed``.  Returns ``(trained_net, losses)`` where ``losses``
    holds the mean loss of every minibatch before its update.  Slow (lesson 08's
    code allocates every array anew), but every line is one of the formulas above.
    """
    from .train import _check_net, _check_xy     # the same checks as fit
    net = _check_net(net)
    X, y = _check_xy(net, X, y)
    epochs = _validate.positive_int(epochs, "epochs")
    batch_size = _validate.positive_int(batch_size, "batch_size")
    eta, mu = _check_eta(eta), _check_mu(mu)
    net = net.copy()
    rng = np.random.default_rng(_validate.seed(seed))
    vW = [None] + [np.zeros_like(net.W[k]) for k in range(1, net.L + 1)]
    vb = [None] + [np.zeros_like(net.b[k]) for k in range(1, net.L + 1)]
    losses = []
    for _ in range(epochs):
        for idx in minibatches(X.shape[0], min(batch_size, X.shape[0]), rng):
            g = gradients(net, X[idx], np.asarray(y)[idx])
            losses.append(g.loss)
            for k in range(1, net.L + 1):
                net.W[k], vW[k] = momentum_step(net.W[k], vW[k], g.grad_W[k], eta, mu)
                net.b[k], vb[k] = momentum_step(net.b[k], vb[k], g.grad_b[k], eta, mu)
    return net, losses


def most_confused(C):
    """The largest off-diagonal entry of a confusion matrix: ``(true_class, predicted_class, count)``.

    ``C``: (n, n) int counts, C[i, j] = examples of true class i predicted as j.
    Ties go to the first in row-major order.  Returns ints.
    """
    C = np.asarray(C)
    if C.ndim != 2 or C.shape[0] != C.shape[1] or C.shape[0] < 2:
        raise ValueError(f"C must be a square confusion matrix (n, n) with n >= 2; got {_validate.describe(C)}")
    if not np.issubdtype(C.dtype, np.integer):
        raise TypeError(f"C must hold integer counts; got {_validate.describe(C)}")
    if C.min() < 0:
        raise ValueError(f"C must hold counts >= 0; got {int(C.min())} at {tuple(int(i) for i in np.argwhere(C < 0)[0])}")
    off = C.copy()
    np.fill_diagonal(off, -1)
    i, j = np.unravel_index(int(np.argmax(off)), off.shape)
    return int(i), int(j), int(C[i, j])
