"""Lesson 07's exercises: one weight, a whole layer, the batch bias and weight gradients, a shared bias."""
import numpy as np

from .. import lecture
from ..checks import (BIAS_NOT_SUMMED, BIAS_WRONG_AXIS, MEAN_NOT_SUM, SUM_NOT_MEAN, TRANSPOSED, Exercise, Mistake,
                      exercise)
from ..gradcheck import numerical_gradient
from ..network import Network, backward, forward, loss


def _lecture_example():
    net = lecture.network()
    x, label = lecture.example()
    fwd = forward(net, x)
    return net, x, label, fwd, backward(net, fwd, label)


@exercise("07.1")
def one_weight():
    net, x, label, fwd, g = _lecture_example()

    def by_differences(d):
        work = net.copy()
        return numerical_gradient(lambda _: loss(work, x, label), work.W[2])[0, 2]

    return Exercise(
        "07.1",
        "For the lecture example, `grad_a2` is ∇_{a₂} (shape (3,)), `h1` is h₁ and `h2` is h₂. "
        "Compute ∂ℒ/∂W₂₁₃, the derivative of the loss with respect to ONE weight: layer 2, to neuron 1, from input 3.",
        data={"grad_a2": g.grad_a[2].copy(), "h1": fwd.h[1].copy(), "h2": fwd.h[2].copy()},
        expected=by_differences,
        solution=lambda d: d.grad_a2[1 - 1] * d.h1[3 - 1],     # dL/dW_kij = grad_a_ki * h_(k-1),j
        mistakes=[
            Mistake(TRANSPOSED, "You swapped i and j: i (the neuron W₂₁₃ feeds) picks the entry of ∇a₂, "
                                "j (the input it comes from) picks the entry of h₁.", lambda d: d.grad_a2[2] * d.h1[0]),
            Mistake("h_k instead of h_(k-1)", "W₂₁₃ multiplies an input of layer 2, which is an entry of h₁ "
                                               "(the layer before), not of h₂.", lambda d: d.grad_a2[0] * d.h2[2]),
            Mistake("neuron counted from 1 in code", "numpy counts from 0: neuron i = 1 is grad_a2[0] "
                                                     "(W₂₁₃ is W[2][0, 2] in code, lesson 00).",
                    lambda d: d.grad_a2[1] * d.h1[2]),
        ],
        scalar=True,
        rtol=1e-6, atol=1e-9,
        hint="a₂₁ = b₂₁ + Σⱼ W₂₁ⱼ h₁ⱼ, so ∂a₂₁/∂W₂₁₃ = h₁₃; multiply by ∂ℒ/∂a₂₁.",
    )


@exercise("07.2")
def whole_layer():
    rng = np.random.default_rng(7)
    net = Network.init([4, 5, 3], activation="tanh", seed=7)
    x = np.round(rng.normal(size=4), 2)
    label = 1
    fwd = forward(net, x)
    g = backward(net, fwd, label)

    def by_differences(d):
        work = net.copy()
        return numerical_gradient(lambda _: loss(work, x, label), work.W[2])

    return Exercise(
        "07.2",
        "A network with sizes [4, 5, 3] (so W₂ has shape (3, 5)). For one example you have `grad_a2` "
        "(∇_{a₂}, shape (3,)), `h1` (shape (5,)) and `h2` (= ŷ, shape (3,)). Compute the whole matrix ∇_{W₂}, "
        "shape (3, 5), in one line.",
        data={"grad_a2": g.grad_a[2].copy(), "h1": fwd.h[1].copy(), "h2": fwd.h[2].copy()},
        expected=by_differences,
        solution=lambda d: np.outer(d.grad_a2, d.h1),     # grad_W_k = grad_a_k h_(k-1)^T
        mistakes=[
            Mistake(TRANSPOSED, "h₁ ∇a₂ᵀ has shape (5, 3); rows of ∇W₂ must be the neurons i of layer 2: ∇a₂ h₁ᵀ.",
                    lambda d: np.outer(d.h1, d.grad_a2)),
            Mistake("h_k instead of h_(k-1)", "W₂ multiplies the layer's INPUT h₁, not its output h₂ = ŷ.",
                    lambda d: np.outer(d.grad_a2, d.h2)),
        ],
        rtol=1e-6, atol=1e-9,
        hint="Entry (i, j) is grad_a2[i] * h1[j] for every pair: np.outer, or a column times a row.",
    )


def _batch_setup(B=5):
    """The lecture network on a batch of B = 5 examples (B differs from n_k = 3 so the shapes tell axes apart)."""
    net = lecture.network()
    X, labels = lecture.batch(B)
    fwd = forward(net, X)
    return net, X, labels, fwd, backward(net, fwd, labels)


