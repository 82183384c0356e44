"""Lesson 02's panel, headless: each control does what its label says; the numbers are the library's."""
import numpy as np
import pytest

from backprop import widgets
from backprop.play import one_weight as play


def _descent(kind, w0, b, eta, steps, x=2.0, y=0.8):
    """Gradient descent written out with plain numpy, independently of backprop.neuron."""
    ws, losses = [w0], []
    w = w0
    for t in range(steps + 1):
        y_hat = 1 / (1 + np.exp(-(w * x + b)))
        if kind == "squared":
            losses.append(0.5 * (y_hat - y) ** 2)
            g = (y_hat - y) * y_hat * (1 - y_hat) * x
        else:
            losses.append(-(y * np.log(y_hat) + (1 - y) * np.log(1 - y_hat)))
            g = (y_hat - y) * x
        w = w - eta * g
        ws.append(w)
    return np.array(ws[:-1]), np.array(losses)


def test_starts_where_the_lesson_says():
    p = play.panel()
    assert p.values == {"loss": "cross_entropy", "w0": -3.0, "b": 0.0, "eta": pytest.approx(1.0), "steps": 10}
    ws, losses = _descent("cross_entropy", -3.0, 0.0, 1.0, 10)
    assert np.allclose(p.data["path"]["w"], ws) and np.allclose(p.data["path"]["loss"], losses)


@pytest.mark.parametrize("kind, w0, b, eta, steps", [("cross_entropy", -1.0, 0.0, 4.0, 30), ("squared", -1.0, 0.0, 40.0, 20),
                                                     ("squared", 2.0, -1.0, 0.5, 50), ("cross_entropy", 1.5, 1.5, 0.05, 0)])
def test_controls_move_the_descent(kind, w0, b, eta, steps):
    p = play.panel()
    d = p.set(loss=kind, w0=w0, b=b, eta=eta, steps=steps)
    ws, losses = _descent(kind, w0, b, d["eta"], steps)
    assert d["eta"] == pytest.approx(eta, rel=1e-9)
    assert np.allclose(d["path"]["w"], ws, rtol=1e-9, atol=1e-12)
    assert np.allclose(d["path"]["loss"], losses, rtol=1e-9, atol=1e-14)
    w_best = (np.log(0.8 / 0.2) - b) / 2.0
    assert d["w_best"] == pytest.approx(w_best)
    yh = 0.8
    crit = 2 / ((yh * (1 - yh) * 2) ** 2 if kind == "squared" else yh * (1 - yh) * 4)
    assert d["eta_critical"] == pytest.approx(crit)
    assert f"after {steps} steps: w = {ws[-1]:.4f}, ℒ = {losses[-1]:.6f}" in p.readout.value
    assert ("converges" in p.readout.value) == (eta < crit)
    # what is drawn is the path
    assert np.allclose(p.art["path"].get_data()[0], ws)
    assert np.allclose(p.art["steps"].get_data()[1], losses)
    curve_x, curve_y = p.art["curve"].get_data()
    assert curve_y[100] == pytest.approx(_descent(kind, float(curve_x[100]), b, 1.0, 0)[1][0])


def test_the_loss_switch_changes_the_y_range():
    p = play.panel()
    p.set(loss="squared")
    assert p.art["ax"].get_ylim() == play.YLIM["squared"]
    p.set(loss="cross_entropy")
    assert p.art["ax"].get_ylim() == play.YLIM["cross_entropy"]


def test_a_move_is_fast_enough():
    p = play.panel()
    assert np.median(widgets.latency(p, "eta", 10 ** np.linspace(-2, 2, 9))) < 0.2   # target 50 ms
