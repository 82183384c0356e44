"""backprop.diagnostics (lesson 11) against numbers computed another way: hand-built networks whose dead units and
symmetry are known, gradient norms from central differences and autograd, update ratios from an actual step."""
import numpy as np
import pytest

import backprop as bp
from backprop import diagnostics as dg
from backprop import train
from backprop import whole_network as wn

RNG = np.random.default_rng(0)
X = RNG.normal(size=(12, 4))
Y = RNG.integers(0, 3, size=12)


def _net(activation="tanh", sizes=(4, 5, 6, 3), seed=1):
    return bp.Network.init(list(sizes), activation, seed=seed)


# ---------------------------------------------------------------------------- gradient norms
@pytest.mark.parametrize("activation", ["logistic", "tanh", "relu"])
def test_gradient_norms_against_central_differences(activation):
    net = _net(activation)
    got = dg.gradient_norms(net, X, Y)
    fd_W, fd_b, _ = wn.finite_difference_gradients(net, X, Y)
    for k in range(1, net.L + 1):
        assert got["W"][k - 1] == pytest.approx(np.linalg.norm(fd_W[k]), rel=1e-6)
        assert got["b"][k - 1] == pytest.approx(np.linalg.norm(fd_b[k]), rel=1e-6)
    assert got["loss"] == pytest.approx(bp.loss(net, X, Y), rel=1e-12)


def test_grad_a_norms_against_autograd_of_the_loss_in_a():
    """||grad_A_k|| = the norm of d(mean loss)/dA_k, with A_k perturbed directly (central differences)."""
    net = _net("logistic")
    got = dg.gradient_norms(net, X, Y)["a"]
    fwd = bp.forward(net, X)
    from backprop.activations import logistic

    def loss_from_a(k, A):
        h = logistic(A) if k < net.L else None
        if k == net.L:
            return bp.cross_entropy(A, Y)
        for m in range(k + 1, net.L + 1):
            A = h @ net.W[m].T + net.b[m]
            if m < net.L:
                h = logistic(A)
        return bp.cross_entropy(A, Y)

    for k in range(1, net.L + 1):
        num = bp.numerical_gradient(lambda A: loss_from_a(k, A), fwd.a[k].copy())
        assert got[k - 1] == pytest.approx(np.linalg.norm(num), rel=1e-6)


def test_gradient_norms_match_lesson_08_and_autograd():
    net = _net("relu", sizes=(4, 8, 8, 8, 3))
    got = dg.gradient_norms(net, X, Y)["W"]
    np.testing.assert_allclose(got, wn.gradient_norms(net, X, Y), rtol=1e-12)
    ag_W, _ = wn.autograd_gradients(net, X, Y)
    np.testing.assert_allclose(got, [np.linalg.norm(ag_W[k]) for k in range(1, net.L + 1)], rtol=1e-10)


def test_backward_factors_by_hand_and_bound():
    net = _net("logistic", sizes=(4, 6, 6, 6, 3))
    f = dg.backward_factors(net, X, Y)
    g = bp.gradients(net, X, Y)
    fwd = bp.forward(net, X)
    assert list(f["k"]) == [3, 2]
    for i, k in enumerate(f["k"]):
        assert f["measured"][i] == pytest.approx(np.linalg.norm(g.grad_h[k - 1]) / np.linalg.norm(g.grad_h[k]))
        assert f["spectral"][i] == pytest.approx(np.linalg.svd(net.W[k], compute_uv=False)[0])
        assert f["g_prime_max"][i] == pytest.approx(np.max(bp.logistic_prime(fwd.a[k])))
    assert np.all(f["measured"] <= f["bound"]) and np.all(f["g_prime_max"] <= 0.25)
    empty = dg.backward_factors(_net(sizes=(4, 5, 3)), X, Y)
    assert empty["k"].size == 0 and empty["bound"].size == 0


