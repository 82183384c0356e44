"""Lesson 01: the derivative as responsibility -- nudge one parameter, watch the loss.

A parameter of the lecture network is named like the lecture: ``'W_kij'`` is the
weight W_kij = ``W[k][i-1, j-1]`` (layer k, to neuron i, from input j, counted
from 1) and ``'b_ki'`` is the bias b_ki = ``b[k][i-1]``.  Everything here only
*evaluates the loss*; it never uses the backward pass, so it can check it.

    forward difference   (L(w + delta) - L(w)) / delta              error ~ delta |L''| / 2
    central difference   (L(w + delta) - L(w - delta)) / (2 delta)  error ~ delta^2 |L'''| / 6
    round-off            both also carry ~ eps |L| / delta, eps = 2.2e-16 (float64)
    Richardson           (4 D(delta/2) - D(delta)) / 3 with D the central difference: error ~ delta^4
"""
from __future__ import annotations

import re

import numpy as np

from . import _validate
from .network import Network, check_net, gradients, loss

EPS = float(np.finfo(float).eps)
"""Machine epsilon of float64, 2.2e-16: the relative size of one rounding step."""

_NAME = re.compile(r"^(W)_(\d)(\d)(\d)$|^(b)_(\d)(\d)$")


def parse_name(net: Network, name: str) -> tuple:
    """'W_kij' -> ('W', k, i, j) and 'b_ki' -> ('b', k, i, None), all 1-based, checked against ``net``."""
    check_net(net)
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'W_111' or 'b_21'; got {_validate.describe(name)}")
    m = _NAME.match(name)
    if not m:
        raise ValueError(f"name must look like 'W_kij' (e.g. 'W_111') or 'b_ki' (e.g. 'b_21'), one digit per index; got {name!r}")
    if m.group(1):
        kind, k, i, j = "W", int(m.group(2)), int(m.group(3)), int(m.group(4))
    else:
        kind, k, i, j = "b", int(m.group(6)), int(m.group(7)), None
    if not 1 <= k <= net.L:
        raise ValueError(f"{name}: the layer k must be in 1..{net.L}; got k = {k}")
    n_out, n_in = net.W[k].shape
    if not 1 <= i <= n_out:
        raise ValueError(f"{name}: layer {k} has neurons i = 1..{n_out}; got i = {i}")
    if j is not None and not 1 <= j <= n_in:
        raise ValueError(f"{name}: layer {k} has inputs j = 1..{n_in}; got j = {j}")
    return kind, k, i, j


def parameter_names(net: Network) -> list[str]:
    """Every parameter's name, layer by layer: 'W_111', 'W_112', ..., 'b_11', ..., 'W_211', ... (n_params names)."""
    check_net(net)
    names = []
    for k in range(1, net.L + 1):
        n_out, n_in = net.W[k].shape
        names += [f"W_{k}{i}{j}" for i in range(1, n_out + 1) for j in range(1, n_in + 1)]
        names += [f"b_{k}{i}" for i in range(1, n_out + 1)]
    return names


def get_value(net: Network, name: str) -> float:
    """The current value of the parameter ``name`` ('W_kij' or 'b_ki') of ``net``."""
    kind, k, i, j = parse_name(net, name)
    return float(net.W[k][i - 1, j - 1] if kind == "W" else net.b[k][i - 1])


def _set(net: Network, name: str, value: float) -> None:
    kind, k, i, j = parse_name(net, name)
    if kind == "W":
        net.W[k][i - 1, j - 1] = value
    else:
        net.b[k][i - 1] = value


def nudge(net: Network, name: str, delta: float) -> Network:
    """A copy of ``net`` whose parameter ``name`` is increased by ``delta`` (a float, may be negative); ``net`` is unchanged."""
    delta = _validate.float_array(delta, "delta", allow_scalar=True, ndim=0)
    parse_name(net, name)
    out = net.copy()
    _set(out, name, get_value(net, name) + float(delta))
    return out


def loss_as_function_of_weight(net: Network, x, label: int, name: str, values) -> np.ndarray:
    """L(w): the loss of ``net`` on (``x`` (n_0,), ``label`` int) with parameter ``name`` set to each of ``values``.

    ``values``: float array (m,) -> float array (m,).  Every other parameter keeps its value.
    """
    values = _validate.float_array(values, "values", ndim=1)
    parse_name(net, name)
    work = net.copy()
    out = np.empty(values.shape[0])
    for n, v in enumerate(values):
        _set(work, name, v)
        out[n] = loss(work, x, label)
    return out


