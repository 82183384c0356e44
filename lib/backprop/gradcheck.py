"""Gradient checking by central differences (lesson 01 introduces it, 08 uses it on everything).

    dL/dw  ~=  (L(w + eps) - L(w - eps)) / (2 eps)

Compared with the backward pass by a relative error that cannot divide by zero:

    rel(x, y) = |x - y| / max(|x|, |y|, floor)

``floor`` (default 1e-8) turns the relative error into an absolute one when
both values are tiny, so two gradients that are both 0 agree (rel = 0) and
finite-difference noise on a zero gradient does not look like a failure.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import _validate
from .network import Network, gradients, loss


def relative_error(x, y, floor: float = 1e-8):
    """Elementwise |x - y| / max(|x|, |y|, floor). ``x``, ``y``: same shape -> that shape (a float for scalars)."""
    x = _validate.float_array(x, "x", allow_scalar=True)
    y = _validate.float_array(y, "y", allow_scalar=True)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape to be compared; got {x.shape} and {y.shape}")
    floor = _validate.positive_float(floor, "floor")
    m = np.maximum(np.maximum(np.abs(x), np.abs(y)), floor)
    with np.errstate(over="ignore"):
        err = np.abs(x - y) / m
    if not np.all(np.isfinite(err)):       # x - y overflowed (|x|, |y| near 1e308): scale first
        err = np.where(np.isfinite(err), err, np.abs(x / m - y / m))
    return float(err) if err.ndim == 0 else err


def numerical_gradient(f, x, eps: float = 1e-6):
    """Central-difference gradient of the scalar function ``f`` at ``x``.

    ``x``: float array of any shape (changed in place and restored) -> an array
    of the same shape.  Costs 2 evaluations of ``f`` per entry of ``x``.
    """
    x_arr = _validate.float_array(x, "x", allow_scalar=True)
    if x_arr is not x and isinstance(x, np.ndarray) and x.dtype == np.float64:
        x_arr = x
    eps = _validate.positive_float(eps, "eps")
    grad = np.zeros_like(x_arr)
    flat = x_arr.reshape(-1)
    gflat = grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        try:
            flat[i] = old + eps
            f_plus = float(f(x_arr))
            flat[i] = old - eps
            f_minus = float(f(x_arr))
        finally:
            flat[i] = old          # restored even if f raises, so the caller's array is never left nudged
        gflat[i] = (f_plus - f_minus) / (2 * eps)
    return grad


@dataclass
class GradCheckReport:
    """What :func:`check_gradients` found: the worst parameter and a row per array.

    ``rows``: list of (name, shape, max relative error).  ``worst``: (name,
    index, backprop value, finite-difference value, relative error).
    """
    rows: list
    worst: tuple
    tol: float
    numeric: dict = field(repr=False, default_factory=dict)

    @property
    def max_error(self) -> float:
        return self.worst[4]

    @property
    def ok(self) -> bool:
        return self.max_error <= self.tol

    def __str__(self) -> str:
        lines = [f"{'parameter':<10} {'shape':<10} {'max rel. error':>14}"]
        for name, shape, err in self.rows:
            lines.append(f"{name:<10} {str(shape):<10} {err:>14.1e}")
        name, idx, ana, num, err = self.worst
        lines.append(
            f"worst: {name}{list(idx)}  backprop {ana:.10g}  finite differences {num:.10g}  rel. error {err:.1e}"
        )
        lines.append(f"{'OK' if self.ok else 'MISMATCH'}: largest relative error {err:.1e} {'<=' if self.ok else '>'} tolerance {self.tol:.0e}")
        return "\n".join(lines)

    def _repr_pretty_(self, p, cycle):
        p.text(str(self))


def check_gradients(net: Network, x, label, eps: float = 1e-6, tol: float = 1e-6, floor: float = 1e-8, grads=None) -> GradCheckReport:
    """Compare every grad_W[k] and grad_b[k] of the backward pass with central differences.

    ``x``: (n_0,) or (B, n_0); ``label``: int or (B,) ints.  ``grads``: the
    gradients to check (default: :func:`backprop.network.gradients`), so a
    learner can check their own.  Returns a :class:`GradCheckReport`.
    """
    tol = _validate.positive_float(tol, "tol")
    eps = _validate.positive_float(eps, "eps")
    floor = _validate.positive_float(floor, "floor")
    if grads is None:
        grads = gradients(net, x, label)
    work = net.copy()
    rows, worst, numeric = [], ("", (), 0.0, 0.0, -1.0), {}
    for k in range(1, net.L + 1):
        for kind, arr, ana in (("W", work.W[k], grads.grad_W[k]), ("b", work.b[k], grads.grad_b[k])):
            name = f"{kind}[{k}]"
            ana = _validate.float_array(ana, f"grad_{kind}[{k}]", shape=arr.shape)
            num = numerical_gradient(lambda _: loss(work, x, label), arr, eps)
            numeric[name] = num
            err = relative_error(ana, num, floor)
            i = np.unravel_index(int(np.argmax(err)), err.shape)
            rows.append((name, arr.shape, float(err[i])))
            if err[i] > worst[4]:
                worst = (name, tuple(int(j) for j in i), float(ana[i]), float(num[i]), float(err[i]))
    return GradCheckReport(rows=rows, worst=worst, tol=tol, numeric=numeric)
