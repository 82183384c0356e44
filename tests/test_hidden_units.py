"""Lesson 06's maths (backprop.hidden_units) against references computed another way:
HIPS autograd on an independently written forward pass (tests/reference.py), central differences."""
import numpy as np
import pytest
from autograd import elementwise_grad, grad
import autograd.numpy as anp

import backprop as bp
from backprop import hidden_units, lecture

from reference import loss_from_activation, loss_from_pre_activation, params_of


@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu"])
@pytest.mark.parametrize("k", [1, 2, 3])
def test_grad_h_prev_is_autograds_gradient_of_h(activation, k):
    net = lecture.network(activation)
    x, label = lecture.example()
    fwd = bp.forward(net, x)
    grads = bp.gradients(net, x, label)
    ours = hidden_units.grad_h_prev(net.W[k], grads.grad_a[k])
    ref = grad(loss_from_activation, 1)(params_of(net), fwd.h[k - 1], k - 1, label, activation)
    assert np.allclose(ours, ref, atol=1e-12)
    assert np.allclose(hidden_units.grad_h_prev_by_paths(net.W[k], grads.grad_a[k]), ours, atol=1e-15)


@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu"])
def test_chain_of_the_two_formulas_gives_every_grad_a(activation):
    net = bp.Network.init([4, 5, 3, 3], activation=activation, seed=3)
    rng = np.random.default_rng(1)
    x, label = rng.normal(size=4), 1
    fwd = bp.forward(net, x)
    g = bp.cross_entropy_grad(fwd.a[3], label)
    for k in (3, 2, 1):
        ref = grad(loss_from_pre_activation, 1)(params_of(net), fwd.a[k], k, label, activation)
        assert np.allclose(g, ref, atol=1e-12), k
        fd = bp.numerical_gradient(lambda a: hidden_units.loss_from_a(net, k, a, label), fwd.a[k].copy())
        assert np.allclose(g, fd, atol=1e-8), k
        if k > 1:
            g = hidden_units.grad_a(hidden_units.grad_h_prev(net.W[k], g), fwd.a[k - 1], activation)


def test_batch_rows_go_back_through_W_k():
    net = lecture.network("tanh")
    X, labels = lecture.batch(5)
    fwd = bp.forward(net, X)
    grads = bp.gradients(net, X, labels)
    G_h2 = hidden_units.grad_h_prev(net.W[3], grads.grad_a[3])
    assert G_h2.shape == (5, 3)
    assert np.allclose(G_h2, grads.grad_h[2])
    for r in range(5):
        assert np.allclose(G_h2[r], net.W[3].T @ grads.grad_a[3][r])
    fd = bp.numerical_gradient(lambda H: hidden_units.loss_from_h(net, 2, H, labels), fwd.h[2].copy())
    assert np.allclose(G_h2, fd, atol=1e-9)
    G_a2 = hidden_units.grad_a(G_h2, fwd.a[2], "tanh")
    assert np.allclose(G_a2, grads.grad_a[2])


@pytest.mark.parametrize("name,ag", [("logistic", lambda a: 1 / (1 + anp.exp(-a))), ("tanh", anp.tanh),
                                     ("relu", lambda a: anp.maximum(a, 0.0))])
def test_central_difference_and_autograd_agree_with_g_prime(name, ag):
    g, g_prime = bp.activations.get(name)
    a = np.linspace(-4, 4, 400)
    assert np.allclose(hidden_units.central_difference(g, a), g_prime(a), atol=1e-8)
    assert np.allclose(elementwise_grad(ag)(a), g_prime(a), atol=1e-14)


def test_relu_kink_convention():
    assert hidden_units.central_difference(bp.relu, 0.0) == pytest.approx(0.5)
    assert bp.relu_prime(0.0) == 0.0


def test_g_prime_of_h_is_caught_by_the_check():
    net = lecture.network()
    x, label = lecture.example()
    fwd = bp.forward(net, x)
    grads = bp.gradients(net, x, label)
    wrong = grads.grad_h[2] * bp.logistic_prime(fwd.h[2])
    fd = bp.numerical_gradient(lambda a: hidden_units.loss_from_a(net, 2, a, label), fwd.a[2].copy())
    assert np.max(bp.relative_error(wrong, fd)) > 0.1
    assert np.allclose(hidden_units.grad_a(grads.grad_h[2], fwd.a[2], "logistic"), fd, atol=1e-9)


def test_loss_from_matches_the_network_loss():
    net = lecture.network()
    x, label = lecture.example()
    fwd = bp.forward(net, x)
    L0 = bp.loss(net, x, label)
    assert hidden_units.loss_from_h(net, 0, x, label) == pytest.approx(L0)
    for k in (1, 2, 3):
        assert hidden_units.loss_from_a(net, k, fwd.a[k], label) == pytest.approx(L0)
        if k < 3:
            assert hidden_units.loss_from_h(net, k, fwd.h[k], label) == pytest.approx(L0)


W = np.ones((3, 2))


@pytest.mark.parametrize(
    "call,exc,words",
    [
        (lambda: hidden_units.grad_h_prev(W, np.ones(2)), ValueError, ["(3,)", "(B, 3)", "(2,)", "(3, 2)"]),
        (lambda: hidden_units.grad_h_prev(W, np.ones((4, 2))), ValueError, ["(B, 3)", "(4, 2)"]),
        (lambda: hidden_units.grad_h_prev(W, np.ones((3, 1))), ValueError, ["(B, 3)", "(3, 1)"]),
        (lambda: hidden_units.grad_h_prev(np.ones(3), np.ones(3)), ValueError, ["W_k", "2 dimensions"]),
        (lambda: hidden_units.grad_h_prev(W, np.array([1, 2, 3])), TypeError, ["grad_a_k", "float"]),
        (lambda: hidden_units.grad_h_prev_by_paths(W, np.ones((2, 3))), ValueError, ["one example", "(2, 3)"]),
        (lambda: hidden_units.grad_a(np.ones(3), np.ones((3, 1)), "tanh"), ValueError, ["same shape", "(3,)", "(3, 1)"]),
        (lambda: hidden_units.grad_a(np.ones(3), np.ones(3), "sigmoidal"), ValueError, ["activation", "sigmoidal"]),
        (lambda: hidden_units.grad_a(np.ones(3), np.array([0.0, np.nan, 1.0]), "relu"), ValueError, ["finite"]),
        (lambda: hidden_units.loss_from_a(lecture.network(), 0, np.ones(3), 0), ValueError, ["1..3", "0"]),
        (lambda: hidden_units.loss_from_h(lecture.network(), 3, np.ones(3), 0), ValueError, ["0..2", "3"]),
        (lambda: hidden_units.loss_from_h(lecture.network(), 1, np.ones(4), 0), ValueError, ["3 entries", "(4,)"]),
        (lambda: hidden_units.central_difference(bp.relu, np.ones(2), eps=-1.0), ValueError, ["eps"]),
    ],
)
def test_bad_input_is_named(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_loss_from_h_refuses_a_non_network_and_overflow():
    import warnings
    with pytest.raises(TypeError, match="Network"):
        hidden_units.loss_from_h("net", 1, np.ones(3), 2)
    with pytest.raises(TypeError, match="Network"):
        hidden_units.loss_from_a(None, 1, np.ones(3), 2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="overflowed"):
            hidden_units.loss_from_h(lecture.network(), 1, np.full(3, 1e308), 2)