# ---------------------------------------------------------------------------- activations
def test_saturated_fraction_by_hand():
    H = np.array([[0.005, 0.5, 0.995], [0.2, 0.999, 0.0101]])
    assert dg.saturated_fraction(H, "logistic") == pytest.approx(3 / 6)
    T = np.array([[-0.995, 0.0, 0.98], [0.991, -0.5, 1.0]])
    assert dg.saturated_fraction(T, "tanh") == pytest.approx(3 / 6)
    with pytest.raises(ValueError, match="dead_units"):
        dg.saturated_fraction(H, "relu")
    with pytest.raises(ValueError, match="logistic values"):
        dg.saturated_fraction(T, "logistic")


def test_dead_units_on_a_hand_built_relu_network():
    """Layer 1 of 4 units: unit 2 has weights 0 and bias -1 (a = -1 always: dead), unit 4 bias -100 (dead),
    units 1 and 3 are alive for some examples (unit 3 only for x_1 > 2)."""
    W1 = np.array([[1.0, 0.0], [0.0, 0.0], [1.0, 0.0], [0.5, 0.5]])
    b1 = np.array([0.0, -1.0, -2.0, -100.0])
    W2 = np.ones((2, 4))
    net = bp.Network([None, W1, W2], [None, b1, np.zeros(2)], "relu")
    Xh = np.array([[1.0, 1.0], [3.0, -1.0], [-1.0, 2.0]])
    A1 = bp.forward(net, Xh).a[1]
    np.testing.assert_array_equal(dg.dead_units(A1), [False, True, False, True])
    assert dg.dead_fraction(A1) == 0.5
    stats = dg.activation_stats(net, Xh)
    assert stats[0]["dead"] == 0.5 and stats[0]["saturated"] is None
    assert stats[0]["mean_a"] == pytest.approx(A1.mean()) and stats[0]["std_h"] == pytest.approx(np.maximum(A1, 0).std())
    g = bp.gradients(net, Xh, np.array([0, 1, 0]))
    assert np.all(g.grad_W[1][[1, 3]] == 0) and np.all(g.grad_b[1][[1, 3]] == 0)


def test_activation_stats_saturated_for_logistic_and_tanh():
    for act in ("logistic", "tanh"):
        net = bp.Network.init([4, 6, 3], act, init="small", scale=10.0, seed=0)
        H = bp.forward(net, X).h[1]
        want = np.mean((H < 0.01) | (H > 0.99)) if act == "logistic" else np.mean(np.abs(H) > 0.99)
        s = dg.activation_stats(net, X)[0]
        assert s["saturated"] == pytest.approx(want) and s["dead"] is None and want > 0.3


# ---------------------------------------------------------------------------- symmetry
def _constant(sizes, c, act="tanh"):
    W = [None] + [np.full((sizes[k], sizes[k - 1]), c) for k in range(1, len(sizes))]
    b = [None] + [np.zeros(sizes[k]) for k in range(1, len(sizes))]
    return bp.Network(W, b, act)


def test_distinct_rows_by_hand():
    M = np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0 + 1e-12], [0.0, 2.0], [0.0, 2.0]])
    assert dg.distinct_rows(M) == 2
    assert dg.distinct_rows(M, tol=0.0) == 3


def test_distinct_units_known_networks():
    assert dg.distinct_units(_constant([4, 5, 6, 3], 0.3)) == [1, 1]
    assert dg.distinct_units(_net()) == [5, 6]
    net = _net()
    net.W[1][2] = net.W[1][0]            # unit 3 copies unit 1's incoming row ...
    assert dg.distinct_units(net) == [5, 6]  # ... but not its outgoing column: still different
    net.W[2][:, 2] = net.W[2][:, 0]
    assert dg.distinct_units(net) == [4, 6]


def test_symmetry_survives_training_and_random_init_breaks_it():
    rng = np.random.default_rng(3)
    Xt, yt = rng.normal(size=(60, 4)), rng.integers(0, 3, size=60)
    sym = train.fit(_constant([4, 5, 6, 3], 0.2), Xt, yt, epochs=5, lr=0.1, progress=False).net
    assert dg.distinct_units(sym) == [1, 1]
    assert not np.allclose(sym.W[1], 0.2)       # it did learn, as one unit
    rnd = train.fit(_net(), Xt, yt, epochs=5, lr=0.1, progress=False).net
    assert dg.distinct_units(rnd) == [5, 6]


