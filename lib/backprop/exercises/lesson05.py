"""Lesson 05's exercises: the softmax Jacobian, the output gradient, a batch of labels, a temperature."""
import numpy as np

from ..checks import JACOBIAN_DIAGONAL, LABELS_CONFUSED, SIGN, SUM_NOT_MEAN, Exercise, Mistake, exercise
from ..gradcheck import numerical_gradient
from ..losses import cross_entropy, one_hot, softmax
from ..output_layer import numerical_jacobian


def _log_softmax_plain(a):
    """log softmax written out here (not the library's), for the 'computed another way' answers."""
    m = np.max(a, axis=-1, keepdims=True)
    return a - m - np.log(np.sum(np.exp(a - m), axis=-1, keepdims=True))


@exercise("05.1")
def softmax_jacobian():
    a = np.array([1.2, -0.4, 0.3, 2.0])
    return Exercise(
        "05.1",
        "For the logits `a` (4 classes) with `y_hat = softmax(a)`, compute the softmax Jacobian "
        "∂ŷ/∂a, a (4, 4) matrix whose entry (c, c') is ∂ŷ_c/∂a_c'.",
        data={"a": a, "y_hat": softmax(a)},
        expected=lambda d: numerical_jacobian(softmax, d.a),
        solution=lambda d: np.diag(d.y_hat) - np.outer(d.y_hat, d.y_hat),
        mistakes=[
            Mistake(JACOBIAN_DIAGONAL, "That is only the diagonal ∂ŷ_c/∂a_c. Every ŷ_c depends on EVERY logit "
                                       "(through the sum in the denominator), so the entries off the diagonal "
                                       "are not zero: work out ∂ŷ_c/∂a_c' for c ≠ c'.",
                    lambda d: np.diag(d.y_hat * (1 - d.y_hat))),
            Mistake("diagonal term forgotten", "−ŷŷᵀ is the part that comes from the denominator; the numerator "
                                               "e^(a_c) adds ŷ_c on the diagonal, where c = c'.",
                    lambda d: -np.outer(d.y_hat, d.y_hat)),
            Mistake("inner product instead of outer", "For 1-D arrays `y_hat.T` is y_hat itself, so `y_hat @ y_hat.T` "
                                                      "is one number, Σ ŷ_c². The matrix ŷŷᵀ, with entry (c, c') "
                                                      "equal to ŷ_c ŷ_c', is `np.outer(y_hat, y_hat)`.",
                    lambda d: np.diag(d.y_hat) - d.y_hat @ d.y_hat.T),
            Mistake("squares instead of products", "`y_hat * y_hat` (or `y_hat ** 2`) holds only ŷ_c'² and is "
                                                   "broadcast along the rows; entry (c, c') needs ŷ_c ŷ_c', "
                                                   "which differs from row to row: an outer product.",
                    lambda d: np.diag(d.y_hat) - d.y_hat * d.y_hat),
        ],
        hint="ŷ_c = e^(a_c) / Σ e^(a_c'). Use the quotient rule and treat c = c' and c ≠ c' separately.",
    )


@exercise("05.2")
def output_gradient():
    a = np.array([0.8, 2.1, -0.5])
    return Exercise(
        "05.2",
        "For the logits `a_L` (3 classes) and the true class `label`, compute ∇_{a_L} ℒ, the gradient of "
        "ℒ = −log ŷ_ℓ with respect to a_L, a vector of shape (3,). Use `softmax` and `one_hot`.",
        data={"a_L": a, "label": 0, "softmax": softmax, "one_hot": one_hot},
        expected=lambda d: numerical_gradient(lambda z: -_log_softmax_plain(z)[d.label], d.a_L.copy()),
        solution=lambda d: d.softmax(d.a_L) - d.one_hot(d.label, 3),
        mistakes=[
            Mistake(SIGN, "That is e(ℓ) − ŷ, which points UPHILL: following it would make the loss larger. "
                          "The gradient is −(e(ℓ) − ŷ).",
                    lambda d: d.one_hot(d.label, 3) - d.softmax(d.a_L)),
            Mistake("softmax Jacobian left out", "That is ∂ℒ/∂ŷ, the gradient with respect to the OUTPUT ŷ. "
                                                 "Go one step further back through the softmax.",
                    lambda d: -d.one_hot(d.label, 3) / d.softmax(d.a_L)[d.label]),
            Mistake("softmax forgotten", "Subtract e(ℓ) from the probabilities ŷ = softmax(a_L), not from the logits.",
                    lambda d: d.a_L - d.one_hot(d.label, 3)),
            Mistake("class counted from 1 in code", "`label` is already the code's index ℓ − 1 (lesson 00): "
                                                    "pass it to one_hot as it is, without adding 1.",
                    lambda d: d.softmax(d.a_L) - d.one_hot(d.label + 1, 3)),
        ],
        hint="The lesson's result: ∇_{a_L} ℒ = −(e(ℓ) − ŷ).",
    )


