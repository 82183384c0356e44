"""Lesson 06's panel, headless: the activation and a chosen show g(a), g'(a) and the wrong g'(h)."""
import math

import numpy as np
import pytest

from backprop import widgets
from backprop.play import hidden_units as play


def _reference(name, a):
    """g and g' written out here, not taken from the library."""
    if name == "logistic":
        g = lambda v: 1 / (1 + math.exp(-v))
        gp = lambda v: g(v) * (1 - g(v))
    elif name == "tanh":
        g, gp = math.tanh, lambda v: 1 - math.tanh(v) ** 2
    else:
        g, gp = lambda v: max(v, 0.0), lambda v: 1.0 if v > 0 else 0.0
    return g(a), gp(a), gp(g(a))


@pytest.mark.parametrize("name,a", [("logistic", 0.0), ("logistic", 2.35), ("tanh", -1.2), ("relu", 0.75),
                                    ("relu", -2.0), ("tanh", 3.5)])
def test_set_shows_what_the_library_computes(name, a):
    p = play.panel()
    p.set(activation=name, a=a)
    g, gp, wrong = _reference(name, a)
    d = p.data
    assert d["g"] == pytest.approx(g) and d["g_prime"] == pytest.approx(gp) and d["g_prime_of_h"] == pytest.approx(wrong)
    assert np.allclose(d["tangent"], g + gp * (d["xs"] - a))
    r = p.readout.value
    assert f"g(a) = {g:.4f}" in r and f"g′(a) = {gp:.4f}" in r and f"g′(h) = {wrong:.4f}" in r
    assert r.startswith(name)
    x, y = p.art["pt"].get_data()
    assert x[0] == pytest.approx(a) and y[0] == pytest.approx(g)


def test_curves_change_with_the_activation():
    p = play.panel()
    p.set(activation="relu")
    assert np.allclose(p.art["g"].get_ydata(), np.maximum(p.data["xs"], 0))
    p.set(activation="tanh")
    assert np.allclose(p.art["gp"].get_ydata(), 1 - np.tanh(p.data["xs"]) ** 2)
    assert p.png().startswith(b"\x89PNG")


def test_latency():
    p = play.panel()
    assert np.median(widgets.latency(p, "a", np.linspace(-3, 3, 15))) < 0.2


_VALID_BAD = dict(activation="tanh", a=0.5)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(a="0.5"), TypeError, ["a", "str"]),
    (dict(a=float("inf")), ValueError, ["a", "finite"]),
    (dict(a=np.ones(2)), TypeError, ["a", "array"]),
    (dict(activation="sigmoidal"), ValueError, ["logistic", "sigmoidal"]),
])
def test_compute_refuses_bad_input_by_name(kwargs, exc, words):
    with pytest.raises(exc) as info:
        play.activation_state(**dict(_VALID_BAD, **kwargs))
    for w in words:
        assert w in str(info.value), (w, str(info.value))
