"""Lesson 08's exercises: the cost of a gradient check, the backward loop of a 2-layer network, the input gradient, weight decay."""
import numpy as np

import backprop as bp

from ..activations import logistic_prime
from ..checks import G_PRIME_OF_H, SIGN, SUM_NOT_MEAN, TRANSPOSED, Exercise, Mistake, exercise
from ..gradcheck import numerical_gradient
from ..losses import one_hot
from ..network import Network, forward, loss


@exercise("08.1")
def cost_of_a_check():
    sizes = [784, 30, 10]
    return Exercise(
        "08.1",
        "A network for 28×28 images has sizes [784, 30, 10]. How many forward passes does a central-difference "
        "check of EVERY parameter (all weights and biases) need? (One number; `sizes` is given.)",
        data={"sizes": sizes},
        expected=lambda d: 2 * Network.init(d.sizes).n_params,
        solution=lambda d: 2 * sum(d.sizes[k] * d.sizes[k - 1] + d.sizes[k] for k in range(1, len(d.sizes))),
        mistakes=[
            Mistake("one evaluation per parameter", "A CENTRAL difference evaluates the loss twice per parameter, "
                                                    "at w + ε and at w − ε.",
                    lambda d: sum(d.sizes[k] * d.sizes[k - 1] + d.sizes[k] for k in range(1, len(d.sizes)))),
            Mistake("biases forgotten", "Every bias b_ki is a parameter too, with its own two evaluations.",
                    lambda d: 2 * sum(d.sizes[k] * d.sizes[k - 1] for k in range(1, len(d.sizes)))),
        ],
        scalar=True,
        rtol=0.0, atol=0.25,     # a count: exactly right or wrong
        hint="P = Σ_k (n_k n_(k−1) + n_k) parameters, and each needs ℒ(w + ε) and ℒ(w − ε).",
    )


def _two_layer_batch():
    B = 6
    net = Network.init([4, 5, 3], activation="logistic", seed=8)
    net.b[1][:] = np.round(np.random.default_rng(9).normal(0, 0.5, size=5), 2)
    rng = np.random.default_rng(10)
    X = np.round(rng.normal(size=(B, 4)), 2)
    labels = rng.integers(0, 3, size=B)
    fwd = forward(net, X)
    return net, X, labels, fwd


def _backward_two_layer(d, *, sign=1.0, g_prime_of_h=False, mean=True, g_prime=True):
    """What the learner writes for 08.2 and 08.3, with switches for the classic mistakes."""
    B = d.X.shape[0]
    grad_A2 = sign * (d.Y_hat - d.E) / (B if mean else 1)
    grad_H1 = grad_A2 @ d.W2
    if not g_prime:
        return grad_A2, grad_H1
    grad_A1 = grad_H1 * (logistic_prime(d.H1) if g_prime_of_h else logistic_prime(d.A1))
    return grad_A2, grad_A1


