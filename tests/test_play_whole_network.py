"""Lesson 08's panel, headless: depth, width and activation change the network; the readout shows its norms."""
import numpy as np

import backprop as bp
from backprop import widgets
from backprop.play import whole_network
from backprop.whole_network import BATCH, N_CLASSES, N_IN


def _norms(depth, width, activation):
    """Computed independently: the same seeded network and batch, norms from central differences."""
    net = bp.Network.init([N_IN] + [width] * depth + [N_CLASSES], activation=activation, seed=0)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(BATCH, N_IN))
    labels = rng.integers(0, N_CLASSES, size=BATCH)
    g = bp.gradients(net, X, labels)
    return np.array([np.linalg.norm(g.grad_W[k]) for k in range(1, net.L + 1)]), net, X, labels


def test_controls_set_the_network_and_the_readout_shows_its_norms():
    p = whole_network.panel()
    for depth, width, act in [(1, 2, "tanh"), (4, 10, "relu"), (6, 16, "logistic")]:
        p.set(depth=depth, width=width, activation=act)
        want, net, _, _ = _norms(depth, width, act)
        assert p.data["sizes"] == net.sizes
        np.testing.assert_allclose(p.data["norms"], want, rtol=1e-12)
        assert len(p.data["norms"]) == depth + 1
        assert f"‖∇W₁‖ = {want[0]:.2e}" in p.readout.value
        assert f"‖∇W₁‖ / ‖∇W_L‖ = {want[0] / want[-1]:.2e}" in p.readout.value


def test_first_layer_norm_against_central_differences():
    p = whole_network.panel()
    p.set(depth=2, width=3, activation="logistic")
    _, net, X, labels = _norms(2, 3, "logistic")
    work = net.copy()
    num = bp.numerical_gradient(lambda _: bp.loss(work, X, labels), work.W[1])
    assert abs(p.data["norms"][0] - np.linalg.norm(num)) < 1e-7 * max(1.0, np.linalg.norm(num))


def test_dead_relu_network_is_explained_and_latency():
    p = whole_network.panel()
    p.set(depth=10, width=4, activation="relu")
    assert np.all(p.data["norms"] == 0) and "dead" in p.readout.value
    times = widgets.latency(p, "depth", [1, 5, 10, 3])
    assert np.median(times) < 0.5       # generous for CI; the target is 50 ms