def _loss_at(net, x, label, name, w):
    return float(loss_as_function_of_weight(net, x, label, name, np.array([w]))[0])


def forward_difference(net: Network, x, label: int, name: str, delta: float) -> float:
    """(L(w + delta) - L(w)) / delta for the parameter ``name`` at its current value w; ``delta`` > 0."""
    delta = _validate.positive_float(delta, "delta")
    w = get_value(net, name)
    return (_loss_at(net, x, label, name, w + delta) - _loss_at(net, x, label, name, w)) / delta


def central_difference(net: Network, x, label: int, name: str, delta: float) -> float:
    """(L(w + delta) - L(w - delta)) / (2 delta) for the parameter ``name`` at its current value w; ``delta`` > 0."""
    delta = _validate.positive_float(delta, "delta")
    w = get_value(net, name)
    return (_loss_at(net, x, label, name, w + delta) - _loss_at(net, x, label, name, w - delta)) / (2 * delta)


def richardson(net: Network, x, label: int, name: str, delta: float = 1e-3) -> float:
    """Central differences extrapolated (Richardson): (4 D(delta/2) - D(delta)) / 3, truncation error ~ delta^4.

    A very accurate derivative that needs nothing but loss evaluations (4 of them).
    """
    d1 = central_difference(net, x, label, name, delta)
    d2 = central_difference(net, x, label, name, delta / 2)
    return (4 * d2 - d1) / 3


def backprop_derivative(net: Network, x, label: int, name: str) -> float:
    """dL/d(name) from the backward pass (:func:`backprop.gradients`; lessons 05-08 derive it)."""
    kind, k, i, j = parse_name(net, name)
    g = gradients(net, x, label)
    return float(g.grad_W[k][i - 1, j - 1] if kind == "W" else g.grad_b[k][i - 1])


def difference_errors(net: Network, x, label: int, name: str, deltas, reference: float) -> dict:
    """|difference quotient - reference| for every nudge size.

    ``deltas``: positive floats (m,); ``reference``: the true dL/dw.  Returns a dict of
    float arrays (m,): 'delta', 'forward' and 'central' (the absolute errors).
    """
    deltas = _validate.float_array(deltas, "deltas", ndim=1)
    if np.any(deltas <= 0):
        raise ValueError(f"deltas must all be > 0; got {deltas[deltas <= 0][0]}")
    reference = float(_validate.float_array(reference, "reference", allow_scalar=True, ndim=0))
    w = get_value(net, name)
    L0 = _loss_at(net, x, label, name, w)
    up = loss_as_function_of_weight(net, x, label, name, w + deltas)
    down = loss_as_function_of_weight(net, x, label, name, w - deltas)
    return {"delta": deltas,
            "forward": np.abs((up - L0) / deltas - reference),
            "central": np.abs((up - down) / (2 * deltas) - reference)}


def error_model(net: Network, x, label: int, name: str, deltas) -> dict:
    """The two regimes of the error, predicted from the loss's higher derivatives at w.

    Returns float arrays (m,): 'forward_truncation' = delta |L''| / 2,
    'central_truncation' = delta^2 |L'''| / 6, 'round_off' = eps |L| / delta; and the floats
    'L', 'L2' (L''), 'L3' (L''').  L'' and L''' are estimated by wide central differences.
    """
    deltas = _validate.float_array(deltas, "deltas", ndim=1)
    w = get_value(net, name)
    h = 1e-2
    f = loss_as_function_of_weight(net, x, label, name, w + h * np.array([-2.0, -1.0, 0.0, 1.0, 2.0]))
    L2 = (f[3] - 2 * f[2] + f[1]) / h**2
    L3 = (f[4] - 2 * f[3] + 2 * f[1] - f[0]) / (2 * h**3)
    return {"forward_truncation": deltas * abs(L2) / 2, "central_truncation": deltas**2 * abs(L3) / 6,
            "round_off": EPS * abs(f[2]) / deltas, "L": float(f[2]), "L2": float(L2), "L3": float(L3)}


def rank_weights(net: Network, x, label: int, delta: float = 1e-5) -> list[tuple[str, float]]:
    """Every parameter with its dL/dw by central differences, most responsible first.

    ``x``: (n_0,); ``label``: int.  Returns a list of (name, derivative) pairs of length
    ``net.n_params``, sorted by |derivative| from largest to smallest (ties keep layer order).
    """
    names = parameter_names(net)
    ders = [central_difference(net, x, label, n, delta) for n in names]
    order = sorted(range(len(names)), key=lambda n: -abs(ders[n]))
    return [(names[n], ders[n]) for n in order]
