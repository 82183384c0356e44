"""Lesson 03's thin chain: gradients against central differences and autograd, the multiplication
counts against their closed forms, the bound on the product of logistic derivatives, bad input."""
from helpers import assert_refused
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

import backprop as bp
from backprop import chain


def _loss_autograd(w, x, y):
    h = x
    for wk in w:
        h = 1.0 / (1.0 + anp.exp(-(wk * h)))
    return 0.5 * (h - y) ** 2


@pytest.mark.parametrize("L", [1, 2, 3, 7, 12])
def test_both_methods_match_central_differences_and_autograd(L):
    rng = np.random.default_rng(L)
    w = rng.normal(0, 1.5, size=L)
    x, y = 0.7, 1.0
    c = chain.forward(w, x, y)
    g_naive, n_naive = chain.naive_gradients(c)
    g_reuse, n_reuse, delta = chain.reuse_gradients(c)
    num = bp.numerical_gradient(lambda v: chain.loss(v, x, y), w.copy())
    auto = grad(_loss_autograd)(w, x, y)
    assert np.allclose(g_naive, auto, rtol=1e-10, atol=1e-15)
    assert np.allclose(g_reuse, auto, rtol=1e-10, atol=1e-15)
    assert np.allclose(g_reuse, num, rtol=1e-5, atol=1e-9)   # tiny deep gradients: compare absolutely
    assert n_naive == L * (L + 1) == chain.naive_count(L)
    assert n_reuse == 3 * L - 1 == chain.reuse_count(L)
    assert np.isclose(delta[1] * x, g_reuse[0])


def test_local_factors_multiply_to_every_gradient():
    w = np.array([0.5, -1.2, 2.0, 0.9, -0.4])
    c = chain.forward(w, 1.3, 0.0)
    g, _, _ = chain.reuse_gradients(c)
    for k in range(1, 6):
        fs = chain.local_factors(c, k)
        assert len(fs) == 2 * (5 - k) + 3
        assert np.isclose(np.prod([f.value for f in fs]), g[k - 1], rtol=1e-12)
    names = [f.name for f in chain.local_factors(c, 4)]
    assert names == ["∂ℒ/∂h_5", "∂h_5/∂a_5", "∂a_5/∂h_4", "∂h_4/∂a_4", "∂a_4/∂W_411"]


def test_biases_enter_the_forward_pass():
    w, b = np.array([1.0, 2.0]), np.array([0.3, -0.5])
    c = chain.forward(w, 0.5, 1.0, b)
    h1 = 1 / (1 + np.exp(-(0.3 + 0.5)))
    h2 = 1 / (1 + np.exp(-(-0.5 + 2.0 * h1)))
    assert np.isclose(c.h[2], h2) and np.isclose(c.loss, 0.5 * (h2 - 1.0) ** 2)
    num = bp.numerical_gradient(lambda v: chain.loss(v, 0.5, 1.0, b), w.copy())
    assert np.allclose(chain.reuse_gradients(c)[0], num, rtol=1e-6)


def test_counts_for_depths_1_to_50():
    out = chain.counts(range(1, 51))
    L = np.arange(1, 51)
    assert np.array_equal(out["naive"], L * (L + 1)) and np.array_equal(out["reuse"], 3 * L - 1)


def test_product_of_logistic_derivatives_is_bounded():
    rng = np.random.default_rng(3)
    for _ in range(5):
        w = rng.normal(0, 3, size=20)
        sp = chain.sigma_prime_products(w, x=rng.normal(), y=0.0)
        assert np.all(sp["sigma"] <= sp["bound"] + 1e-300)
        assert np.all(sp["chain"] <= sp["weights_bound"] * (1 + 1e-12))
        assert np.all(np.diff(sp["sigma"]) < 0)


def test_extreme_weights_stay_finite():
    c = chain.forward(np.array([1e4, -1e4, 1e4]), 1.0, 0.0)
    assert all(np.isfinite(v) for v in c.h) and all(np.isfinite(chain.reuse_gradients(c)[0]))


@pytest.mark.parametrize("bad, exc", [([], ValueError), ([[1.0]], ValueError), ([1, 2], TypeError),
                                      ([1.0, np.nan], ValueError), ("ab", TypeError)])
def test_bad_weights_are_refused(bad, exc):
    with pytest.raises(exc):
        chain.forward(bad)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="shape"):
        chain.forward([1.0, 2.0], b=[0.0])
    with pytest.raises(ValueError):
        chain.forward([1.0], x=np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="layer"):
        chain.local_factors(chain.forward([1.0, 2.0]), 3)
    with pytest.raises(ValueError):
        chain.naive_count(0)


@pytest.mark.parametrize("call,exc,words", [
    (lambda: chain.local_factors("chain", 1), TypeError, ["ThinChain", "str"]),
    (lambda: chain.naive_gradients(np.ones(3)), TypeError, ["ThinChain", "array"]),
    (lambda: chain.reuse_gradients(None), TypeError, ["ThinChain", "None"]),
    (lambda: chain.forward(np.ones(2), y=1e308), ValueError, ["|y| <= 1e150", "1e+308"]),
    (lambda: chain.forward(np.array([1e200, 1e200]), x=1e200), ValueError, ["a_1", "overflowed"]),
    (lambda: chain.counts(3), TypeError, ["depths", "list"]),
    (lambda: chain.counts([]), TypeError, ["depths", "non-empty"]),
    (lambda: chain.counts([1, 2], w="1.5"), TypeError, ["w", "str"]),
    (lambda: chain.counts([1, 2], w=True), TypeError, ["w", "True"]),
])
def test_bad_input_found_by_the_probe(call, exc, words):
    assert_refused(call, exc, words)
