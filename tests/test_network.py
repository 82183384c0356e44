"""The backward pass against references it does not share code with:
HIPS autograd (tests/reference.py) and central differences in float64."""
import numpy as np
import pytest
from autograd import grad
from hypothesis import given
from hypothesis import strategies as st

import backprop as bp
from reference import autograd_gradients, loss_from_activation, loss_from_pre_activation, params_of

CASES = [
    # sizes, activation, batch (None = one unbatched example)
    ([3, 3, 3, 3], "logistic", None),
    ([3, 3, 3, 3], "tanh", 1),
    ([4, 2], "logistic", None),
    ([5, 7, 3], "relu", 8),
    ([2, 6, 6, 6, 6, 4], "tanh", 5),
    ([6, 1, 1, 1, 2], "logistic", 3),
    ([8, 16, 10], "relu", None),
    ([3, 5, 4, 3, 2], "relu", 1),
]


def _data(sizes, batch, seed):
    rng = np.random.default_rng(seed)
    if batch is None:
        return rng.normal(size=sizes[0]), int(rng.integers(sizes[-1]))
    return rng.normal(size=(batch, sizes[0])), rng.integers(sizes[-1], size=batch)


def _net(sizes, activation, seed):
    net = bp.Network.init(sizes, activation, init="xavier", seed=seed)
    rng = np.random.default_rng(seed + 1)
    for k in range(1, net.L + 1):   # non-zero biases, so bias bugs show
        net.b[k] = rng.normal(scale=0.3, size=net.b[k].shape)
    return net


def rel(x, y):
    return np.max(np.abs(x - y) / np.maximum(np.maximum(np.abs(x), np.abs(y)), 1e-8))


@pytest.mark.parametrize("sizes,activation,batch", CASES)
def test_parameter_gradients_match_autograd(sizes, activation, batch):
    net = _net(sizes, activation, seed=len(sizes) * 7 + (batch or 0))
    x, label = _data(sizes, batch, seed=3)
    ours = bp.gradients(net, x, label)
    ref = autograd_gradients(net, x, label)
    for k in range(1, net.L + 1):
        assert ours.grad_W[k].shape == net.W[k].shape and ours.grad_b[k].shape == net.b[k].shape
        assert rel(ours.grad_W[k], ref[k - 1][0]) < 1e-7, f"grad_W[{k}]"
        assert rel(ours.grad_b[k], ref[k - 1][1]) < 1e-7, f"grad_b[{k}]"


@pytest.mark.parametrize("sizes,activation,batch", CASES)
def test_activation_gradients_match_autograd(sizes, activation, batch):
    net = _net(sizes, activation, seed=11)
    x, label = _data(sizes, batch, seed=5)
    fwd = bp.forward(net, x)
    ours = bp.backward(net, fwd, label, input_grad=True)
    params = params_of(net)
    for k in range(1, net.L + 1):
        ref_a = grad(loss_from_pre_activation, 1)(params, fwd.a[k], k, label, activation)
        assert ours.grad_a[k].shape == fwd.a[k].shape
        assert rel(ours.grad_a[k], ref_a) < 1e-7, f"grad_a[{k}]"
    for k in range(0, net.L):
        ref_h = grad(loss_from_activation, 1)(params, fwd.h[k], k, label, activation)
        assert ours.grad_h[k].shape == fwd.h[k].shape
        assert rel(ours.grad_h[k], ref_h) < 1e-7, f"grad_h[{k}]"


@pytest.mark.parametrize("sizes,activation,batch", CASES)
def test_parameter_gradients_match_central_differences(sizes, activation, batch):
    net = _net(sizes, activation, seed=23)
    x, label = _data(sizes, batch, seed=9)
    report = bp.check_gradients(net, x, label, eps=1e-6, tol=1e-5, floor=1e-7)
    assert report.ok, str(report)


def test_loss_matches_reference_and_forward_pieces_are_consistent():
    net = _net([3, 3, 3, 3], "logistic", seed=0)
    x = np.array([0.5, -1.0, 2.0])
    fwd = bp.forward(net, x)
    assert np.allclose(fwd.a[1], net.b[1] + net.W[1] @ x)       # a_k = b_k + W_k h_{k-1}
    assert np.allclose(fwd.h[1], 1 / (1 + np.exp(-fwd.a[1])))
    assert np.isclose(fwd.y_hat.sum(), 1.0)
    assert np.isclose(bp.loss(net, x, 2), -np.log(fwd.y_hat[2]))


