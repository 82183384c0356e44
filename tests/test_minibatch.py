"""backprop.minibatch: the plain update rules, checked against hand-written loops, central differences and fit."""
from helpers import assert_refused
import numpy as np
import pytest

import backprop as bp
from backprop import data, minibatch as mb, train


def test_momentum_step_by_hand_and_sgd_special_case():
    rng = np.random.default_rng(0)
    W, v, g = rng.normal(size=(3, 4)), rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    W0 = W.copy()
    W1, v1 = mb.momentum_step(W, v, g, 0.1, 0.9)
    for i in range(3):
        for j in range(4):
            vij = 0.9 * v[i, j] + g[i, j]
            assert v1[i, j] == pytest.approx(vij, rel=1e-15)
            assert W1[i, j] == pytest.approx(W[i, j] - 0.1 * vij, rel=1e-15)
    assert np.array_equal(W, W0)                       # inputs untouched
    W2, _ = mb.momentum_step(W, v, g, 0.1, 0.0)
    np.testing.assert_allclose(W2, mb.sgd_step(W, g, 0.1), rtol=1e-15)


def test_constant_gradient_step_approaches_eta_over_one_minus_mu():
    W, v, g = np.zeros(1), np.zeros(1), np.ones(1)
    for _ in range(300):
        W_new, v = mb.momentum_step(W, v, g, 0.01, 0.9)
        step, W = W - W_new, W_new
    assert step[0] == pytest.approx(0.01 / (1 - 0.9), rel=1e-9)


def test_sgd_step_lowers_the_loss_along_the_central_difference_gradient():
    net = bp.Network.init([5, 6, 3], "tanh", seed=1)
    rng = np.random.default_rng(2)
    X, y = rng.normal(size=(8, 5)), rng.integers(0, 3, size=8)
    work = net.copy()
    num = bp.numerical_gradient(lambda _: bp.loss(work, X, y), work.W[1])
    g = bp.gradients(net, X, y)
    np.testing.assert_allclose(g.grad_W[1], num, rtol=1e-6, atol=1e-9)
    work.W[1] = mb.sgd_step(net.W[1], num, 0.05)
    assert bp.loss(work, X, y) < bp.loss(net, X, y)


def test_minibatches_cover_every_row_once():
    parts = mb.minibatches(10, 4, np.random.default_rng(0))
    assert [len(p) for p in parts] == [4, 4, 2]
    assert sorted(np.concatenate(parts)) == list(range(10))
    assert np.array_equal(np.concatenate(parts), np.random.default_rng(0).permutation(10))


@pytest.mark.parametrize("mu", [0.0, 0.9])
def test_fit_is_the_plain_loop_on_lesson_08_gradients(mu):
    d = data.load_digits(seed=2)
    net = bp.Network.init([64, 16, 10], "relu", seed=0)
    plain, losses = mb.train_plainly(net, d.X_train, d.y_train, epochs=2, batch_size=50, eta=0.05, mu=mu, seed=3)
    opt = "momentum" if mu else "sgd"
    res = train.fit(net, d.X_train, d.y_train, epochs=2, batch_size=50, lr=0.05, optimizer=opt, momentum=mu,
                    seed=3, progress=False)
    np.testing.assert_allclose(losses, res.history.step_loss, rtol=1e-12)
    for k in (1, 2):
        np.testing.assert_allclose(plain.W[k], res.net.W[k], rtol=1e-10, atol=1e-13)
        np.testing.assert_allclose(plain.b[k], res.net.b[k], rtol=1e-10, atol=1e-13)


def test_most_confused():
    C = np.array([[5, 1, 0], [3, 4, 3], [0, 2, 9]])
    assert mb.most_confused(C) == (1, 0, 3)          # ties: first in row-major order
    with pytest.raises(ValueError, match="square"):
        mb.most_confused(np.zeros((2, 3), dtype=int))
    with pytest.raises(TypeError, match="integer"):
        mb.most_confused(np.zeros((2, 2)))


