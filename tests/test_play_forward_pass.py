"""Lesson 00's panel, headless: moving a slider shows what the library computes for that value."""
import re

import numpy as np
import pytest

import backprop as bp
from backprop import lecture
from backprop.play import forward_pass


def expected_loss(x1, x2, x3, W_111):
    net = lecture.network()
    net.W[1][0, 0] = W_111
    return bp.loss(net, np.array([x1, x2, x3]), 2)


def shown_loss(panel):
    return float(re.search(r"loss ℒ = −log ŷ<sub>ℓ</sub> = ([-\d.]+)", panel.readout.value).group(1))


def test_start_is_the_lecture_example():
    p = forward_pass.panel()
    x, label = lecture.example()
    assert np.isclose(p.data["loss"], bp.loss(lecture.network(), x, label))


@pytest.mark.parametrize("W_111", [-2.5, -0.4, 0.9, 3.0])
def test_moving_W111_shows_the_library_loss(W_111):
    p = forward_pass.panel()
    p.set(W_111=W_111)
    want = expected_loss(0.5, -1.0, 2.0, W_111)
    assert np.isclose(p.data["loss"], want)
    assert abs(shown_loss(p) - want) < 1e-4
    # the first hidden neuron moves with W_111: a_11 = b_11 + W_111 x_1 + ...
    net = lecture.network()
    assert np.isclose(p.data["a"][1][0], net.b[1][0] + W_111 * 0.5 + net.W[1][0, 1] * -1.0 + net.W[1][0, 2] * 2.0)


def test_inputs_move_everything_downstream():
    p = forward_pass.panel()
    before = p.data["y_hat"].copy()
    p.set(x2=2.0, x3=-1.5)
    assert not np.allclose(before, p.data["y_hat"])
    assert np.isclose(p.data["loss"], expected_loss(0.5, 2.0, -1.5, p.values["W_111"]))


def test_with_x1_zero_W111_does_not_matter():
    p = forward_pass.panel()
    a = p.set(x1=0.0, W_111=-2.0)["loss"]
    b = p.set(W_111=2.0)["loss"]
    assert a == b


_VALID_BAD = dict(x1=0.5, x2=-1.0, x3=2.0, W_111=0.1, label=2)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(x1="0.5"), TypeError, ["x1", "str"]),
    (dict(x2=True), TypeError, ["x2", "True"]),
    (dict(W_111=float("nan")), ValueError, ["W_111", "finite"]),
    (dict(x3=[1.0]), TypeError, ["x3", "list"]),
    (dict(label=3), ValueError, ["0..2", "3"]),
])
def test_compute_refuses_bad_input_by_name(kwargs, exc, words):
    with pytest.raises(exc) as info:
        forward_pass.forward_state(**dict(_VALID_BAD, **kwargs))
    for w in words:
        assert w in str(info.value), (w, str(info.value))
