"""Lesson 10's engine (backprop.autodiff): every operation's gradient against central differences
(float64) and HIPS autograd on random shapes, a node used twice, lesson 08's network, bad input."""
import autograd.numpy as anp
import numpy as np
import pytest
from autograd import grad as ag_grad

import backprop as bp
from backprop import autodiff as ad
from backprop import lecture
from backprop import whole_network as wn
from reference import autograd_gradients

RNG = np.random.default_rng(10)
SHAPES = [(), (4,), (3, 5)]


def _numeric(f, arrays, eps=1e-6):
    """Central differences of the scalar f(*arrays) with respect to every array (float64)."""
    out = []
    for i, x in enumerate(arrays):
        x = np.array(x, dtype=float)
        g = np.zeros_like(x)
        for j in np.ndindex(x.shape):
            up = [a.copy() for a in map(np.array, arrays)]
            down = [a.copy() for a in map(np.array, arrays)]
            up[i][j] += eps
            down[i][j] -= eps
            g[j] = (f(*up) - f(*down)) / (2 * eps)
        out.append(g)
    return out


def _engine(f, arrays):
    """Value and gradients of f built from Tensors; f returns a node, summed against a fixed weight to be scalar."""
    ts = [ad.Tensor(a, f"t{i}") for i, a in enumerate(arrays)]
    out = f(*ts)
    out.backward()
    return out.item(), [t.grad for t in ts]


# Each case: (name, engine function, autograd/numpy function, input maker). The output is reduced to a
# scalar by a weighted sum with fixed random weights, so every entry's gradient is tested.
def _weights(shape, seed=0):
    return np.random.default_rng(seed).normal(size=shape)


def _unary_cases():
    cases = []
    for shape in SHAPES:
        cases += [
            ("exp", ad.exp, anp.exp, [RNG.normal(size=shape)]),
            ("log", ad.log, anp.log, [RNG.uniform(0.2, 3.0, size=shape)]),
            ("tanh", ad.tanh, anp.tanh, [RNG.normal(size=shape)]),
            ("logistic", ad.logistic, lambda a: 1 / (1 + anp.exp(-a)), [RNG.normal(size=shape)]),
            ("relu", ad.relu, lambda a: anp.maximum(a, 0.0), [RNG.normal(size=shape) + 0.05]),
            ("neg", lambda a: -a, lambda a: -a, [RNG.normal(size=shape)]),
        ]
    return cases


def _binary_cases():
    cases = []
    for sa, sb in [((), ()), ((4,), (4,)), ((3, 5), (3, 5)), ((), (3, 5)), ((3, 5), ()), ((3, 5), (5,)), ((5,), (3, 5))]:
        a, b = RNG.normal(size=sa), RNG.normal(size=sb)
        cases += [
            (f"add {sa} {sb}", lambda x, y: x + y, lambda x, y: x + y, [a, b]),
            (f"sub {sa} {sb}", lambda x, y: x - y, lambda x, y: x - y, [a, b]),
            (f"mul {sa} {sb}", lambda x, y: x * y, lambda x, y: x * y, [a, b]),
        ]
    for sa, sb in [((3, 4), (4, 2)), ((3, 4), (4,)), ((4,), (4, 2)), ((4,), (4,))]:
        cases.append((f"matmul {sa} {sb}", lambda x, y: x @ y, lambda x, y: anp.dot(x, y),
                      [RNG.normal(size=sa), RNG.normal(size=sb)]))
    cases.append(("transpose", lambda x: x.T, lambda x: x.T, [RNG.normal(size=(3, 4))]))
    for axis in (None, 0, 1, -1):
        cases.append((f"sum axis={axis}", lambda x, axis=axis: x.sum(axis=axis), lambda x, axis=axis: anp.sum(x, axis=axis),
                      [RNG.normal(size=(3, 4))]))
        cases.append((f"mean axis={axis}", lambda x, axis=axis: x.mean(axis=axis), lambda x, axis=axis: anp.mean(x, axis=axis),
                      [RNG.normal(size=(3, 4))]))

    def ls(a):
        m = anp.max(a, axis=-1, keepdims=True)
        return a - m - anp.log(anp.sum(anp.exp(a - m), axis=-1, keepdims=True))
    cases += [("log_softmax (k,)", ad.log_softmax, ls, [RNG.normal(size=5)]),
              ("log_softmax (B, k)", ad.log_softmax, ls, [RNG.normal(size=(4, 3))])]
    return cases


CASES = _unary_cases() + _binary_cases()


