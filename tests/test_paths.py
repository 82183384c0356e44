"""Lesson 04's sum over paths: equals the backward pass, central differences and autograd for every
weight; the path counts; bad input is refused."""
import itertools

import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import backprop as bp
from backprop import lecture, paths


def _autograd_loss(W1, net, x, label):
    h1 = 1 / (1 + anp.exp(-(anp.dot(W1, x) + net.b[1])))
    h2 = 1 / (1 + anp.exp(-(anp.dot(net.W[2], h1) + net.b[2])))
    a3 = anp.dot(net.W[3], h2) + net.b[3]
    return -(a3[label] - anp.log(anp.sum(anp.exp(a3))))


def test_sum_over_paths_equals_every_gradient_of_the_lecture_network():
    net = lecture.network()
    x, label = lecture.example()
    g = bp.gradients(net, x, label)
    auto = grad(_autograd_loss)(net.W[1].copy(), net, x, label)
    for k in (1, 2, 3):
        for i, j in itertools.product((1, 2, 3), repeat=2):
            s = paths.path_sum(net, x, label, k, i, j)
            assert np.isclose(s, g.grad_W[k][i - 1, j - 1], rtol=1e-12, atol=1e-15)
            if k == 1:
                assert np.isclose(s, auto[i - 1, j - 1], rtol=1e-10)


def test_paths_of_W111_have_the_lecture_factors():
    net = lecture.network()
    x, label = lecture.example()
    fwd = bp.forward(net, x)
    ps = paths.enumerate_paths(net, x, label, 1, 1, 1)
    assert len(ps) == 9
    gp = lambda a: 1 / (1 + np.exp(-a)) * (1 - 1 / (1 + np.exp(-a)))
    for p, (m, c) in zip(ps, itertools.product(range(3), range(3))):
        assert p.neurons == [(1, 1), (2, m + 1), (3, c + 1)]
        assert p.edges == [(2, m + 1, 1), (3, c + 1, m + 1)]
        want = [x[0], gp(fwd.a[1][0]), net.W[2][m, 0], gp(fwd.a[2][m]), net.W[3][c, m], fwd.y_hat[c] - (c == label)]
        assert np.allclose([f.value for f in p.factors], want)
        assert np.isclose(p.contribution, np.prod(want))
        assert [f.formula for f in p.factors][2] == f"W_2{m + 1}1"


@pytest.mark.parametrize("sizes, activation", [([2, 4, 3], "tanh"), ([3, 2, 4, 2, 3], "logistic"), ([2, 3, 3, 2], "relu")])
def test_other_networks_match_central_differences(sizes, activation):
    net = bp.Network.init(sizes, activation=activation, seed=7)
    rng = np.random.default_rng(1)
    x, label = rng.normal(size=sizes[0]), 1
    for k in range(1, len(sizes)):
        num = bp.numerical_gradient(lambda Wk: bp.loss(net, x, label), net.W[k])
        for i in range(1, sizes[k] + 1):
            for j in range(1, sizes[k - 1] + 1):
                ps = paths.enumerate_paths(net, x, label, k, i, j)
                assert len(ps) == paths.path_count(sizes, k)
                assert np.isclose(sum(p.contribution for p in ps), num[i - 1, j - 1], rtol=1e-5, atol=1e-8)


def test_path_counts():
    assert paths.path_count([3, 3, 3, 3], 1) == 9
    assert paths.path_count([3, 3, 3, 3], 2) == 3
    assert paths.path_count([3, 3, 3, 3], 3) == 1
    assert paths.path_count([4, 5, 3, 6, 2], 1) == 36
    assert paths.enumeration_multiplications([3] * 13, 1) == 3 ** 11 * 23


def test_bad_input_is_refused():
    net = lecture.network()
    x, label = lecture.example()
    with pytest.raises(ValueError, match="i in 1..3"):
        paths.enumerate_paths(net, x, label, 1, 4, 1)
    with pytest.raises(ValueError, match="layer"):
        paths.enumerate_paths(net, x, label, 4, 1, 1)
    with pytest.raises(ValueError, match="one example"):
        paths.enumerate_paths(net, np.ones((2, 3)), label, 1, 1, 1)
    with pytest.raises(ValueError, match="class index"):
        paths.enumerate_paths(net, x, 3, 1, 1, 1)
    with pytest.raises(TypeError):
        paths.enumerate_paths(net, x, label, 1.0, 1, 1)
    with pytest.raises(ValueError):
        paths.path_count([3], 1)


@pytest.mark.parametrize("sizes", [3, None, "333", [3]])
def test_enumeration_multiplications_refuses_bad_sizes(sizes):
    with pytest.raises(ValueError, match="sizes must be a list"):
        paths.enumeration_multiplications(sizes, 1)
