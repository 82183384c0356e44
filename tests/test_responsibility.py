"""Lesson 01's maths: nudges and finite differences, against autograd (an independent derivative)."""
import numpy as np
import pytest

import backprop as bp
from backprop import lecture
from backprop import responsibility as rsp
from reference import autograd_gradients

NET = lecture.network()
X, LABEL = lecture.example()
AUTO = autograd_gradients(NET, X, LABEL)


def auto(name, net=NET):
    kind, k, i, j = rsp.parse_name(net, name)
    gW, gb = autograd_gradients(net, X, LABEL)[k - 1] if net is not NET else AUTO[k - 1]
    return float(gW[i - 1, j - 1] if kind == "W" else gb[i - 1])


def test_names_follow_the_lecture():
    names = rsp.parameter_names(NET)
    assert len(names) == NET.n_params == 36
    assert names[:4] == ["W_111", "W_112", "W_113", "W_121"] and "b_33" in names
    assert rsp.parse_name(NET, "W_123") == ("W", 1, 2, 3)
    assert rsp.parse_name(NET, "b_21") == ("b", 2, 1, None)
    assert rsp.get_value(NET, "W_123") == NET.W[1][1, 2]
    assert rsp.get_value(NET, "b_32") == NET.b[3][1]


def test_nudge_moves_one_parameter_and_leaves_the_network_alone():
    before = [w.copy() for w in NET.W[1:]]
    moved = rsp.nudge(NET, "W_231", 0.25)
    assert moved.W[2][2, 0] == pytest.approx(NET.W[2][2, 0] + 0.25)
    moved.W[2][2, 0] = NET.W[2][2, 0]
    assert all(np.array_equal(a, b) for a, b in zip(moved.W[1:], NET.W[1:]))
    assert all(np.array_equal(a, b) for a, b in zip(before, NET.W[1:]))


def test_loss_as_function_of_weight_is_the_loss_with_that_weight_set():
    values = np.array([-1.0, 0.0, 2.5])
    got = rsp.loss_as_function_of_weight(NET, X, LABEL, "b_13", values)
    for v, g in zip(values, got):
        net = NET.copy()
        net.b[1][2] = v
        assert g == pytest.approx(bp.loss(net, X, LABEL), abs=1e-15)


@pytest.mark.parametrize("name", ["W_111", "W_212", "W_333", "b_11", "b_33"])
def test_differences_converge_to_the_autograd_derivative(name):
    ref = auto(name)
    assert rsp.central_difference(NET, X, LABEL, name, 1e-5) == pytest.approx(ref, rel=1e-7, abs=1e-10)
    assert rsp.richardson(NET, X, LABEL, name) == pytest.approx(ref, rel=1e-9, abs=1e-12)
    assert rsp.backprop_derivative(NET, X, LABEL, name) == pytest.approx(ref, rel=1e-12, abs=1e-15)
    # forward difference: first order, error ~ delta; central: second order, error ~ delta^2
    e_f = [abs(rsp.forward_difference(NET, X, LABEL, name, d) - ref) for d in (1e-2, 1e-3)]
    e_c = [abs(rsp.central_difference(NET, X, LABEL, name, d) - ref) for d in (1e-2, 1e-3)]
    assert 8 < e_f[0] / e_f[1] < 12
    assert 80 < e_c[0] / e_c[1] < 120


def test_difference_errors_and_error_model():
    deltas = np.array([1e-1, 1e-2])
    ref = auto("W_333")
    e = rsp.difference_errors(NET, X, LABEL, "W_333", deltas, ref)
    for d, ef, ec in zip(deltas, e["forward"], e["central"]):
        assert ef == pytest.approx(abs(rsp.forward_difference(NET, X, LABEL, "W_333", d) - ref))
        assert ec == pytest.approx(abs(rsp.central_difference(NET, X, LABEL, "W_333", d) - ref))
    m = rsp.error_model(NET, X, LABEL, "W_333", deltas)
    # L'' from the autograd derivative, differenced once more
    h = 1e-5
    L2 = (auto("W_333", rsp.nudge(NET, "W_333", h)) - auto("W_333", rsp.nudge(NET, "W_333", -h))) / (2 * h)
    assert m["L2"] == pytest.approx(L2, rel=1e-3)
    assert m["forward_truncation"] == pytest.approx(deltas * abs(L2) / 2, rel=1e-3)
    # the forward error at delta = 1e-2 is about delta |L''| / 2
    assert e["forward"][1] == pytest.approx(m["forward_truncation"][1], rel=0.05)


def test_rank_weights_sorts_every_parameter_by_size():
    ranking = rsp.rank_weights(NET, X, LABEL)
    assert sorted(n for n, _ in ranking) == sorted(rsp.parameter_names(NET))
    sizes = [abs(d) for _, d in ranking]
    assert sizes == sorted(sizes, reverse=True)
    for name, d in ranking:
        assert d == pytest.approx(auto(name), rel=1e-6, abs=1e-10)
    assert ranking[0][0] == "b_33"


@pytest.mark.parametrize("call, err", [
    (lambda: rsp.parse_name(NET, "W_411"), ValueError),
    (lambda: rsp.parse_name(NET, "W_141"), ValueError),
    (lambda: rsp.parse_name(NET, "W111"), ValueError),
    (lambda: rsp.parse_name(NET, 111), TypeError),
    (lambda: rsp.forward_difference(NET, X, LABEL, "W_111", -1e-3), ValueError),
    (lambda: rsp.central_difference(NET, X, LABEL, "W_111", 0.0), ValueError),
    (lambda: rsp.loss_as_function_of_weight(NET, X, LABEL, "W_111", np.ones((2, 2))), ValueError),
    (lambda: rsp.loss_as_function_of_weight(NET, X, LABEL, "W_111", np.array([1, 2])), TypeError),
    (lambda: rsp.loss_as_function_of_weight(NET, X[:2], LABEL, "W_111", np.array([1.0])), ValueError),
    (lambda: rsp.difference_errors(NET, X, LABEL, "W_111", np.array([1e-3, -1e-3]), 0.0), ValueError),
    (lambda: rsp.nudge(NET, "W_111", float("nan")), ValueError),
])
def test_bad_input_is_refused_with_a_clear_error(call, err):
    with pytest.raises(err):
        call()


def test_error_messages_name_what_was_expected():
    with pytest.raises(ValueError, match=r"layer k must be in 1..3; got k = 4"):
        rsp.parse_name(NET, "W_411")
    with pytest.raises(ValueError, match=r"inputs j = 1..3; got j = 4"):
        rsp.parse_name(NET, "W_214")


@pytest.mark.parametrize("call", [
    lambda: rsp.parse_name("net", "W_111"),
    lambda: rsp.get_value(None, "W_111"),
    lambda: rsp.nudge(3.0, "W_111", 0.1),
    lambda: rsp.loss_as_function_of_weight("net", X, LABEL, "W_111", np.array([0.0])),
    lambda: rsp.central_difference([NET], X, LABEL, "W_111", 1e-4),
])
def test_something_else_than_a_network_is_refused(call):
    with pytest.raises(TypeError, match="Network"):
        call()


def test_a_huge_nudge_gives_a_clear_error_not_an_overflow_warning():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match="overflowed"):
            rsp.central_difference(NET, X, LABEL, "W_113", 1e308)   # x_3 = 2: 2e308 overflows