@exercise("08.2")
def backward_loop():
    net, X, labels, fwd = _two_layer_batch()

    def by_differences(d):
        work = net.copy()
        return numerical_gradient(lambda _: loss(work, X, labels), work.W[1])

    return Exercise(
        "08.2",
        "A 2-layer network (sizes [4, 5, 3], logistic hidden layer, softmax output) on a batch of B = 6 rows. "
        "You have the forward pass: `X` (6, 4), `A1` (6, 5), `H1` (6, 5), `Y_hat` (6, 3), the one-hot labels "
        "`E` (6, 3), and `W1` (5, 4), `W2` (3, 5). The batch loss is the mean. Write the backward pass down to "
        "layer 1 and give ∇_{W₁}, shape (5, 4). (`bp.logistic_prime(a)` is g′(a).)",
        data={"X": X, "A1": fwd.a[1].copy(), "H1": fwd.h[1].copy(), "Y_hat": fwd.y_hat.copy(),
              "E": one_hot(labels, 3), "W1": net.W[1].copy(), "W2": net.W[2].copy()},
        expected=by_differences,
        solution=lambda d: ((((d.Y_hat - d.E) / len(d.X)) @ d.W2) * bp.logistic_prime(d.A1)).T @ d.X,
        mistakes=[
            Mistake(G_PRIME_OF_H, "g′ takes the pre-activation: g′(A1). Applying it to H1 = g(A1) applies g twice.",
                    lambda d: _backward_two_layer(d, g_prime_of_h=True)[1].T @ d.X),
            Mistake(SIGN, "∇_{a_L} = −(e(ℓ) − ŷ) = ŷ − e(ℓ): check the order of Y_hat and E.",
                    lambda d: _backward_two_layer(d, sign=-1.0)[1].T @ d.X),
            Mistake(TRANSPOSED, "X.T @ grad_A1 has shape (4, 5); ∇W₁ has the shape of W₁, (5, 4): grad_A1.T @ X.",
                    lambda d: d.X.T @ _backward_two_layer(d)[1]),
            Mistake(SUM_NOT_MEAN, "The batch loss is the mean over the 6 rows: ∇_{A₂} carries a factor 1/B.",
                    lambda d: _backward_two_layer(d, mean=False)[1].T @ d.X),
            Mistake("g′ forgotten", "Between ∇_{H₁} and ∇_{A₁} stands the activation H₁ = g(A₁): multiply "
                                    "elementwise by g′(A₁).",
                    lambda d: _backward_two_layer(d, g_prime=False)[1].T @ d.X),
        ],
        batch_size=6,
        rtol=1e-6, atol=1e-9,
        hint="Follow the pseudocode table from the top, k = 2 then k = 1, with examples as rows: start from "
             "∇_{A₂} (remember the mean), go back through W₂, then through the activation, and finish with "
             "the rule for ∇_{W_k} (lesson 07). Check every shape as you go: ∇_{A_k} is (B, n_k).",
    )


@exercise("08.3")
def input_gradient():
    net, X, labels, fwd = _two_layer_batch()

    def by_differences(d):
        Xw = X.copy()
        return numerical_gradient(lambda Z: loss(net, Z, labels), Xw)

    return Exercise(
        "08.3",
        "Not shown in the lesson: with the same network and batch as 08.2, compute the gradient of the batch "
        "loss with respect to the INPUTS, ∇_X = ∇_{h₀}, shape (6, 4): row r says how the (mean) loss changes "
        "when the input of example r moves. (It is what 'adversarial examples' and saliency maps use.)",
        data={"X": X, "A1": fwd.a[1].copy(), "H1": fwd.h[1].copy(), "Y_hat": fwd.y_hat.copy(),
              "E": one_hot(labels, 3), "W1": net.W[1].copy(), "W2": net.W[2].copy()},
        expected=by_differences,
        solution=lambda d: ((((d.Y_hat - d.E) / len(d.X)) @ d.W2) * bp.logistic_prime(d.A1)) @ d.W1,
        mistakes=[
            Mistake(SUM_NOT_MEAN, "Each row is an input of the MEAN loss, so it carries the factor 1/B.",
                    lambda d: _backward_two_layer(d, mean=False)[1] @ d.W1),
            Mistake("summed over the batch", "Unlike W and b, each example has its own input: keep one row per "
                                             "example, do not add them up.",
                    lambda d: (_backward_two_layer(d)[1] @ d.W1).sum(axis=0)),
            Mistake(TRANSPOSED, "W₁ᵀ ∇a₁ for one example is, with examples as rows, grad_A1 @ W1 (shape (6, 4)).",
                    lambda d: d.W1.T @ _backward_two_layer(d)[1].T),
            Mistake(G_PRIME_OF_H, "g′ takes the pre-activation: g′(A1), not g′(H1).",
                    lambda d: _backward_two_layer(d, g_prime_of_h=True)[1] @ d.W1),
            Mistake("g′ forgotten", "Between ∇_{H₁} and ∇_{A₁} stands the activation H₁ = g(A₁): multiply "
                                    "elementwise by g′(A₁) before going back through W₁.",
                    lambda d: _backward_two_layer(d, g_prime=False)[1] @ d.W1),
        ],
        batch_size=6,
        rtol=1e-6, atol=1e-9,
        hint="The same step as ∇_{h_(k−1)} = W_kᵀ ∇_{a_k}, one layer further: k = 1, and h₀ = x.",
    )


