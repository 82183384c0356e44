"""The exercise checker: each classic mistake, typed as a student would, gets its diagnosis."""
import numpy as np
import pytest

import backprop as bp
from backprop import checks
from backprop.checks import Exercise, Mistake

rng = np.random.default_rng(7)
NET = bp.Network.init([4, 3, 2], "logistic", seed=3)
X = rng.normal(size=(5, 4))
Y = np.array([0, 1, 1, 0, 1])
FWD = bp.forward(NET, X)
G = bp.backward(NET, FWD, Y)


def grad_W2_exercise():
    return Exercise("t.1", "grad_W_2 for the batch", data={"gA": G.grad_a[2], "H1": FWD.h[1]},
                    expected=lambda d: bp.check_gradients(NET, X, Y).numeric["W[2]"],
                    solution=lambda d: d.gA.T @ d.H1, batch_size=5, rtol=1e-5, atol=1e-8)


def grad_b1_exercise():
    return Exercise("t.2", "grad_b_1 for the batch", data={"gA": G.grad_a[1]},
                    expected=lambda d: bp.check_gradients(NET, X, Y).numeric["b[1]"],
                    solution=lambda d: d.gA.sum(axis=0), batch_size=5)


def test_right_answer_passes():
    ex = grad_W2_exercise()
    fb = ex.check(G.grad_a[2].T @ FWD.h[1])
    assert fb.correct and fb.mistake is None and "Right" in str(fb)


def test_sign_flipped():
    fb = grad_W2_exercise().check(-(G.grad_a[2].T @ FWD.h[1]))
    assert fb.mistake == checks.SIGN and not fb.correct


def test_transposed_matrix():
    fb = grad_W2_exercise().check(FWD.h[1].T @ G.grad_a[2])      # (3, 2) instead of (2, 3)
    assert fb.mistake == checks.TRANSPOSED
    assert "(2, 3)" in fb.message and "(3, 2)" in fb.message


def test_sum_instead_of_mean():
    gA_summed = G.grad_a[2] * 5                 # forgot the 1/B of the mean loss
    fb = grad_W2_exercise().check(gA_summed.T @ FWD.h[1])
    assert fb.mistake == checks.SUM_NOT_MEAN


def test_mean_instead_of_sum():
    fb = grad_b1_exercise().check(G.grad_a[1].mean(axis=0))
    assert fb.mistake == checks.MEAN_NOT_SUM


def test_bias_not_summed_over_the_batch():
    fb = grad_b1_exercise().check(G.grad_a[1])
    assert fb.mistake == checks.BIAS_NOT_SUMMED and "(3,)" in fb.message and "(5, 3)" in fb.message


def test_bias_summed_over_the_wrong_axis():
    fb = grad_b1_exercise().check(G.grad_a[1].sum(axis=1))
    assert fb.mistake == checks.BIAS_WRONG_AXIS


def test_g_prime_applied_to_h_instead_of_a():
    gH1 = G.grad_a[2] @ NET.W[2]
    ex = Exercise("t.3", "grad_a_1", data={"gH1": gH1, "A1": FWD.a[1], "H1": FWD.h[1]},
                  expected=lambda d: G.grad_a[1],
                  solution=lambda d: d.gH1 * bp.logistic_prime(d.A1),
                  mistakes=[Mistake(checks.G_PRIME_OF_H, "g' takes the pre-activation a.",
                                    lambda d: d.gH1 * bp.logistic_prime(d.H1))])
    assert ex.check(gH1 * bp.logistic_prime(FWD.h[1])).mistake == checks.G_PRIME_OF_H
    assert ex.check(gH1 * bp.logistic_prime(FWD.a[1])).correct