# ---------------------------------------------------------------------------- update ratio
def test_update_ratio_is_the_relative_change_of_one_sgd_step():
    net = _net("relu")
    g = bp.gradients(net, X, Y)
    r = dg.update_ratio(net, g, 0.3)
    stepped = net.copy()
    before = [w.copy() for w in stepped.W[1:]]
    train.Trainer(stepped, lr=0.3, optimizer="sgd", batch_size=12).train_step(X, Y)
    measured = [np.linalg.norm(stepped.W[k] - before[k - 1]) / np.linalg.norm(before[k - 1]) for k in (1, 2, 3)]
    np.testing.assert_allclose(r, measured, rtol=1e-10)
    np.testing.assert_allclose(dg.update_ratio(net, g, 0.6), 2 * r, rtol=1e-14)


def test_update_ratio_zero_weights():
    """All weights 0, logistic: h_1 = 1/2, so grad_W_2 != 0 while W_2 = 0 (inf); grad_W_1 = 0 since W_2 = 0 (0)."""
    net = _constant([4, 5, 3], 0.0, "logistic")
    g = bp.gradients(net, X, Y)
    assert np.linalg.norm(g.grad_W[1]) == 0.0 and np.linalg.norm(g.grad_W[2]) > 0
    r = dg.update_ratio(net, g, 0.1)
    assert r[0] == 0.0 and r[1] == np.inf


# ---------------------------------------------------------------------------- diagnose
def test_diagnose_collects_the_same_numbers():
    net = _net("relu")
    D = dg.diagnose(net, X, Y, lr=0.05)
    np.testing.assert_allclose(D.grad_norms, dg.gradient_norms(net, X, Y)["W"], rtol=1e-14)
    np.testing.assert_allclose(D.update_ratio, dg.update_ratio(net, bp.gradients(net, X, Y), 0.05), rtol=1e-14)
    assert D.stats == dg.activation_stats(net, X) and D.distinct == dg.distinct_units(net)
    np.testing.assert_allclose(D.stuck, [s["dead"] for s in D.stats])
    text = str(D)
    assert "relu" in text and "(output layer)" in text and len(text.splitlines()) == 2 + net.L
    assert dg.diagnose(net, X, Y).update_ratio is None


# ---------------------------------------------------------------------------- bad input
@pytest.mark.parametrize("call,exc,words", [
    (lambda: dg.gradient_norms(_net(), np.ones((3, 5)), np.zeros(3, dtype=int)), ValueError, ["(B, 4)", "(3, 5)"]),
    (lambda: dg.gradient_norms(_net(), np.ones(4), 0), ValueError, ["2 dimensions"]),
    (lambda: dg.gradient_norms(_net(), np.ones((3, 4)), np.zeros(2, dtype=int)), ValueError, ["(3,)", "(2,)"]),
    (lambda: dg.gradient_norms("net", X, Y), TypeError, ["Network"]),
    (lambda: dg.dead_units(np.ones(4)), ValueError, ["2 dimensions"]),
    (lambda: dg.dead_units(np.ones((2, 2), dtype=int)), TypeError, ["float"]),
    (lambda: dg.saturated_fraction(np.ones((2, 2)) * 0.5, "softplus"), ValueError, ["logistic", "softplus"]),
    (lambda: dg.saturated_fraction(np.ones((2, 2)) * 0.5, "tanh", tol=0.7), ValueError, ["[0, 0.5)", "0.7"]),
    (lambda: dg.update_ratio(_net(), bp.gradients(_net(sizes=(4, 7, 6, 3)), X, Y), 0.1), ValueError, ["(5, 4)", "(7, 4)"]),
    (lambda: dg.update_ratio(_net(), bp.gradients(_net(), X, Y), -0.1), ValueError, ["> 0", "-0.1"]),
    (lambda: dg.update_ratio(_net(), "grads", 0.1), TypeError, ["Gradients"]),
    (lambda: dg.unit_signature(_net(), 3), ValueError, ["1..2", "3"]),
    (lambda: dg.distinct_rows(np.ones(3)), ValueError, ["2 dimensions"]),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), f"{w!r} not in {info.value}"
