"""Lesson 10's panel, headless: the menu builds what it says, the sliders set the inputs, and the gradients
shown (figure and readout) equal closed forms and central differences computed here, without the engine."""
import numpy as np
import pytest

from backprop import widgets
from backprop.play import autodiff_graph as play


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


# f(u, v, w) written in plain numpy, and its gradient by hand, for every menu entry
PLAIN = {
    "neuron": (lambda w, x, b: np.tanh(w * x + b),
               lambda w, x, b: (1 - np.tanh(w * x + b) ** 2) * np.array([x, w, 1.0])),
    "twice": (lambda x, y, z: x * y + x * z, lambda x, y, z: np.array([y + z, x, x])),
    "squared": (lambda w, x, b: 0.5 * (_sig(w * x + b) - 0.8) ** 2,
                lambda w, x, b: (_sig(w * x + b) - 0.8) * _sig(w * x + b) * (1 - _sig(w * x + b)) * np.array([x, w, 1.0])),
    "cross_entropy": (lambda a1, a2, a3: -np.log(np.exp(a1) / (np.exp(a1) + np.exp(a2) + np.exp(a3))),
                      lambda a1, a2, a3: np.exp([a1, a2, a3]) / np.sum(np.exp([a1, a2, a3])) - np.array([1.0, 0.0, 0.0])),
    "relu": (lambda w, x, b: max(w * x + b, 0.0), lambda w, x, b: (w * x + b > 0) * np.array([x, w, 1.0])),
}


def _central(f, v, eps=1e-6):
    out = []
    for i in range(3):
        up, down = list(v), list(v)
        up[i] += eps
        down[i] -= eps
        out.append((f(*up) - f(*down)) / (2 * eps))
    return np.array(out)


def test_menu_is_the_tested_one():
    assert set(play.EXPRESSIONS) == set(PLAIN)


def test_starts_on_lesson_02s_neuron():
    p = widgets_panel = play.panel()
    assert widgets_panel.controls["expression"].value == "squared"
    assert [p.controls[k].value for k in ("v1", "v2", "v3")] == [-1.0, 2.0, 0.0]
    assert [p.controls[k].description for k in ("v1", "v2", "v3")] == ["w", "x", "b"]
    f, grad = PLAIN["squared"]
    np.testing.assert_allclose(p.data["grads"], grad(-1.0, 2.0, 0.0), rtol=1e-12)


@pytest.mark.parametrize("expression, values", [("neuron", (0.5, -1.0, 0.25)), ("twice", (1.5, -2.0, 0.75)),
                                                ("squared", (-1.0, 2.0, 0.0)), ("squared", (2.5, -0.5, 1.0)),
                                                ("cross_entropy", (0.5, -1.0, 2.0)), ("cross_entropy", (-3.0, 3.0, 0.0)),
                                                ("relu", (1.0, 0.5, -0.25)), ("relu", (1.0, -0.5, 0.25))])
def test_shown_gradients_equal_closed_forms_and_central_differences(expression, values):
    p = play.panel()
    d = p.set(expression=expression, v1=values[0], v2=values[1], v3=values[2])
    f, grad = PLAIN[expression]
    np.testing.assert_allclose(d["values"], values)
    assert d["f"] == pytest.approx(f(*values), rel=1e-12, abs=1e-15)
    np.testing.assert_allclose(d["grads"], grad(*values), rtol=1e-10, atol=1e-15)
    np.testing.assert_allclose(d["grads"], _central(f, values), rtol=1e-6, atol=1e-9)
    names = play.EXPRESSIONS[expression].names
    assert [p.controls[k].description for k in ("v1", "v2", "v3")] == [widgets.symbol(n) for n in names]
    # the readout shows each input's gradient, the figure shows it in the input's box
    for name, g in zip(names, grad(*values)):
        assert f"∂{'ℒ' if expression in ('squared', 'cross_entropy') else 'f'}/∂{widgets.symbol(name)} = {round(g, 6) + 0.0:+.6f}" in p.readout.value
    shown = {n.name: tg.get_text() for n, (tv, tg) in zip(d["nodes"], p.art["texts"]) if n.name in names}
    for name, g in zip(names, grad(*values)):
        assert shown[name] == f"grad {round(g, 3) + 0.0:+.3f}"
    # the output node's box shows its value and gradient 1
    root_v, root_g = p.art["texts"][-1]
    assert root_v.get_text() == f"= {f(*values):+.3f}" and root_g.get_text() == "grad +1.000"


def test_switching_expressions_redraws_the_graph():
    p = play.panel()
    n_squared = len(p.art["texts"])
    p.set(expression="cross_entropy")
    assert len(p.art["texts"]) == len(p.data["nodes"]) == 10 != n_squared
    p.set(expression="squared")
    assert len(p.art["texts"]) == n_squared


def test_bad_input_to_the_compute_function():
    with pytest.raises(ValueError, match="expression"):
        play.expression_state("cube", 1.0, 2.0, 3.0)
    with pytest.raises(TypeError, match="v2"):
        play.expression_state("twice", 1.0, "2", 3.0)
    with pytest.raises(ValueError, match="finite"):
        play.expression_state("twice", 1.0, np.nan, 3.0)


def test_latency_is_small():
    p = play.panel()
    times = widgets.latency(p, "v1", list(np.linspace(-2.5, 2.5, 11)))
    assert np.median(times) < 0.25          # target 50 ms; generous here for slow CI machines
