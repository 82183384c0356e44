"""Activations, softmax and cross-entropy against definitions computed another way."""
import math

import numpy as np
import pytest
from autograd import elementwise_grad
import autograd.numpy as anp

import backprop as bp
from backprop import activations


@pytest.mark.parametrize("name", ["logistic", "tanh", "relu"])
def test_derivatives_match_central_differences(name):
    g, g_prime = activations.get(name)
    a = np.linspace(-4, 4, 81) + 0.0123        # avoid ReLU's kink at exactly 0
    eps = 1e-6
    fd = (g(a + eps) - g(a - eps)) / (2 * eps)
    assert np.allclose(g_prime(a), fd, atol=1e-8)


def test_closed_forms_of_the_derivatives():
    a = np.linspace(-3, 3, 13)
    s = 1 / (1 + np.exp(-a))
    assert np.allclose(bp.logistic(a), s)
    assert np.allclose(bp.logistic_prime(a), s * (1 - s))
    assert np.allclose(bp.tanh_prime(a), 1 - np.tanh(a) ** 2)
    assert bp.relu_prime(np.array([-1.0, 0.0, 2.0])).tolist() == [0.0, 0.0, 1.0]


def test_logistic_is_stable_at_extremes():
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = bp.logistic(np.array([-1e4, -800.0, 0.0, 800.0, 1e4]))
    assert out.tolist()[2] == 0.5 and out[0] == 0.0 and out[-1] == 1.0


def test_softmax_matches_definition_and_autograd_jacobian():
    rng = np.random.default_rng(0)
    a = rng.normal(size=5)
    y = bp.softmax(a)
    assert np.allclose(y, np.exp(a) / np.exp(a).sum())
    jac = np.stack([elementwise_grad(lambda z, i=i: anp.exp(z[i]) / anp.sum(anp.exp(z)))(a) for i in range(5)])
    assert np.allclose(bp.softmax_jacobian(y), jac)


@pytest.mark.parametrize("scale", [1.0, 1e2, 1e4])
def test_softmax_and_log_softmax_finite_and_exact_for_huge_logits(scale):
    a = np.array([1.0, -2.0, 0.5, 3.0]) * scale
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        y = bp.softmax(a)
        lp = bp.log_softmax(a)
    # exact reference with Python's arbitrary-range decimal arithmetic
    from decimal import Decimal, getcontext
    getcontext().prec = 50
    ex = [Decimal(float(v)).exp() for v in a]
    tot = sum(ex)
    ref_y = np.array([float(e / tot) for e in ex])
    ref_lp = np.array([float((e / tot).ln()) if e / tot > 0 else -np.inf for e in ex])
    assert np.allclose(y, ref_y, rtol=1e-12, atol=0)
    finite = np.isfinite(ref_lp)
    assert np.all(np.isfinite(lp))
    assert np.allclose(lp[finite], ref_lp[finite], rtol=1e-12)
    assert np.allclose(lp, a - a.max() - np.log(np.exp(a - a.max()).sum()))


def test_cross_entropy_from_logits_and_its_gradient():
    a = np.array([2.0, -1.0, 0.5])
    assert math.isclose(bp.cross_entropy(a, 0), -math.log(bp.softmax(a)[0]))
    assert np.allclose(bp.cross_entropy_grad(a, 0), -(bp.one_hot(0, 3) - bp.softmax(a)))
    eps = 1e-6
    fd = np.array([(bp.cross_entropy(a + eps * e, 0) - bp.cross_entropy(a - eps * e, 0)) / (2 * eps) for e in np.eye(3)])
    assert np.allclose(bp.cross_entropy_grad(a, 0), fd, atol=1e-9)
    A = np.array([[1e4, 0.0, -1e4], [0.0, 1.0, 2.0]])
    labels = np.array([2, 1])
    assert math.isclose(bp.cross_entropy(A, labels), (2e4 + bp.cross_entropy(A[1], 1)) / 2)
    assert np.allclose(bp.cross_entropy_grad(A, labels)[1], (bp.softmax(A[1]) - bp.one_hot(1, 3)) / 2)


def test_one_hot():
    assert bp.one_hot(2, 4).tolist() == [0, 0, 1, 0]
    assert bp.one_hot(np.array([0, 3]), 4).tolist() == [[1, 0, 0, 0], [0, 0, 0, 1]]