@exercise("07.3")
def batch_bias():
    net, X, labels, fwd, g = _batch_setup()

    def by_differences(d):
        work = net.copy()
        return numerical_gradient(lambda _: loss(work, X, labels), work.b[2])

    return Exercise(
        "07.3",
        "A batch of B = 5 examples through the lecture network. `grad_A2` (shape (5, 3)) is ∇_{A₂} of the batch "
        "loss (the MEAN of the 5 losses), so each row already carries the factor 1/B. Compute ∇_{b₂}, shape (3,).",
        data={"grad_A2": g.grad_a[2].copy(), "H1": fwd.h[1].copy(), "B": 5},
        expected=by_differences,
        solution=lambda d: d.grad_A2.sum(axis=0),     # b_2 is shared by the 5 rows: add their contributions
        mistakes=[
            Mistake(BIAS_NOT_SUMMED, "That is one row per example. The bias is shared by every example, so its "
                                     "gradient adds up the rows.", lambda d: d.grad_A2),
            Mistake(BIAS_WRONG_AXIS, "You summed over the neurons (axis 1) and got one number per example. "
                                     "Sum over the batch rows (axis 0), which keeps one number per neuron.",
                    lambda d: d.grad_A2.sum(axis=1)),
            Mistake(MEAN_NOT_SUM, "grad_A2 already holds the 1/B of the mean loss; taking the mean of its rows "
                                  "divides by B a second time. Add the rows.", lambda d: d.grad_A2.mean(axis=0)),
        ],
        batch_size=5,
        rtol=1e-6, atol=1e-9,
        hint="a_2 = b_2 + W_2 h_1 holds for every row, with the same b_2: ∂ℒ/∂b₂ sums over the rows.",
    )


@exercise("07.4")
def batch_weights():
    B = 6
    net = Network.init([4, 5, 3], activation="tanh", seed=3)
    rng = np.random.default_rng(3)
    X = np.round(rng.normal(size=(B, 4)), 2)
    labels = rng.integers(0, 3, size=B)
    fwd = forward(net, X)
    # each example's OWN output gradient, -(e(l_r) - y_hat_r), without the 1/B of the mean
    G = fwd.y_hat.copy()
    G[np.arange(B), labels] -= 1.0

    def by_differences(d):
        work = net.copy()
        return numerical_gradient(lambda _: loss(work, X, labels), work.W[2])

    return Exercise(
        "07.4",
        "A network with sizes [4, 5, 3] on a batch of B = 6 examples. Row r of `G` (shape (6, 3)) is example r's "
        "OWN output gradient −(e(ℓ_r) − ŷ_r), without any 1/B; `H1` (shape (6, 5)) holds h₁ for each row. "
        "The batch loss is the MEAN of the 6 losses. Compute ∇_{W₂} of the batch loss, shape (3, 5), with no loop.",
        data={"G": G, "H1": fwd.h[1].copy(), "B": B},
        expected=by_differences,
        solution=lambda d: d.G.T @ d.H1 / d.B,     # sum of per-example outer products, times 1/B
        mistakes=[
            Mistake(SUM_NOT_MEAN, "G.T @ H1 adds up the 6 per-example gradients; the loss is their mean, "
                                  "so divide by B.", lambda d: d.G.T @ d.H1),
            Mistake(TRANSPOSED, "H1.T @ G has shape (5, 3): the rows of ∇W₂ are the neurons of layer 2, so G "
                                "(one column per neuron) comes first, transposed.", lambda d: d.H1.T @ d.G / d.B),
            Mistake(MEAN_NOT_SUM, "You divided by B twice (or by B² ): G holds no 1/B yet, so divide once.",
                    lambda d: d.G.T @ d.H1 / d.B ** 2),
        ],
        batch_size=B,
        rtol=1e-6, atol=1e-9,
        hint="One example gives the outer product G[r] H1[r]ᵀ; add them over r (that is a matrix product) "
             "and take the mean.",
    )


@exercise("07.5")
def shared_bias():
    net, X, labels, fwd, g = _batch_setup()
    B = X.shape[0]
    G = g.grad_a[2] * B       # each example's own grad_a_2, without the 1/B

    def by_differences(d):
        # one scalar beta added to every neuron of layer 2: shifting beta shifts all three b_2i together
        work = net.copy()
        base = work.b[2].copy()

        def f(beta):
            work.b[2] = base + float(beta[0])
            return loss(work, X, labels)
        return float(numerical_gradient(f, np.zeros(1))[0])

    return Exercise(
        "07.5",
        "Not shown in the lesson: suppose layer 2 had ONE shared bias β instead of a vector b₂, "
        "so a₂ᵢ = β + Σⱼ W₂ᵢⱼ h₁ⱼ for every neuron i. Row r of `G` (shape (5, 3)) is example r's OWN ∇_{a₂} "
        "(no 1/B). For the batch loss (the MEAN over the B = 5 examples), compute ∂ℒ/∂β, a single number.",
        data={"G": G, "B": B},
        expected=by_differences,
        solution=lambda d: d.G.sum() / d.B,     # beta reaches every neuron of every row: sum all, then the 1/B
        mistakes=[
            Mistake(SUM_NOT_MEAN, "You added every entry, but the loss is the mean over the examples: divide by B.",
                    lambda d: d.G.sum()),
            Mistake("summed over one axis only", "β feeds every neuron of every example, so sum over both the rows "
                                                 "and the neurons.", lambda d: d.G.sum(axis=0) / d.B),
            Mistake("divided by the neurons too", "The mean is over the B examples only; the 3 neurons' "
                                                  "contributions add up.", lambda d: d.G.mean()),
        ],
        batch_size=B,
        scalar=True,
        rtol=1e-6, atol=1e-9,
        hint="∂a₂ᵢ/∂β = 1 for every neuron i: β is like every b₂ᵢ at once. Add all the paths.",
    )
