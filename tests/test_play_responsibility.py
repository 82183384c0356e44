"""Lesson 01's panel, headless: the sliders move what their labels say, the numbers are the library's."""
import numpy as np
import pytest

import backprop as bp
from backprop import lecture, widgets
from backprop.play import responsibility as play
from reference import autograd_gradients


def _independent(name_kij, w, delta):
    """Loss, ratio and derivative for W_kij = w, computed without the panel or backprop.responsibility."""
    k, i, j = name_kij
    net = lecture.network()
    x, label = lecture.example()
    net.W[k][i - 1, j - 1] = w
    L = bp.loss(net, x, label)
    up = net.copy()
    up.W[k][i - 1, j - 1] = w + delta
    gW, _ = autograd_gradients(net, x, label)[k - 1]
    return L, (bp.loss(up, x, label) - L) / delta, float(gW[i - 1, j - 1])


def test_starts_on_W111_at_its_lecture_value():
    p = play.panel()
    net = lecture.network()
    assert p.controls["name"].value == "W_111"
    assert p.controls["w"].value == pytest.approx(net.W[1][0, 0])
    assert p.data["loss"] == pytest.approx(bp.loss(net, *lecture.example()))


@pytest.mark.parametrize("name, kij, w, delta", [("W_333", (3, 3, 3), -0.5, 1e-3), ("W_111", (1, 1, 1), 1.7, 0.1),
                                                 ("W_212", (2, 1, 2), 0.0, 1e-8)])
def test_sliders_set_the_parameter_and_the_nudge(name, kij, w, delta):
    p = play.panel()
    d = p.set(name=name, w=w, delta=delta)
    L, ratio, der = _independent(kij, w, delta)
    assert d["w"] == pytest.approx(w) and d["delta"] == pytest.approx(delta, rel=1e-12)
    assert d["loss"] == pytest.approx(L, abs=1e-14)
    assert d["forward"] == pytest.approx(ratio, rel=1e-9, abs=1e-12)
    assert d["derivative"] == pytest.approx(der, rel=1e-10, abs=1e-14)
    assert d["forward_error"] == pytest.approx(abs(ratio - der), rel=1e-3, abs=1e-12)
    s = widgets.symbol(name)
    assert f"{s} = {w:.3f}" in p.readout.value
    assert f"loss ℒ = {L:.6f}" in p.readout.value
    assert f"dℒ/d{s} = {der:.8f}" in p.readout.value
    # the curve is L over the w range, with this parameter moved
    ws = d["ws"]
    k, i, j = kij
    net = lecture.network()
    net.W[k][i - 1, j - 1] = ws[40]
    assert d["curve"][40] == pytest.approx(bp.loss(net, *lecture.example()), abs=1e-14)


def test_the_drawn_lines_are_the_tangent_and_the_secant():
    p = play.panel()
    d = p.set(name="W_333", w=0.4, delta=0.5)
    xs, ys = p.art["tangent"].get_data()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(d["derivative"])
    xs, ys = p.art["secant"].get_data()
    assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(d["forward"])
    assert p.art["vline"].get_xdata()[0] == pytest.approx(0.5)


def test_a_move_is_fast_enough():
    p = play.panel()
    times = widgets.latency(p, "w", np.linspace(-2, 2, 9))
    assert np.median(times) < 0.2    # target 50 ms; generous here for slow CI machines


_VALID_BAD = dict(name="W_111", w=0.5, delta=1e-3)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(w="0.5"), TypeError, ["w", "str"]),
    (dict(delta=0.0), ValueError, ["delta", "> 0"]),
    (dict(delta=-1e-3), ValueError, ["delta", "> 0"]),
    (dict(delta=True), TypeError, ["delta", "True"]),
    (dict(name="W_1111"), ValueError, ["W_kij", "W_1111"]),
])
def test_compute_refuses_bad_input_by_name(kwargs, exc, words):
    with pytest.raises(exc) as info:
        play.nudge_state(**dict(_VALID_BAD, **kwargs))
    for w in words:
        assert w in str(info.value), (w, str(info.value))
