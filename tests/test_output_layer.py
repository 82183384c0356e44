"""Lesson 05's maths (backprop.output_layer) against references computed another way:
central differences in float64, HIPS autograd, and the closed forms written out here."""
import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import backprop as bp
from backprop import output_layer


def _softmax_ag(a):
    m = anp.max(a)
    return anp.exp(a - m) / anp.sum(anp.exp(a - m))


def _ce_ag(a, label):
    return -anp.log(_softmax_ag(a)[label])


@pytest.mark.parametrize("seed", range(5))
def test_jacobian_by_entries_matches_autograd_and_central_differences(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 2, size=4 + seed)
    y = bp.softmax(a)
    J = output_layer.softmax_jacobian_by_entries(y)
    assert np.allclose(J, autograd.jacobian(_softmax_ag)(a), atol=1e-14)
    assert np.allclose(J, output_layer.numerical_jacobian(bp.softmax, a), atol=1e-9)
    assert np.allclose(J, bp.softmax_jacobian(y), atol=1e-15)


def test_numerical_jacobian_of_a_linear_map_is_the_matrix():
    M = np.array([[1.0, 2.0, -1.0], [0.5, 0.0, 3.0]])
    assert np.allclose(output_layer.numerical_jacobian(lambda v: M @ v, np.array([0.3, -1.0, 2.0])), M)


def test_loss_grad_y_hat_matches_autograd():
    y = np.array([0.2, 0.5, 0.3])
    for l in range(3):
        g = output_layer.loss_grad_y_hat(y, l)
        assert np.allclose(g, autograd.grad(lambda v: -anp.log(v[l]))(y))
        assert not np.any(np.signbit(g[np.arange(3) != l]))      # exact zeros, no -0.0 printed


@pytest.mark.parametrize("seed", range(6))
def test_chain_product_is_the_fused_gradient(seed):
    rng = np.random.default_rng(seed)
    a = rng.normal(0, 3, size=3 + seed % 3)
    l = int(rng.integers(a.size))
    ch = output_layer.chain(a, l)
    fused = -(bp.one_hot(l, a.size) - bp.softmax(a))
    assert np.allclose(ch.grad_a_L, fused, atol=1e-14)
    assert np.allclose(ch.grad_a_L, autograd.grad(_ce_ag)(a, l), atol=1e-12)
    fd = bp.numerical_gradient(lambda z: bp.cross_entropy(z, l), a.copy())
    assert np.allclose(ch.grad_a_L, fd, atol=1e-8)
    assert np.allclose(ch.grad_a_L, bp.cross_entropy_grad(a, l))
    assert ch.loss == pytest.approx(-np.log(bp.softmax(a)[l]))
    assert abs(ch.grad_a_L.sum()) < 1e-14


def test_naive_forms_agree_for_small_logits_and_fail_for_large_ones():
    a = np.array([0.5, -1.0, 2.0])
    assert np.allclose(output_layer.naive_softmax(a), bp.softmax(a))
    assert np.allclose(output_layer.naive_log_softmax(a), bp.log_softmax(a))
    A = np.array([[0.5, -1.0, 2.0], [1.0, 1.0, 1.0]])
    assert np.allclose(output_layer.naive_softmax(A), bp.softmax(A))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        big = output_layer.naive_softmax(np.array([1000.0, 0.0, -1000.0]))
        tiny = output_layer.naive_softmax(np.array([-1e4, -1e4 + 1, -1e4 + 2]))
        logs = output_layer.naive_log_softmax(np.array([1e4, 0.0, -1e4]))
    assert np.isnan(big[0]) and np.all(np.isnan(tiny))
    assert np.isnan(logs[0]) and np.all(np.isneginf(logs[1:]))
    # the stable forms do not fail
    assert np.allclose(bp.log_softmax(np.array([1e4, 0.0, -1e4])), [0.0, -1e4, -2e4])


def test_naive_softmax_warns_without_errstate():
    with pytest.warns(RuntimeWarning):
        output_layer.naive_softmax(np.array([1000.0, 0.0]))


def test_shift_invariance():
    a = np.array([2.0, -1.0, 0.5, 3.0])
    for m in (-40.0, 0.0, 3.0, 100.0):
        assert np.allclose(output_layer.naive_softmax(a - m), output_layer.naive_softmax(a), atol=1e-15)


@pytest.mark.parametrize(
    "call,exc,words",
    [
        (lambda: output_layer.naive_softmax(np.array([1, 2, 3])), TypeError, ["float", "int64"]),
        (lambda: output_layer.naive_softmax(np.ones((2, 2, 2))), ValueError, ["dimension", "(2, 2, 2)"]),
        (lambda: output_layer.loss_grad_y_hat(np.array([0.5, 0.5]), 2), ValueError, ["0..1", "2"]),
        (lambda: output_layer.loss_grad_y_hat(np.array([1.0, 0.0]), 1), ValueError, ["> 0", "y_hat[1]"]),
        (lambda: output_layer.loss_grad_y_hat(np.ones((2, 3)) / 3, 0), ValueError, ["1 dimension", "(2, 3)"]),
        (lambda: output_layer.chain(np.array([0.1, 0.2]), np.array([0.0, 1.0])), TypeError, ["one-hot"]),
        (lambda: output_layer.chain(np.array([0.1, np.nan]), 0), ValueError, ["finite"]),
        (lambda: output_layer.softmax_jacobian_by_entries(np.ones((2, 2))), ValueError, ["1 dimension"]),
        (lambda: output_layer.numerical_jacobian(bp.softmax, np.ones(3), eps=0.0), ValueError, ["eps", "> 0"]),
    ],
)
def test_bad_input_is_named(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_step_by_step_chain_with_logits_far_apart_says_to_use_the_fused_gradient():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="cross_entropy_grad"):
            output_layer.chain(np.array([1e4, -1e4, 0.0]), 1)
