"""Lesson 02's maths: one sigmoid neuron's chain rule, against autograd and central differences."""
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad

from backprop import neuron


def _loss_auto(w, b, x, y, kind):
    """The neuron's loss written for autograd, independently of backprop.neuron."""
    y_hat = 1.0 / (1.0 + anp.exp(-(w * x + b)))
    if kind == "squared":
        return 0.5 * (y_hat - y) ** 2
    return -(y * anp.log(y_hat) + (1 - y) * anp.log(1 - y_hat))


POINTS = [(-1.0, 0.0, 2.0, 0.8), (0.7, -0.3, 1.5, 1.0), (2.5, 1.0, -0.5, 0.0), (-0.4, 0.2, 2.5, 0.3)]


@pytest.mark.parametrize("kind", neuron.LOSSES)
@pytest.mark.parametrize("w, b, x, y", POINTS)
def test_chain_rule_matches_autograd(kind, w, b, x, y):
    c = neuron.chain(w, b, x, y, kind)
    assert c.loss == pytest.approx(_loss_auto(w, b, x, y, kind), rel=1e-12)
    assert c.dL_dw == pytest.approx(grad(_loss_auto, 0)(w, b, x, y, kind), rel=1e-10, abs=1e-14)
    assert c.dL_db == pytest.approx(grad(_loss_auto, 1)(w, b, x, y, kind), rel=1e-10, abs=1e-14)
    assert c.dL_da * c.da_dx == pytest.approx(grad(_loss_auto, 2)(w, b, x, y, kind), rel=1e-10, abs=1e-14)
    # each local factor, against autograd on that link alone
    sig = lambda a: 1.0 / (1.0 + anp.exp(-a))
    assert c.dyhat_da == pytest.approx(grad(sig)(c.a), rel=1e-12)
    link = (lambda yh: 0.5 * (yh - y) ** 2) if kind == "squared" else (lambda yh: -(y * anp.log(yh) + (1 - y) * anp.log(1 - yh)))
    assert c.dL_dyhat == pytest.approx(grad(link)(c.y_hat), rel=1e-10, abs=1e-14)
    assert c.da_dw == x and c.da_db == 1.0 and c.da_dx == w
    assert c.dL_da == pytest.approx(c.dL_dyhat * c.dyhat_da, rel=1e-12, abs=1e-15)
    assert c.dL_dw == pytest.approx(c.dL_dyhat * c.dyhat_da * c.da_dw, rel=1e-12, abs=1e-15)


def test_cross_entropy_simplifies_to_yhat_minus_y_times_x():
    for w, b, x, y in POINTS:
        c = neuron.chain(w, b, x, y, "cross_entropy")
        assert c.dL_dw == pytest.approx((c.y_hat - y) * x, rel=1e-12, abs=1e-15)


def test_central_differences_agree():
    h = 1e-6
    for kind in neuron.LOSSES:
        for w, b, x, y in POINTS:
            num = (neuron.neuron_loss(w + h, b, x, y, kind) - neuron.neuron_loss(w - h, b, x, y, kind)) / (2 * h)
            assert neuron.chain(w, b, x, y, kind).dL_dw == pytest.approx(num, rel=1e-6, abs=1e-10)


def test_saturated_neuron_stays_finite():
    for a in (-800.0, -40.0, 40.0, 800.0):
        for kind in neuron.LOSSES:
            c = neuron.chain(a / 2, 0.0, 2.0, 0.8, kind)
            assert np.isfinite(c.loss) and np.isfinite(c.dL_dw) and np.isfinite(c.dL_db)
    c = neuron.chain(-400.0, 0.0, 2.0, 0.8, "cross_entropy")
    assert c.loss == pytest.approx(0.8 * 800, rel=1e-12)
    assert c.dL_dw == pytest.approx(-0.8 * 2.0)


