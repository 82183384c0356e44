"""Lesson 07's maths (backprop.weight_grads) against references computed another way:
central differences in float64 and the autodiff library autograd (tests/reference.py)."""
import numpy as np
import pytest

import backprop as bp
from backprop import lecture
from backprop import weight_grads as wg
from reference import autograd_gradients


def _net_batch(seed=0, sizes=(4, 5, 3), B=6, activation="tanh"):
    net = bp.Network.init(list(sizes), activation=activation, seed=seed)
    rng = np.random.default_rng(seed + 100)
    return net, rng.normal(size=(B, sizes[0])), rng.integers(0, sizes[-1], size=B)


def test_one_weight_matches_central_differences_on_the_lecture_network():
    net = lecture.network()
    x, label = lecture.example()
    fwd = bp.forward(net, x)
    g = bp.backward(net, fwd, label)
    for k in range(1, net.L + 1):
        work = net.copy()
        num = bp.numerical_gradient(lambda _: bp.loss(work, x, label), work.W[k])
        for i in range(1, 4):
            for j in range(1, 4):
                assert wg.weight_grad(g.grad_a[k], fwd.h[k - 1], i, j) == pytest.approx(num[i - 1, j - 1], rel=1e-6, abs=1e-10)


@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu"])
def test_outer_product_matches_autograd_for_one_example(activation):
    net, X, labels = _net_batch(seed=2, activation=activation)
    x, label = X[0], int(labels[0])
    fwd = bp.forward(net, x)
    g = bp.backward(net, fwd, label)
    ref = autograd_gradients(net, x, label)
    for k in range(1, net.L + 1):
        outer = wg.layer_weight_grad(g.grad_a[k], fwd.h[k - 1])
        assert outer.shape == net.W[k].shape
        np.testing.assert_allclose(outer, ref[k - 1][0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(g.grad_a[k], ref[k - 1][1], rtol=1e-10, atol=1e-14)   # grad_b = grad_a


def test_batch_formulas_match_autograd_and_the_mean_of_per_example_gradients():
    net, X, labels = _net_batch(seed=5, B=7)
    fwd = bp.forward(net, X)
    g = bp.backward(net, fwd, labels)
    ref = autograd_gradients(net, X, labels)
    per_W, per_b = wg.per_example_gradients(net, X, labels)
    for k in range(1, net.L + 1):
        gW = wg.batch_weight_grad(g.grad_a[k], fwd.h[k - 1])
        gb = wg.batch_bias_grad(g.grad_a[k])
        np.testing.assert_allclose(gW, ref[k - 1][0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(gb, ref[k - 1][1], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(per_W[k].mean(axis=0), gW, rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(per_b[k].mean(axis=0), gb, rtol=1e-10, atol=1e-14)
        assert per_W[k].shape == (7,) + net.W[k].shape and per_b[k].shape == (7,) + net.b[k].shape


def test_per_example_rows_are_single_example_gradients():
    net, X, labels = _net_batch(seed=1, B=3)
    per_W, _ = wg.per_example_gradients(net, X, labels)
    for r in range(3):
        work = net.copy()
        num = bp.numerical_gradient(lambda _: bp.loss(work, X[r], int(labels[r])), work.W[1])
        np.testing.assert_allclose(per_W[1][r], num, rtol=1e-6, atol=1e-9)


def test_largest_entry_names_W_kij():
    G = np.array([[0.1, -0.2, 0.0], [0.05, 0.3, -0.4]])
    assert wg.largest_entry(G, 2) == ("W_223", 2, 3, -0.4)


def test_bad_input_gets_clear_errors():
    with pytest.raises(ValueError, match="same B"):
        wg.batch_weight_grad(np.zeros((4, 3)), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="2 dimensions"):
        wg.batch_bias_grad(np.zeros(3))
    with pytest.raises(ValueError, match="1..n_k"):
        wg.weight_grad(np.zeros(3), np.zeros(2), 4, 1)
    with pytest.raises(ValueError, match="1..n_"):
        wg.weight_grad(np.zeros(3), np.zeros(2), 1, 3)
    with pytest.raises(TypeError, match="floating-point"):
        wg.layer_weight_grad(np.array([1, 2]), np.zeros(2))
    net, X, labels = _net_batch()
    with pytest.raises(ValueError, match="batch"):
        wg.per_example_gradients(net, X[0], labels[:1])
    with pytest.raises(ValueError, match="shape \\(6,\\)"):
        wg.per_example_gradients(net, X, labels[:5])
