"""Bad input gets a clear error that names what was expected and what was given."""
import numpy as np
import pytest

import backprop as bp
import backprop.diagrams  # noqa: F401  (bp.diagrams)

NET = bp.Network.init([3, 4, 2], seed=0)
X1 = np.array([0.1, 0.2, 0.3])
XB = np.ones((5, 3))


@pytest.mark.parametrize(
    "call,exc,words",
    [
        (lambda: bp.forward(NET, np.ones(4)), ValueError, ["(3,)", "(4,)"]),
        (lambda: bp.forward(NET, np.ones((5, 4))), ValueError, ["(B, 3)", "(5, 4)"]),
        (lambda: bp.forward(NET, np.ones((2, 3, 1))), ValueError, ["dimension", "(2, 3, 1)"]),
        (lambda: bp.forward(NET, np.array([1, 2, 3])), TypeError, ["float", "int64"]),
        (lambda: bp.forward(NET, np.array([True, False, True])), TypeError, ["float", "bool"]),
        (lambda: bp.forward(NET, np.array([1.0, np.nan, 0.0])), ValueError, ["finite", "index (1,)"]),
        (lambda: bp.forward(NET, np.array([1.0, np.inf, 0.0])), ValueError, ["finite"]),
        (lambda: bp.forward(NET, "abc"), TypeError, ["float"]),
        (lambda: bp.forward(NET, [[1.0, 2.0], [1.0]]), ValueError, ["rectangular"]),
        (lambda: bp.forward("net", X1), TypeError, ["Network"]),
        (lambda: bp.loss(NET, X1, 2), ValueError, ["0..1", "2"]),
        (lambda: bp.loss(NET, X1, -1), ValueError, ["0..1", "-1"]),
        (lambda: bp.loss(NET, X1, 1.0), TypeError, ["integer", "float"]),
        (lambda: bp.loss(NET, X1, True), TypeError, ["integer", "bool"]),
        (lambda: bp.loss(NET, X1, np.array([0.0, 1.0])), TypeError, ["one-hot", "argmax"]),
        (lambda: bp.loss(NET, XB, np.array([0, 1, 1])), ValueError, ["(5,)", "(3,)"]),
        (lambda: bp.loss(NET, XB, np.array([0, 1, 1, 0, 1]).reshape(5, 1)), ValueError, ["(5,)", "(5, 1)"]),
        (lambda: bp.loss(NET, XB, np.eye(2)[[0, 1, 1, 0, 1]]), TypeError, ["one-hot", "argmax"]),
        (lambda: bp.loss(NET, XB, np.array([0, 1, 5, 0, 1])), ValueError, ["0..1", "5"]),
        (lambda: bp.loss(NET, XB, np.array([0.0, 1, 1, 0, 1])), TypeError, ["integer", "float64"]),
        (lambda: bp.softmax(np.array([1, 2])), TypeError, ["float", "int"]),
        (lambda: bp.softmax(np.array([1.0, np.nan])), ValueError, ["finite"]),
        (lambda: bp.softmax(np.ones((2, 2, 2))), ValueError, ["dimension", "(2, 2, 2)"]),
        (lambda: bp.cross_entropy(np.ones(3), 3), ValueError, ["0..2", "3"]),
        (lambda: bp.one_hot(3, 3), ValueError, ["0..2", "3"]),
        (lambda: bp.one_hot(1, 0), ValueError, [">= 1", "0"]),
        (lambda: bp.logistic(np.array([1, 2])), TypeError, ["float"]),
        (lambda: bp.logistic(np.array([np.nan])), ValueError, ["finite"]),
        (lambda: bp.relative_error(np.ones(3), np.ones((3, 1))), ValueError, ["same shape", "(3,)", "(3, 1)"]),
        (lambda: bp.Network.init([3, 0, 2]), ValueError, [">= 1", "0"]),
        (lambda: bp.Network.init([3, 2.5, 2]), TypeError, ["integer", "2.5"]),
        (lambda: bp.Network.init([3, 4, 2], activation="sigmoidal"), ValueError, ["logistic", "sigmoidal"]),
        (lambda: bp.Network.init([3, 4, 2], init="he"), ValueError, ["xavier", "he"]),
        (lambda: bp.Network([None, np.ones((4, 3)), np.ones((2, 5))], [None, np.zeros(4), np.zeros(2)]), ValueError, ["(any, 4)", "(2, 5)"]),
        (lambda: bp.Network([None, np.ones((4, 3))], [None, np.zeros((4, 1))]), ValueError, ["(4,)", "(4, 1)"]),
        (lambda: bp.Network([None, np.ones((4, 3), dtype=int)], [None, np.zeros(4)]), TypeError, ["float", "int"]),
        (lambda: bp.check_gradients(NET, X1, 1, grads=bp.gradients(bp.Network.init([3, 5, 2]), X1, 1)), ValueError, ["grad_W[1]", "(4, 3)", "(5, 3)"]),
    ],
)
def test_bad_input_names_expected_and_given(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    msg = str(info.value)
    for w in words:
        assert w in msg, f"{w!r} not in message: {msg}"


def test_column_vector_is_never_broadcast_against_a_vector():
    g = bp.gradients(NET, XB, np.array([0, 1, 1, 0, 1]))
    with pytest.raises(ValueError, match=r"\(5,\)"):
        bp.loss(NET, XB, np.array([[0], [1], [1], [0], [1]]))
    with pytest.raises(ValueError, match="same shape"):
        bp.relative_error(g.grad_b[1], g.grad_b[1][:, None])


def test_float32_is_promoted_to_float64():
    out = bp.forward(NET, X1.astype(np.float32))
    assert out.y_hat.dtype == np.float64


# ---------------------------------------------------------------- found by the bad-input probe
@pytest.mark.parametrize(
    "call,exc,words",
    [
        (lambda: bp.softmax(np.array([])), ValueError, ["empty", "(0,)"]),
        (lambda: bp.cross_entropy(np.ones((0, 3)), np.array([], dtype=int)), ValueError, ["empty"]),
        (lambda: bp.softmax(np.ones((3, 1))), ValueError, ["k >= 2", "(3, 1)", "ravel"]),
        (lambda: bp.cross_entropy(np.ones(3), [[1], [1, 2]]), TypeError, ["integer class index", "ragged"]),
        (lambda: bp.loss(NET, X1, [[1], [1, 2]]), TypeError, ["integer class index"]),
        (lambda: bp.softmax("abc"), TypeError, ["floating-point", "string"]),
        (lambda: bp.backward(NET, bp.forward(bp.Network.init([3, 5, 2]), X1), 1), ValueError, ["[3, 4, 2]", "[3, 5, 2]"]),
        (lambda: bp.backward("net", bp.forward(NET, X1), 1), TypeError, ["Network", "str"]),
        (lambda: bp.gradients(NET, X1, 1, input_grad="yes"), TypeError, ["True or False", "yes"]),
        (lambda: bp.gradients(NET, X1, 1, input_grad=np.array([1, 0])), TypeError, ["True or False"]),
        (lambda: bp.Network.init([3, 4, 2], init=["xavier"]), TypeError, ["xavier", "list"]),
        (lambda: bp.Network.init([3, 4, 2], seed=True), TypeError, ["seed", "True"]),
        (lambda: bp.Network.init([3, 4, 2], seed=-1), ValueError, ["seed", ">= 0", "-1"]),
        (lambda: bp.Network.init([3, 4, 2], seed=1.5), TypeError, ["seed", "1.5"]),
        (lambda: bp.Network.init(5), ValueError, ["sizes", "int 5"]),
        (lambda: bp.Network([np.ones(2), np.ones((2, 3))], [None, np.zeros(2)]), ValueError, ["None", "got W[0]"]),
        (lambda: bp.check_gradients(NET, X1, 1, tol=np.nan), ValueError, ["tol", "nan"]),
        (lambda: bp.check_gradients(NET, X1, 1, tol="1e-6"), TypeError, ["tol", "str"]),
    ],
)
def test_more_bad_input_names_expected_and_given(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    msg = str(info.value)
    for w in words:
        assert w in msg, f"{w!r} not in message: {msg}"


def test_overflowing_weights_give_a_clear_error_not_a_warning():
    import warnings
    net = bp.Network([None, np.full((4, 3), 1e200), np.ones((2, 4))], [None, np.zeros(4), np.zeros(2)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"a\[1\].*overflowed.*W\[1\]"):
            bp.forward(net, np.full(3, 1e200))


def test_extreme_but_valid_input_stays_finite():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        big = np.array([1e4, -1e4, 0.0])
        for f in (bp.softmax, bp.log_softmax, bp.logistic, bp.logistic_prime, bp.tanh, bp.tanh_prime, bp.relu, bp.relu_prime):
            assert np.all(np.isfinite(f(big)))
        assert np.isfinite(bp.cross_entropy(big, 1)) and np.all(np.isfinite(bp.cross_entropy_grad(big, 1)))
        net = bp.Network([None, np.full((4, 3), 1e3), np.full((2, 4), -1e3)], [None, np.zeros(4), np.zeros(2)])
        g = bp.gradients(net, np.array([1.0, -2.0, 3.0]), 0)
        assert np.isfinite(g.loss) and all(np.all(np.isfinite(gw)) for gw in g.grad_W[1:])


@pytest.mark.parametrize("call,exc,words", [
    (lambda: _draw([3, 3], edge_values=[1.0]), TypeError, ["edge_values", "dict"]),
    (lambda: _draw([3, 3], edge_values={1: np.ones((3, 2))}), ValueError, ["edge_values[1]", "(3, 3)", "(3, 2)"]),
    (lambda: _draw([3, 3], edge_values={2: np.ones((3, 3))}), ValueError, ["1..1", "2"]),
    (lambda: _draw([3, 3], edge_values={1: np.full((3, 3), np.nan)}), ValueError, ["finite"]),
    (lambda: _draw([3, 3], highlight=(1, 1, 1)), TypeError, ["(k, i, j)", "1"]),
    (lambda: _draw([3, 3], highlight=[(2, 1, 1)]), ValueError, ["k in 1..1", "(2, 1, 1)"]),
    (lambda: _draw([3, 3], highlight=None), TypeError, ["highlight", "None"]),
    (lambda: _draw([3, 3], cmap="nope"), ValueError, ["colormap", "nope"]),
    (lambda: _draw([3, 3], label_weights="no"), TypeError, ["label_weights", "no"]),
    (lambda: _draw([3, 3], weight_font=-1), ValueError, ["weight_font", "-1"]),
    (lambda: _draw(3), ValueError, ["sizes", "int 3"]),
    (lambda: _draw([3, 0]), ValueError, ["sizes[1]", ">= 1", "0"]),
    (lambda: bp.diagrams.network_figure([3, 2.5]), TypeError, ["sizes[1]", "2.5"]),
    (lambda: bp.diagrams.neuron_label(4, 1, 3), ValueError, ["0..3", "4"]),
    (lambda: bp.diagrams.weight_label(1, 0, 1), ValueError, ["i", ">= 1", "0"]),
])
def test_diagram_bad_input_names_expected_and_given(call, exc, words):
    with pytest.raises(exc) as info:
        call()
    for w in words:
        assert w in str(info.value), (w, str(info.value))


def _draw(sizes, **kw):
    from matplotlib.figure import Figure
    return bp.diagrams.draw_network(Figure().add_subplot(), sizes, **kw)


def test_numerical_gradient_restores_x_even_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])

    def f(v):
        if v[1] != 2.0:
            raise RuntimeError("boom")
        return float(v.sum())

    with pytest.raises(RuntimeError):
        bp.numerical_gradient(f, x)
    assert np.array_equal(x, [1.0, 2.0, 3.0])


def test_one_hot_of_ragged_labels_is_a_type_error():
    with pytest.raises(TypeError, match="ragged"):
        bp.one_hot([[0], [1, 2]], 3)


def test_relative_error_of_huge_opposite_values_is_finite():
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        err = bp.relative_error(np.array([1e308, -1e308, 1.0]), np.array([-1e308, 1e308, 1.0]))
    assert np.allclose(err, [2.0, 2.0, 0.0])