def test_loss_of_w_is_the_loss_at_each_weight():
    ws = np.linspace(-3, 3, 7)
    for kind in neuron.LOSSES:
        got = neuron.loss_of_w(ws, 0.5, 2.0, 0.8, kind)
        assert got.shape == (7,)
        assert np.allclose(got, [_loss_auto(w, 0.5, 2.0, 0.8, kind) for w in ws], rtol=1e-12)


@pytest.mark.parametrize("kind, eta", [("cross_entropy", 1.0), ("cross_entropy", 4.0), ("squared", 40.0)])
def test_gradient_descent_path(kind, eta):
    path = neuron.gradient_descent(-1.0, 0.0, 2.0, 0.8, eta, 12, kind)
    assert path["w"].shape == path["loss"].shape == path["grad"].shape == (13,)
    w = -1.0
    g = grad(_loss_auto, 0)
    for t in range(13):
        assert path["w"][t] == pytest.approx(w, rel=1e-9, abs=1e-12)
        assert path["loss"][t] == pytest.approx(_loss_auto(w, 0.0, 2.0, 0.8, kind), rel=1e-9)
        w = w - eta * g(w, 0.0, 2.0, 0.8, kind)


def test_learning_rate_threshold():
    """Below 2/L'' the descent converges to w*; above it, it keeps jumping across w* (cross-entropy)."""
    w_star = neuron.best_weight(0.0, 2.0, 0.8)
    assert neuron.chain(w_star, 0.0, 2.0, 0.8, "cross_entropy").dL_dw == pytest.approx(0.0, abs=1e-12)
    crit = 2 / (0.8 * 0.2 * 4)
    ok = neuron.gradient_descent(-1.0, 0.0, 2.0, 0.8, 0.95 * crit, 400, "cross_entropy")
    assert ok["w"][-1] == pytest.approx(w_star, abs=1e-6)
    bad = neuron.gradient_descent(-1.0, 0.0, 2.0, 0.8, 1.05 * crit, 400, "cross_entropy")
    tail = bad["w"][-10:] - w_star
    assert np.all(np.abs(tail) > 0.05) and np.all(tail[:-1] * tail[1:] < 0)


@pytest.mark.parametrize("call, err", [
    (lambda: neuron.chain(1.0, 0.0, 2.0, 1.5), ValueError),
    (lambda: neuron.chain(1.0, 0.0, 2.0, 0.5, "mse"), ValueError),
    (lambda: neuron.chain(float("nan"), 0.0, 2.0, 0.5), ValueError),
    (lambda: neuron.chain("1", 0.0, 2.0, 0.5), TypeError),
    (lambda: neuron.chain(np.ones(2), 0.0, 2.0, 0.5), ValueError),
    (lambda: neuron.gradient_descent(1.0, 0.0, 2.0, 0.5, 0.0, 5), ValueError),
    (lambda: neuron.gradient_descent(1.0, 0.0, 2.0, 0.5, 0.1, -1), ValueError),
    (lambda: neuron.gradient_descent(1.0, 0.0, 2.0, 0.5, 0.1, 2.5), TypeError),
    (lambda: neuron.loss_of_w(np.ones((2, 2)), 0.0, 2.0, 0.5), ValueError),
    (lambda: neuron.best_weight(0.0, 2.0, 1.0), ValueError),
])
def test_bad_input_is_refused(call, err):
    with pytest.raises(err):
        call()


def test_error_messages_say_what_was_expected():
    with pytest.raises(ValueError, match=r"target probability in \[0, 1\].*got 1.5"):
        neuron.chain(1.0, 0.0, 2.0, 1.5)
    with pytest.raises(ValueError, match=r"loss must be one of \('squared', 'cross_entropy'\); got 'mse'"):
        neuron.neuron_loss(1.0, 0.0, 2.0, 0.5, "mse")


@pytest.mark.parametrize("bad", [["squared"], np.array(["squared", "x"]), None, 1])
def test_loss_name_of_the_wrong_type_is_a_type_error(bad):
    with pytest.raises(TypeError, match="loss must be one of"):
        neuron.neuron_loss(0.5, 0.1, 2.0, 0.8, bad)