@pytest.mark.parametrize("call,exc,words", [
    (lambda: mb.momentum_step(np.zeros(3), np.zeros(2), np.zeros(3), 0.1, 0.9), ValueError, "shape of W"),
    (lambda: mb.momentum_step(np.zeros(3), np.zeros(3), np.zeros(3), 0.1, 1.0), ValueError, "momentum"),
    (lambda: mb.momentum_step(np.zeros(3), np.zeros(3), np.zeros(3), -0.1, 0.5), ValueError, "learning rate"),
    (lambda: mb.sgd_step(np.zeros(3), np.array([1, 2, 3]), 0.1), TypeError, "grad"),
    (lambda: mb.sgd_step(np.zeros(3), np.array([np.nan, 0, 0]), 0.1), ValueError, "finite"),
    (lambda: mb.minibatches(10, 0, np.random.default_rng(0)), ValueError, "B"),
    (lambda: mb.minibatches(10, 2, 0), TypeError, "Generator"),
    (lambda: mb.train_plainly("net", np.zeros((2, 2)), [0, 1], epochs=1, batch_size=1, eta=0.1), TypeError, "Network"),
])
def test_bad_input(call, exc, words):
    with pytest.raises(exc, match=words):
        call()


# ---------------------------------------------------------------- found by the bad-input probe
@pytest.mark.parametrize("call,exc,words", [
    (lambda: mb.sgd_step(np.full(2, 1e308), np.full(2, -1e308), 10.0), ValueError, ["W_new", "overflowed"]),
    (lambda: mb.momentum_step(np.ones(2), np.full(2, 1e308), np.full(2, 1e308), 0.1, 0.9), ValueError, ["v_new", "overflowed"]),
    (lambda: mb.momentum_step(np.full(2, -1e308), np.zeros(2), np.full(2, 1e308), 10.0, 0.9), ValueError, ["W_new", "overflowed"]),
    (lambda: mb.sgd_step(np.ones(3), np.ones((3, 1)), 0.1), ValueError, ["shape of W", "(3,)", "(3, 1)"]),
    (lambda: mb.momentum_step(np.ones(3), np.ones(3), np.ones(3), 0.1, True), TypeError, ["mu", "True"]),
    (lambda: mb.momentum_step(np.ones(3), np.ones(3), np.ones(3), 0.1, float("nan")), ValueError, ["mu", "finite"]),
    (lambda: mb.train_plainly(NET, X, Y[:5], epochs=1, batch_size=4, eta=0.1), ValueError, ["y", "(10,)", "(5,)"]),
    (lambda: mb.train_plainly(NET, X, None, epochs=1, batch_size=4, eta=0.1), TypeError, ["y", "integer"]),
    (lambda: mb.train_plainly(NET, X, np.full(10, 3), epochs=1, batch_size=4, eta=0.1), ValueError, ["0..2", "3"]),
    (lambda: mb.train_plainly(NET, X, Y.astype(float), epochs=1, batch_size=4, eta=0.1), TypeError, ["integer", "float64"]),
    (lambda: mb.train_plainly(NET, X[:, :3], Y, epochs=1, batch_size=4, eta=0.1), ValueError, ["(N, 4)", "(10, 3)"]),
    (lambda: mb.train_plainly(NET, X[:0], Y[:0], epochs=1, batch_size=4, eta=0.1), ValueError, ["empty"]),
    (lambda: mb.train_plainly(NET, X, Y, epochs=0, batch_size=4, eta=0.1), ValueError, ["epochs", ">= 1", "0"]),
    (lambda: mb.train_plainly(NET, X, Y, epochs=1, batch_size=4, eta=0.1, mu=1.0), ValueError, ["momentum", "[0, 1)"]),
    (lambda: mb.most_confused(np.array([[1, -2], [0, 3]])), ValueError, ["counts >= 0", "-2", "(0, 1)"]),
    (lambda: mb.most_confused(np.eye(3, dtype=bool)), TypeError, ["integer counts", "bool"]),
])
def test_more_bad_input(call, exc, words):
    assert_refused(call, exc, words)


NET = bp.Network.init([4, 5, 3], "tanh", seed=0)
X = np.random.default_rng(0).normal(size=(10, 4))
Y = np.arange(10) % 3