LAM = 0.1
"""The weight-decay constant λ of exercise 08.4."""


def _data_grad_W2(d):
    return (d.Y_hat - d.E).T @ d.H1 / len(d.Y_hat)


@exercise("08.4")
def weight_decay():
    net, X, labels, fwd = _two_layer_batch()

    def by_differences(d):
        work = net.copy()

        def penalised(_):
            return loss(work, X, labels) + d.lam / 2 * sum(float(np.sum(work.W[k] ** 2)) for k in (1, 2))
        return numerical_gradient(penalised, work.W[2])

    return Exercise(
        "08.4",
        "Not shown in the lesson: weight decay. The loss is ℒ_λ = (1/B) Σ_r loss_r + (λ/2) Σ_k Σ_ij W_kij² "
        "(the mean batch loss plus an L2 penalty on the weights, not on the biases). With the network and "
        "batch of 08.2 and λ = `lam`, compute ∇_{W₂} ℒ_λ, shape (3, 5). `Y_hat`, `E` (one-hot), `H1` and `W2` "
        "are given.",
        data={"Y_hat": fwd.y_hat.copy(), "E": one_hot(labels, 3), "H1": fwd.h[1].copy(), "W2": net.W[2].copy(),
              "lam": LAM},
        expected=by_differences,
        solution=lambda d: (d.Y_hat - d.E).T @ d.H1 / len(d.Y_hat) + d.lam * d.W2,
        mistakes=[
            Mistake("penalty forgotten", "That is the gradient of the mean batch loss alone. The penalty "
                                         "(λ/2) Σ W² depends on W₂ too: add its derivative.",
                    _data_grad_W2),
            Mistake("factor 2 kept", "d/dw (λ/2) w² = λ w: the 1/2 in the penalty is there to cancel the 2.",
                    lambda d: _data_grad_W2(d) + 2 * d.lam * d.W2),
            Mistake("factor 1/2 kept", "d/dw (λ/2) w² = (λ/2) · 2w = λ w: the 2 from the square cancels the 1/2.",
                    lambda d: _data_grad_W2(d) + d.lam / 2 * d.W2),
            Mistake("penalty divided by B", "Only the data term is a mean over the examples; the penalty is "
                                            "added once, not once per example: no 1/B on λ W₂.",
                    lambda d: _data_grad_W2(d) + d.lam * d.W2 / len(d.Y_hat)),
            Mistake("penalty's value added", "You added the penalty (λ/2) Σ W² itself, one number, to every "
                                             "entry. Add its DERIVATIVE with respect to each W₂ᵢⱼ instead.",
                    lambda d: _data_grad_W2(d) + d.lam / 2 * np.sum(d.W2 ** 2)),
            Mistake(SIGN, "The penalty grows as |W₂| grows, so its gradient points along W₂: + λ W₂.",
                    lambda d: _data_grad_W2(d) - d.lam * d.W2),
            Mistake(SUM_NOT_MEAN, "The data term is the MEAN over the B rows: (Y_hat − E)ᵀ H1 / B.",
                    lambda d: (d.Y_hat - d.E).T @ d.H1 + d.lam * d.W2),
        ],
        batch_size=6,
        rtol=1e-6, atol=1e-9,
        hint="The two terms of ℒ_λ add, so their gradients add. The first is lesson 07's ∇_{W₂}; for the "
             "second, only the entries of W₂ appear, each in one square.",
    )