def test_softmax_jacobian_diagonal_only():
    y = bp.softmax(np.array([1.0, 2.0, 0.5]))
    ex = Exercise("t.4", "softmax Jacobian", data={"y": y}, expected=lambda d: bp.softmax_jacobian(d.y),
                  solution=lambda d: np.diag(d.y) - np.outer(d.y, d.y),
                  mistakes=[Mistake(checks.JACOBIAN_DIAGONAL, "Every output depends on every logit.",
                                    lambda d: np.diag(d.y * (1 - d.y)))])
    assert ex.check(np.diag(y * (1 - y))).mistake == checks.JACOBIAN_DIAGONAL


def test_missing_path():
    paths = np.array([0.1, -0.25, 0.4])
    ex = Exercise("t.5", "sum over paths", data={"p": paths}, expected=lambda d: d.p.sum(),
                  solution=lambda d: d.p.sum(), scalar=True,
                  mistakes=[Mistake(checks.MISSING_PATH, "Count every path.", lambda d: d.p[:2].sum()),
                            Mistake(checks.MISSING_PATH, "Count every path.", lambda d: d.p[1:].sum())])
    assert ex.check(0.1 - 0.25).mistake == checks.MISSING_PATH
    assert ex.check(0.25).correct


def test_one_hot_and_integer_labels_confused():
    labels = np.array([2, 0, 1])
    ex = Exercise("t.6", "integer labels", data={}, expected=lambda d: labels.astype(float), solution=lambda d: labels)
    assert ex.check(np.eye(3)[labels]).mistake == checks.LABELS_CONFUSED
    ex2 = Exercise("t.7", "one-hot", data={}, expected=lambda d: np.eye(3)[labels], solution=lambda d: np.eye(3)[labels])
    assert ex2.check(labels).mistake == checks.LABELS_CONFUSED


def test_wrong_shape_says_expected_and_given():
    fb = grad_b1_exercise().check(np.zeros((3, 1)))
    assert fb.mistake == checks.WRONG_SHAPE and "(3,)" in fb.message and "(3, 1)" in fb.message


def test_unrecognised_wrong_answer_says_where_it_differs_without_the_value():
    right = G.grad_a[2].T @ FWD.h[1]
    wrong = right.copy()
    wrong[1, 2] += 0.5
    fb = grad_W2_exercise().check(wrong)
    assert fb.mistake == checks.NOT_RECOGNISED and "(1, 2)" in fb.message
    assert f"{right[1, 2]:.6g}" not in fb.message           # the right value is not revealed


def test_no_answer_and_nan():
    assert grad_b1_exercise().check(...).mistake == checks.NO_ANSWER
    assert not grad_b1_exercise().check(np.full(3, np.nan)).correct


def test_solution_is_revealed_only_on_request(capsys):
    ex = grad_W2_exercise()
    ex.check(np.zeros((2, 3)))
    assert "gA.T @ H1" not in capsys.readouterr().out
    ex.solution()
    assert "answer = gA.T @ H1" in capsys.readouterr().out


def test_feedback_renders_as_html_and_text():
    fb = grad_b1_exercise().check(G.grad_a[1])
    assert "Not yet" in fb._repr_html_() and "Not yet" in str(fb)


@pytest.mark.parametrize("answer,words", [
    ("0.5", ["string", "without quotes"]),
    (np.array(["0.5"]), ["strings"]),
    (0.5 + 0j, ["complex"]),
    (np.array([0.5 + 1j]), ["complex"]),
    (True, ["booleans"]),
    ([[1.0], [1.0, 2.0]], ["ragged"]),
    ({"a": 1.0}, ["dict"]),
    (object(), ["object"]),
])
def test_weird_answers_get_feedback_naming_what_was_given(answer, words):
    import warnings
    from backprop import checks as _checks
    ex = _checks.get("00.1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fb = ex.check(answer)
    assert not fb.correct
    for w in words:
        assert w in fb.message, (w, fb.message)


def test_the_right_number_as_a_string_is_not_right():
    from backprop import checks as _checks
    ex = _checks.get("00.1")
    assert not ex.check(str(float(np.asarray(ex.expected).ravel()[0]))).correct
