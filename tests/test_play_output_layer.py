"""Lesson 05's panel, headless: moving a slider or the class shows what the library computes for it."""
import numpy as np
import pytest

from backprop import widgets
from backprop.play import output_layer as play


def _expected(a, label):
    """y_hat, loss and gradient written out here, independently of the library."""
    e = np.exp(a - a.max())
    y = e / e.sum()
    onehot = np.eye(3)[label]
    return y, -np.log(y[label]), y - onehot


def test_panel_starts_at_the_lecture_logits():
    p = play.panel()
    a = np.array([p.controls[f"a_3{i}"].value for i in (1, 2, 3)])
    assert np.allclose(a, [-0.09, -0.02, -0.2])
    assert p.controls["label"].value == 2
    assert p.png().startswith(b"\x89PNG")


@pytest.mark.parametrize("a31,a32,a33,label", [(2.5, -1.0, 0.3, 0), (-6.0, 6.0, 0.0, 2), (1.0, 1.0, 1.0, 1)])
def test_set_shows_what_the_library_computes(a31, a32, a33, label):
    p = play.panel()
    p.set(a_31=a31, a_32=a32, a_33=a33, label=label)
    y, loss, grad = _expected(np.array([a31, a32, a33]), label)
    assert np.allclose(p.data["y_hat"], y)
    assert p.data["loss"] == pytest.approx(loss)
    assert np.allclose(p.data["grad_a_L"], grad)
    r = p.readout.value
    assert f"loss = {loss:.4f}" in r
    assert f"true class ℓ = {label + 1}" in r
    for v in y:
        assert f"{v:.4f}" in r
    for v in grad:
        assert f"{v:+.4f}" in r


def test_bars_follow_the_data_and_the_red_bar_is_the_true_class():
    p = play.panel()
    p.set(a_31=3.0, label=0)
    heights = [b.get_height() for b in p.art["g_bars"]]
    assert np.allclose(heights, p.data["grad_a_L"])
    assert p.art["y_bars"][0].get_facecolor() != p.art["y_bars"][1].get_facecolor()


def test_latency():
    p = play.panel()
    times = widgets.latency(p, "a_31", np.linspace(-6, 6, 15))
    assert np.median(times) < 0.2


_VALID_BAD = dict(a_31=1.0, a_32=2.0, a_33=3.0, label=2)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(a_31="1"), TypeError, ["a_31", "str"]),
    (dict(a_32=True), TypeError, ["a_32", "True"]),
    (dict(a_33=float("-inf")), ValueError, ["a_33", "finite"]),
    (dict(label=2.0), TypeError, ["integer", "float"]),
])
def test_compute_refuses_bad_input_by_name(kwargs, exc, words):
    with pytest.raises(exc) as info:
        play.output_state(**dict(_VALID_BAD, **kwargs))
    for w in words:
        assert w in str(info.value), (w, str(info.value))
