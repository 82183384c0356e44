"""Lesson 08's maths (backprop.whole_network) against references computed another way."""
import inspect

import numpy as np
import pytest

import backprop as bp
from backprop import whole_network as wn
from reference import autograd_gradients


def test_every_code_line_of_the_table_is_in_backward():
    source = inspect.getsource(bp.backward)
    for _, code, _ in wn.PSEUDOCODE:
        assert code in source, code
    table = wn.side_by_side()
    assert table.count("\n") == len(wn.PSEUDOCODE) + 1


@pytest.mark.parametrize("sizes,activation,B", [([3, 4, 2], "relu", 5), ([4, 3, 3, 3], "logistic", 1),
                                                ([2, 6, 6, 3], "tanh", 3)])
def test_autograd_gradients_match_the_independent_reference(sizes, activation, B):
    net = bp.Network.init(sizes, activation=activation, seed=4)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(B, sizes[0])) if B > 1 else rng.normal(size=sizes[0])
    label = rng.integers(0, sizes[-1], size=B) if B > 1 else 1
    gW, gb = wn.autograd_gradients(net, x, label)
    ref = autograd_gradients(net, x, label)          # tests/reference.py, written separately
    for k in range(1, net.L + 1):
        np.testing.assert_allclose(gW[k], ref[k - 1][0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(gb[k], ref[k - 1][1], rtol=1e-10, atol=1e-14)


def test_finite_differences_count_and_agree_with_gradcheck():
    net = bp.Network.init([3, 4, 2], activation="tanh", seed=2)
    X = np.random.default_rng(1).normal(size=(4, 3))
    labels = np.array([0, 1, 1, 0])
    fW, fb, n = wn.finite_difference_gradients(net, X, labels)
    assert n == 2 * net.n_params
    rep = bp.check_gradients(net, X, labels)
    np.testing.assert_allclose(fW[1], rep.numeric["W[1]"], rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(fb[2], rep.numeric["b[2]"], rtol=1e-12, atol=1e-14)


def test_gradient_check_table_is_small_for_backprop_and_large_for_a_broken_gradient():
    net = bp.Network.init([4, 5, 3], activation="logistic", seed=0)
    X = np.random.default_rng(3).normal(size=(6, 4))
    labels = np.array([0, 1, 2, 0, 1, 2])
    table = wn.gradient_check_table(net, X, labels)
    assert [r[0] for r in table.rows] == ["W[1]", "b[1]", "W[2]", "b[2]"]
    assert table.max_error < 1e-6
    assert "vs autograd" in str(table) and "P = 43" in str(table)


def test_cost_counts():
    sizes = [4, 5, 3]
    assert wn.n_params(sizes) == bp.Network.init(sizes).n_params == 43
    assert wn.forward_multiply_adds(sizes, B=2) == 2 * (20 + 15)
    assert wn.backward_multiply_adds(sizes, B=2) == 2 * (20 + 15 + 15)
    assert wn.finite_difference_multiply_adds(sizes) == 2 * 43 * 35
    fam = wn.cost_family([4, 8, 16, 32, 64], depth=2)
    P = [c["P"] for c in fam]
    assert round(wn.loglog_slope(P, [c["backprop"] for c in fam]), 1) == 1.0
    assert round(wn.loglog_slope(P, [c["finite_differences"] for c in fam]), 1) == 2.0
    assert all(abs(c["backprop_in_forwards"] - 8 / 3) < 1e-12 for c in fam)
    assert wn.loglog_slope([1, 10, 100], [3, 30, 300]) == pytest.approx(1.0)


def test_measure_costs_returns_positive_times():
    rows = wn.measure_costs([2, 4], B=2, full_fd_max_params=100, repeats=1)
    assert [r["P"] for r in rows] == [wn.n_params([2] * 4), wn.n_params([4] * 4)]
    assert all(r["t_forward"] > 0 and r["t_backprop"] > 0 and r["t_fd"] > 0 for r in rows)
    assert rows[0]["t_fd_measured"] > 0


def test_gradient_norms_are_the_norms_of_central_difference_gradients():
    net = bp.Network.init([3, 4, 4, 2], activation="tanh", seed=7)
    x, label = np.array([0.3, -1.0, 0.8]), 1
    norms = wn.gradient_norms(net, x, label)
    rep = bp.check_gradients(net, x, label)
    want = [np.linalg.norm(rep.numeric[f"W[{k}]"]) for k in (1, 2, 3)]
    np.testing.assert_allclose(norms, want, rtol=1e-6)


def test_norms_state_is_seeded_and_shaped():
    a = wn.norms_state(3, 8, "relu")
    b = wn.norms_state(3, 8, "relu")
    assert a["sizes"] == [wn.N_IN, 8, 8, 8, wn.N_CLASSES] and a["norms"].shape == (4,)
    np.testing.assert_array_equal(a["norms"], b["norms"])


def test_bad_input():
    with pytest.raises(ValueError, match="sizes"):
        wn.n_params([3])
    with pytest.raises(TypeError, match="integer"):
        wn.forward_multiply_adds([3, 2.5])
    with pytest.raises(ValueError, match=">= 1"):
        wn.norms_state(0, 4, "tanh")
    with pytest.raises(ValueError, match="activation"):
        wn.norms_state(2, 4, "softplus")
    with pytest.raises(ValueError, match="positive"):
        wn.loglog_slope([1, 2], [0, 1])
    net = bp.Network.init([3, 2], seed=0)
    with pytest.raises(ValueError, match="class index"):
        wn.autograd_gradients(net, np.zeros(3), 5)


@pytest.mark.parametrize("call,exc,words", [
    (lambda: wn.cost_family(4), TypeError, ["widths", "list"]),
    (lambda: wn.cost_family([]), TypeError, ["widths", "non-empty"]),
    (lambda: wn.loglog_slope(np.array([1 + 1j, 2, 3]), np.ones(3)), TypeError, ["x", "complex"]),
    (lambda: wn.loglog_slope([True, False], [1.0, 2.0]), TypeError, ["x", "bool"]),
    (lambda: wn.measure_costs([2], repeats=0), ValueError, ["repeats", ">= 1", "0"]),
    (lambda: wn.measure_costs([2], repeats=2.5), TypeError, ["repeats", "2.5"]),
    (lambda: wn.measure_costs([2], seed=None), TypeError, ["seed", "None"]),
    (lambda: wn.norms_state(2, 4, "tanh", seed=True), TypeError, ["seed", "True"]),
])
def test_bad_input_found_by_the_probe(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_loglog_slope_still_takes_integer_counts():
    assert wn.loglog_slope([1, 2, 4], [1, 4, 16]) == pytest.approx(2.0)
