"""Lesson 11's panel, headless: depth, init scale, activation and learning rate set the network; the charts and the
readout show its per-layer gradient norms, saturated/dead fractions and update ratios, computed here independently."""
import numpy as np
import pytest

import backprop as bp
from backprop import data, train, widgets
from backprop.play import misbehave


def _independent(depth, scale, activation, lr):
    """The same network and batch, built and measured without backprop.diagnostics."""
    d = data.load_digits(seed=train.DIGITS_RECIPE["data_seed"])
    X, y = d.X_train[:misbehave.BATCH], d.y_train[:misbehave.BATCH]
    sizes = [64] + [misbehave.WIDTH] * depth + [10]
    rng = np.random.default_rng(0)                       # Network.init(init="small"): W_k ~ N(0, scale^2), seed 0
    W = [None] + [rng.normal(0.0, scale, size=(sizes[k], sizes[k - 1])) for k in range(1, len(sizes))]
    b = [None] + [np.zeros(sizes[k]) for k in range(1, len(sizes))]
    net = bp.Network(W, b, activation)
    g = bp.gradients(net, X, y)
    fwd = bp.forward(net, X)
    norms = np.array([np.linalg.norm(g.grad_W[k]) for k in range(1, net.L + 1)])
    if activation == "relu":
        stuck = np.array([np.mean(np.max(fwd.a[k], axis=0) <= 0) for k in range(1, net.L)])
    elif activation == "logistic":
        stuck = np.array([np.mean((fwd.h[k] < 0.01) | (fwd.h[k] > 0.99)) for k in range(1, net.L)])
    else:
        stuck = np.array([np.mean(np.abs(fwd.h[k]) > 0.99) for k in range(1, net.L)])
    ratio = np.array([lr * np.linalg.norm(g.grad_W[k]) / np.linalg.norm(net.W[k]) for k in range(1, net.L + 1)])
    return norms, stuck, ratio, g.loss, net


@pytest.mark.parametrize("depth,scale,activation,lr", [
    (6, 0.1, "logistic", 0.01),
    (3, 10 ** -0.75, "tanh", 0.1),
    (10, 1.0, "tanh", 1.0),
    (8, 0.5, "relu", 10 ** -2.5),
    (1, 0.01, "relu", 10.0),
])
def test_controls_set_the_network_and_the_panel_shows_its_numbers(depth, scale, activation, lr):
    p = misbehave.panel()
    p.set(depth=depth, scale=scale, activation=activation, lr=lr)
    norms, stuck, ratio, loss, net = _independent(depth, scale, activation, lr)
    assert p.data["sizes"] == net.sizes
    np.testing.assert_allclose(p.data["norms"], norms, rtol=1e-10)
    np.testing.assert_allclose(p.data["stuck"], stuck, rtol=0, atol=1e-12)
    np.testing.assert_allclose(p.data["ratio"], ratio, rtol=1e-10)
    assert p.data["stuck_kind"] == ("dead" if activation == "relu" else "saturated")
    text = p.readout.value
    assert f"‖∇W₁‖ = {norms[0]:.2e}" in text and f"‖∇W_L‖ = {norms[-1]:.2e}" in text
    assert f"‖∇W₁‖ / ‖∇W_L‖ = {norms[0] / norms[-1]:.2e}" in text
    assert ", ".join(f"{v:.0%}" for v in stuck) in text
    assert f"largest η‖∇W_k‖/‖W_k‖ = {ratio.max():.2e}" in text
    assert f"loss = {loss:.4f}" in text
    # the bars drawn are the numbers: visible bars = layers, heights = values (log axes: from their bottom)
    visible = [bar for bar in p.art["norm_bars"] if bar.get_visible()]
    assert len(visible) == depth + 1
    np.testing.assert_allclose([bar.get_y() + bar.get_height() for bar in visible],
                               np.clip(norms, misbehave.NORM_MIN * 1.0001, misbehave.NORM_MAX), rtol=1e-9)
    stuck_visible = [bar.get_height() for bar in p.art["stuck_bars"] if bar.get_visible()]
    np.testing.assert_allclose(stuck_visible, stuck, atol=1e-12)


def test_vanishing_at_the_start_and_level_with_tanh():
    p = misbehave.panel()
    assert p.values == {"depth": 6, "scale": 0.1, "activation": "logistic", "lr": 0.01}
    assert p.data["norms"][0] / p.data["norms"][-1] < 1e-4
    p.set(activation="tanh")
    assert 0.5 < p.data["norms"][0] / p.data["norms"][-1] < 2


def test_lr_changes_only_the_ratio():
    p = misbehave.panel()
    before = {k: np.copy(v) for k, v in p.data.items() if k in ("norms", "stuck", "ratio")}
    p.set(lr=0.1)
    np.testing.assert_array_equal(p.data["norms"], before["norms"])
    np.testing.assert_array_equal(p.data["stuck"], before["stuck"])
    np.testing.assert_allclose(p.data["ratio"], 10 * before["ratio"], rtol=1e-9)


def test_compute_function_checks_its_input():
    with pytest.raises(ValueError, match="lr"):
        misbehave.misbehave_state(3, 0.1, "tanh", -1.0)
    with pytest.raises(TypeError, match="depth"):
        misbehave.misbehave_state(2.5, 0.1, "tanh", 0.1)
    with pytest.raises(ValueError, match="scale"):
        misbehave.misbehave_state(3, 0.0, "tanh", 0.1)
    with pytest.raises(ValueError, match="softplus"):
        misbehave.misbehave_state(3, 0.1, "softplus", 0.1)


def test_latency():
    p = misbehave.panel()
    for name, values in (("depth", [1, 4, 10, 6]), ("scale", [0.01, 0.3, 3.0, 0.1]), ("lr", [0.001, 1.0, 0.01]),
                         ("activation", ["tanh", "relu", "logistic"])):
        times = widgets.latency(p, name, values)
        assert np.median(times) < 0.5, name       # generous for CI; the target is 50 ms