@pytest.mark.parametrize("name, f, f_ag, arrays", CASES, ids=[c[0] for c in CASES])
def test_every_operation_against_central_differences_and_autograd(name, f, f_ag, arrays):
    out_shape = np.shape(f_ag(*arrays))
    weights = _weights(out_shape)
    scalar = lambda *xs: (f(*xs) * ad.constant(weights)).sum()
    value, grads = _engine(scalar, arrays)
    ref_f = lambda *xs: anp.sum(f_ag(*xs) * weights)
    assert value == pytest.approx(float(ref_f(*arrays)), rel=1e-12, abs=1e-12)
    numeric = _numeric(lambda *xs: float(ref_f(*xs)), arrays)
    for i, (g, n) in enumerate(zip(grads, numeric)):
        assert g.shape == np.shape(arrays[i])
        np.testing.assert_allclose(g, n, rtol=1e-6, atol=1e-8, err_msg=f"{name}: operand {i} vs central differences")
        auto = ag_grad(ref_f, i)(*[np.array(a, dtype=float) for a in arrays])
        np.testing.assert_allclose(g, auto, rtol=1e-12, atol=1e-13, err_msg=f"{name}: operand {i} vs autograd")


def test_a_node_used_twice_accumulates_its_gradient():
    x, y = ad.Tensor(1.5, "x"), ad.Tensor(-2.0, "y")
    f = x * y + x                                   # x reaches f along two paths
    steps = f.backward(trace=True)
    assert float(x.grad) == pytest.approx(-2.0 + 1.0)
    assert [p.name for _, p, _ in steps].count("x") == 2
    d = ad.Tensor(np.array([0.3, -1.2, 2.0]), "d")
    sq = (d * d).sum()                              # d used twice by ONE operation
    sq.backward()
    np.testing.assert_allclose(d.grad, 2 * d.data)
    sq.backward()                                    # backward twice: grads are reset, not doubled
    np.testing.assert_allclose(d.grad, 2 * d.data)


def test_topological_order_puts_every_node_after_its_parents_once():
    x = ad.Tensor(0.7, "x")
    h = ad.tanh(x)
    f = h * h + ad.exp(h) * x
    order = ad.topological_order(f)
    pos = {id(n): i for i, n in enumerate(order)}
    assert len(pos) == len(order) == 6            # x, tanh, *, exp, *, + : x and tanh once each, though used twice
    for n in order:
        for p in n.parents:
            assert pos[id(p)] < pos[id(n)]
    assert order[-1] is f
    deep = ad.Tensor(0.1, "x")
    y = deep
    for _ in range(3000):                          # no recursion limit
        y = ad.tanh(y)
    y.backward()
    assert np.isfinite(deep.grad)