def test_batch_loss_and_gradients_are_means_of_single_examples():
    net = _net([4, 5, 3], "tanh", seed=2)
    X, y = _data([4, 5, 3], 6, seed=1)
    batch = bp.gradients(net, X, y)
    singles = [bp.gradients(net, X[i], int(y[i])) for i in range(6)]
    assert np.isclose(batch.loss, np.mean([s.loss for s in singles]))
    for k in (1, 2):
        assert np.allclose(batch.grad_W[k], np.mean([s.grad_W[k] for s in singles], axis=0))
        assert np.allclose(batch.grad_b[k], np.mean([s.grad_b[k] for s in singles], axis=0))
        assert np.allclose(batch.grad_a[k], np.stack([s.grad_a[k] for s in singles]) / 6)


def test_unseen_random_networks_agree_with_autograd_to_1e_7():
    rng = np.random.default_rng(2026)
    for trial in range(10):
        L = int(rng.integers(1, 6))
        sizes = [int(n) for n in rng.integers(1, 9, size=L + 1)]
        sizes[-1] = max(sizes[-1], 2)
        activation = ["logistic", "tanh", "relu"][trial % 3]
        batch = [None, 1, int(rng.integers(2, 10))][trial % 3]
        net = _net(sizes, activation, seed=int(rng.integers(1_000_000)))
        x, label = _data(sizes, batch, seed=int(rng.integers(1_000_000)))
        ours, ref = bp.gradients(net, x, label), autograd_gradients(net, x, label)
        for k in range(1, net.L + 1):
            assert rel(ours.grad_W[k], ref[k - 1][0]) < 1e-7
            assert rel(ours.grad_b[k], ref[k - 1][1]) < 1e-7


@given(
    sizes=st.lists(st.integers(1, 6), min_size=2, max_size=5).filter(lambda s: s[-1] >= 2),
    batch=st.one_of(st.none(), st.integers(1, 7)),
    activation=st.sampled_from(["logistic", "tanh", "relu"]),
    seed=st.integers(0, 10_000),
)
def test_property_shapes_and_autograd_agreement(sizes, batch, activation, seed):
    net = _net(sizes, activation, seed)
    x, label = _data(sizes, batch, seed)
    fwd = bp.forward(net, x)
    g = bp.backward(net, fwd, label, input_grad=True)
    lead = () if batch is None else (batch,)
    for k in range(1, net.L + 1):
        assert fwd.a[k].shape == lead + (sizes[k],)
        assert fwd.h[k].shape == lead + (sizes[k],)
        assert g.grad_a[k].shape == fwd.a[k].shape
        assert g.grad_W[k].shape == net.W[k].shape
        assert g.grad_b[k].shape == net.b[k].shape
    assert g.grad_h[0].shape == np.shape(x)
    assert np.allclose(fwd.y_hat.sum(axis=-1), 1.0)
    assert np.isfinite(g.loss) and g.loss >= 0
    ref = autograd_gradients(net, x, label)
    for k in range(1, net.L + 1):
        assert rel(g.grad_W[k], ref[k - 1][0]) < 1e-7


def test_init_is_seeded_and_xavier_range():
    a = bp.Network.init([784, 256, 10], seed=4)
    b = bp.Network.init([784, 256, 10], seed=4)
    c = bp.Network.init([784, 256, 10], seed=5)
    assert np.array_equal(a.W[1], b.W[1]) and not np.array_equal(a.W[1], c.W[1])
    r = np.sqrt(6 / (784 + 256))
    assert np.abs(a.W[1]).max() <= r and np.abs(a.W[1]).max() > 0.9 * r
    small = bp.Network.init([50, 40, 3], init="small", scale=0.01, seed=0)
    assert abs(small.W[1].std() - 0.01) < 0.001
    assert a.n_params == 784 * 256 + 256 + 256 * 10 + 10


def test_gradcheck_catches_a_wrong_gradient_and_names_it():
    net = _net([3, 4, 3], "logistic", seed=1)
    x, label = np.array([0.2, -0.4, 1.0]), 1
    g = bp.gradients(net, x, label)
    g.grad_W[1] = g.grad_W[1].copy()
    g.grad_W[1][2, 1] *= -1
    report = bp.check_gradients(net, x, label, grads=g)
    assert not report.ok
    assert report.worst[0] == "W[1]" and report.worst[1] == (2, 1)
    assert "MISMATCH" in str(report)


def test_relative_error_cannot_divide_by_zero():
    assert bp.relative_error(0.0, 0.0) == 0.0
    assert bp.relative_error(np.zeros(3), np.zeros(3)).tolist() == [0, 0, 0]
    assert bp.relative_error(1.0, 1.0 + 1e-9) < 1e-8
    assert bp.relative_error(1e-300, 0.0) < 1e-200