@exercise("05.3")
def batch_gradient():
    rng = np.random.default_rng(5)
    A = np.round(rng.normal(0, 1.5, size=(4, 3)), 2)
    labels = np.array([2, 0, 1, 2])
    return Exercise(
        "05.3",
        "A batch of B = 4 examples: logits `A_L` of shape (4, 3), one row per example, and integer class "
        "indices `labels` of shape (4,). The batch loss is the MEAN of the 4 losses. Compute its gradient "
        "with respect to A_L, shape (4, 3). Build the one-hot rows e(ℓ_r) yourself (`np.eye(3)[labels]` "
        "is one way).",
        data={"A_L": A, "labels": labels, "softmax": softmax},
        expected=lambda d: numerical_gradient(lambda Z: -np.mean(_log_softmax_plain(Z)[np.arange(4), d.labels]),
                                              d.A_L.copy()),
        solution=lambda d: (d.softmax(d.A_L) - np.eye(3)[d.labels]) / 4,
        mistakes=[
            Mistake(LABELS_CONFUSED, "You subtracted the integer labels ℓ themselves. e(ℓ) is a one-hot ROW: a 1 in "
                                     "column ℓ and 0 elsewhere, e.g. np.eye(3)[labels].",
                    lambda d: (d.softmax(d.A_L) - d.labels[:, None]) / 4),
            Mistake(SUM_NOT_MEAN, "Your answer is 4 times too large: the batch loss is the MEAN over the 4 "
                                  "examples, so each row carries a factor 1/B.",
                    lambda d: d.softmax(d.A_L) - np.eye(3)[d.labels]),
        ],
        batch_size=4,
        hint="Row r is −(e(ℓ_r) − ŷ_r), and the mean divides by B.",
    )


@exercise("05.4")
def temperature():
    a = np.array([1.5, -0.2, 0.7])
    return Exercise(
        "05.4",
        "Not shown in the lesson: a softmax with a temperature T > 0 divides the logits by T first, "
        "ŷ = softmax(a_L / T), and the loss is still −log ŷ_ℓ. Derive and compute ∇_{a_L} ℒ for the "
        "logits `a_L`, the class `label` and `T` (shape (3,)).",
        data={"a_L": a, "label": 1, "T": 2.5, "softmax": softmax, "one_hot": one_hot},
        expected=lambda d: numerical_gradient(lambda z: -_log_softmax_plain(z / d.T)[d.label], d.a_L.copy()),
        solution=lambda d: (d.softmax(d.a_L / d.T) - d.one_hot(d.label, 3)) / d.T,
        mistakes=[
            Mistake("chain factor 1/T forgotten", "The logits reach the softmax as z = a_L / T: one more link in the "
                                                  "chain, ∂z/∂a_L = 1/T.",
                    lambda d: d.softmax(d.a_L / d.T) - d.one_hot(d.label, 3)),
            Mistake("multiplied by T", "z = a_L / T, so ∂z/∂a_L is 1/T, not T.",
                    lambda d: (d.softmax(d.a_L / d.T) - d.one_hot(d.label, 3)) * d.T),
            Mistake("softmax without the temperature", "ŷ here is softmax(a_L / T), not softmax(a_L).",
                    lambda d: (d.softmax(d.a_L) - d.one_hot(d.label, 3)) / d.T),
        ],
        hint="Write z = a_L / T. You know ∇_z ℒ from the lesson; then use the chain rule once more.",
    )
