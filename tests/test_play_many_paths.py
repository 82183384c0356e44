"""Lesson 04's panel, headless: the dropdown and the slider change what the library computes."""
import numpy as np
import pytest

import backprop as bp
from backprop import lecture, widgets
from backprop.play import many_paths


def test_panel_follows_its_controls():
    p = many_paths.panel()
    assert p.data["key"] == (1, 1, 1) and len(p.data["paths"]) == 9
    p.set(weight="W_223", shift=0.5)
    net = lecture.network()
    x, label = lecture.example()
    net.W[2][1, 2] += 0.5
    num = bp.numerical_gradient(lambda W2: bp.loss(net, x, label), net.W[2])[1, 2]
    assert p.data["key"] == (2, 2, 3) and len(p.data["paths"]) == 3
    assert np.isclose(p.data["value"], lecture.network().W[2][1, 2] + 0.5)
    assert np.isclose(p.data["sum"], num, rtol=1e-6) and np.isclose(p.data["grad"], num, rtol=1e-6)
    assert f"sum over paths = {num:+.6f}" in p.readout.value
    assert f"∂ℒ/∂W₂₂₃ = {num:+.6f}" in p.readout.value
    assert "3 paths" in p.readout.value


def test_highlighted_edges_are_the_paths():
    p = many_paths.panel()
    p.set(weight="W_132", shift=0.0)
    lines = p.art["lines"]
    black = {k for k, l in lines.items() if l.get_color() == "black"}
    assert black == {(2, m, 3) for m in (1, 2, 3)} | {(3, c, m) for c in (1, 2, 3) for m in (1, 2, 3)}
    assert lines[(1, 3, 2)].get_color() == "#d62728"


def test_every_weight_of_the_dropdown_draws():
    p = many_paths.panel()
    for name in many_paths.WEIGHTS.values():
        p.set(weight=name)
        assert np.isclose(p.data["sum"], p.data["grad"], rtol=1e-10, atol=1e-15)
    assert p.png().startswith(b"\x89PNG")


def test_bad_weight_name():
    with pytest.raises(ValueError, match="W_111"):
        many_paths.paths_state("W111")


def test_latency():
    p = many_paths.panel()
    assert np.median(widgets.latency(p, "shift", np.linspace(-3, 3, 13))) < 0.2


def test_bars_longer_than_the_axis_are_hatched():
    """A contribution beyond ±XLIM is drawn clipped, so it must look different (hatched), and only then."""
    p = many_paths.panel()
    assert not any(bar.get_hatch() for bar in p.art["bars"])
    p.set(weight="W_113", shift=-0.75)                  # one path and the sum exceed the axis here
    over = [abs(v) > many_paths.XLIM for v in list(p.data["contributions"]) + [p.data["sum"]]]
    hatched = [bool(p.art["bars"][t].get_hatch()) for t in range(len(p.data["contributions"]))] + [bool(p.art["bars"][-1].get_hatch())]
    assert any(over) and hatched == over
    p.set(shift=0.0)
    assert not any(bar.get_hatch() for bar in p.art["bars"])


_VALID_BAD = dict(weight="W_111", shift=0.0)


@pytest.mark.parametrize("kwargs,exc,words", [
    (dict(shift="1"), TypeError, ["shift", "str"]),
    (dict(shift=None), TypeError, ["shift", "None"]),
    (dict(shift=float("nan")), ValueError, ["shift", "finite"]),
    (dict(weight="W_411"), ValueError, ["1..3", "4"]),
    (dict(weight="W_141"), ValueError, ["i in 1..3", "i = 4"]),
    (dict(weight=111), TypeError, ["W_111", "int"]),
])
def test_compute_refuses_bad_input_by_name(kwargs, exc, words):
    with pytest.raises(exc) as info:
        many_paths.paths_state(**dict(_VALID_BAD, **kwargs))
    for w in words:
        assert w in str(info.value), (w, str(info.value))