def test_cross_entropy_finds_the_fused_gradient():
    a = ad.Tensor(np.array([0.5, -1.0, 2.0]), "a_L")
    ad.cross_entropy(a, 2).backward()
    np.testing.assert_allclose(a.grad, bp.cross_entropy_grad(a.data, 2), rtol=1e-12, atol=1e-15)
    A = ad.Tensor(RNG.normal(size=(5, 4)), "A_L")
    labels = np.array([0, 3, 1, 1, 2])
    loss = ad.cross_entropy(A, labels)
    assert loss.item() == pytest.approx(bp.cross_entropy(A.data, labels), rel=1e-13)
    loss.backward()
    np.testing.assert_allclose(A.grad, bp.cross_entropy_grad(A.data, labels), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("sizes, activation, B", [([3, 3, 3, 3], "logistic", None), ([3, 3, 3, 3], "logistic", 4),
                                                  ([6, 8, 8, 8, 4], "relu", 5), ([5, 7, 4], "tanh", 6),
                                                  ([4, 10, 10, 10, 10, 3], "tanh", 3)])
def test_network_gradients_equal_backprop_and_autograd(sizes, activation, B):
    net = lecture.network() if sizes == lecture.SIZES and B is None else bp.Network.init(sizes, activation=activation, seed=3)
    rng = np.random.default_rng(4)
    if B is None:
        X, labels = lecture.example()
    else:
        X, labels = rng.normal(size=(B, sizes[0])), rng.integers(0, sizes[-1], size=B)
    loss, gW, gb = ad.network_gradients(net, X, labels)
    ref = bp.gradients(net, X, labels)
    auto = autograd_gradients(net, X, labels)
    assert loss == pytest.approx(ref.loss, rel=1e-13)
    for k in range(1, net.L + 1):
        np.testing.assert_allclose(gW[k], ref.grad_W[k], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(gb[k], ref.grad_b[k], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(gW[k], auto[k - 1][0], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(gb[k], auto[k - 1][1], rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("sizes, B", [([3, 3, 3, 3], 1), ([64, 128, 10], 32), ([8, 16, 16, 16, 4], 7)])
def test_matrix_products_counted_are_lesson_08s(sizes, B):
    net = bp.Network.init(sizes, seed=0)
    X = np.ones((B, sizes[0]))
    loss, _, _ = ad.network_loss(net, X, np.zeros(B, dtype=int))
    c = ad.count_operations(loss)
    assert c["matmul_forward"] == wn.forward_multiply_adds(sizes, B)
    assert c["matmul_backward"] == wn.backward_multiply_adds(sizes, B)
    assert 1.0 < c["ratio"] < 3.0


@pytest.mark.parametrize(
    "call, exc, words",
    [
        (lambda: ad.Tensor(np.array([1, 2])), TypeError, ["float", "int64"]),
        (lambda: ad.Tensor(np.array([1.0, np.nan]), "x"), ValueError, ["finite", "x"]),
        (lambda: ad.Tensor("abc"), TypeError, ["float", "string"]),
        (lambda: ad.Tensor(1.0, name=3), TypeError, ["name", "int"]),
        (lambda: ad.Tensor(np.ones(3), "x") + ad.Tensor(np.ones((3, 1)), "y"), ValueError,
         ["(3,)", "(3, 1)", "column", "x + y"]),
        (lambda: ad.Tensor(np.ones((3, 1)), "x") * ad.Tensor(np.ones(3), "y"), ValueError, ["(3, 1)", "(3,)"]),
        (lambda: ad.Tensor(np.ones((2, 3)), "x") - ad.Tensor(np.ones(2), "y"), ValueError, ["(2, 3)", "(2,)"]),
        (lambda: ad.Tensor(np.ones((2, 3)), "A") @ ad.Tensor(np.ones((2, 3)), "B"), ValueError, ["inner", "(2, 3) @ (2, 3)"]),
        (lambda: ad.Tensor(np.ones((2, 2, 2)), "A") @ ad.Tensor(np.ones(2), "B"), ValueError, ["(2, 2, 2)"]),
        (lambda: ad.Tensor(np.ones(3), "v").T, ValueError, ["matrix", "(3,)"]),
        (lambda: ad.log(ad.Tensor(np.array([1.0, -2.0]), "u")), ValueError, ["positive", "-2", "u"]),
        (lambda: ad.exp(ad.Tensor(1000.0, "u")), ValueError, ["overflow", "exp"]),
        (lambda: ad.Tensor(np.ones(3), "v").backward(), ValueError, ["scalar", "(3,)", ".sum()"]),
        (lambda: ad.Tensor(np.ones(3), "v").backward(grad=np.ones(2)), ValueError, ["(3,)", "(2,)"]),
        (lambda: ad.constant(1.0, "c").backward(), ValueError, ["requires_grad"]),
        (lambda: ad.Tensor(np.ones((2, 3))).sum(axis=2), ValueError, ["axis", "-2..1", "2"]),
        (lambda: ad.Tensor(np.ones((2, 3))).mean(axis=1.0), TypeError, ["axis", "float"]),
        (lambda: ad.cross_entropy(np.ones(3), 0), TypeError, ["Tensor"]),
        (lambda: ad.cross_entropy(ad.Tensor(np.ones(3)), 3), ValueError, ["0..2", "3"]),
        (lambda: ad.cross_entropy(ad.Tensor(np.ones((2, 3))), np.array([0.0, 1.0])), TypeError, ["integer"]),
        (lambda: ad.log_softmax(ad.Tensor(np.ones(1))), ValueError, ["k >= 2", "(1,)"]),
        (lambda: ad.Tensor(1.0) / 2.0, TypeError, ["division"]),
        (lambda: ad.topological_order(3.0), TypeError, ["Tensor"]),
        (lambda: ad.network_loss(lecture.network(), np.ones(4), 0), ValueError, ["(3,)", "(4,)"]),
        (lambda: ad.Tensor(1.0) + "a", TypeError, ["float", "string"]),
    ],
)
def test_bad_input_names_expected_and_given(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def test_no_silent_broadcast_of_a_column_against_a_vector():
    with pytest.raises(ValueError, match="column"):
        ad.Tensor(np.ones((4, 1)), "c") + ad.Tensor(np.ones(4), "v")


def test_numpy_scalars_on_the_left_make_nodes():
    x = ad.Tensor(np.array([1.0, 2.0]), "x")
    y = np.float64(3.0) * x
    assert isinstance(y, ad.Tensor)
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [3.0, 3.0])
