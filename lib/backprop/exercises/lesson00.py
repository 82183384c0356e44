"""Lesson 00's exercises: reading W_kij, one pre-activation by hand, a batch as rows."""
import numpy as np

from .. import lecture
from ..activations import logistic
from ..checks import TRANSPOSED, Exercise, Mistake, exercise
from ..network import Network


@exercise("00.1")
def read_a_weight():
    net = lecture.network()
    return Exercise(
        "00.1",
        "Give the value of the weight W₂₃₁ (layer 2, to neuron 3, from input 1) of `net`.",
        data={"net": net},
        expected=lambda d: d.net.W[2][2, 0],
        solution=lambda d: d.net.W[2][3 - 1, 1 - 1],     # W_kij is W[k][i-1, j-1]
        mistakes=[
            Mistake(TRANSPOSED, "You swapped i and j: the first index of W[k] is the neuron i it feeds, "
                                "the second the input j it comes from.", lambda d: d.net.W[2][0, 2]),
            Mistake("counted from 1 in code", "Python counts from 0: neuron i is row i-1, input j is column j-1.",
                    lambda d: d.net.W[2][2, 1] if d.net.W[2].shape[1] > 1 else np.nan),
            Mistake("wrong layer", "That weight is in layer 1. The list of layers starts at index 1 like the "
                                   "formulas (net.W[0] is None), so W_2 is net.W[2]: only i and j lose 1.",
                    lambda d: d.net.W[1][2, 0]),
        ],
        scalar=True,
        hint="W_kij is W[k][i-1, j-1].",
    )


@exercise("00.2")
def pre_activation_by_hand():
    net = lecture.network()
    x, _ = lecture.example()
    h1 = logistic(net.b[1] + net.W[1] @ x)
    return Exercise(
        "00.2",
        "Using only `h1` (= h₁ for the lecture example), `W2` and `b2`, compute the pre-activation a₂ "
        "of the second hidden layer, a vector of shape (3,).",
        data={"h1": h1, "W2": net.W[2].copy(), "b2": net.b[2].copy()},
        expected=lambda d: np.array([d.b2[i] + sum(d.W2[i, j] * d.h1[j] for j in range(3)) for i in range(3)]),
        solution=lambda d: d.b2 + d.W2 @ d.h1,
        mistakes=[
            Mistake(TRANSPOSED, "Row i of W₂ holds the weights into neuron i: a₂ = b₂ + W₂ h₁, not W₂ᵀ h₁.",
                    lambda d: d.b2 + d.W2.T @ d.h1),
            Mistake("bias forgotten", "a_k = b_k + W_k h_(k-1): the bias is part of the pre-activation.",
                    lambda d: d.W2 @ d.h1),
            Mistake("activation applied", "That is h₂ = g(a₂), one step too far: the pre-activation is before g.",
                    lambda d: logistic(d.b2 + d.W2 @ d.h1)),
        ],
        hint="a_2i = b_2i + sum over j of W_2ij h_1j.",
    )


@exercise("00.3")
def batch_as_rows():
    net = lecture.network()
    X, _ = lecture.batch(4)
    return Exercise(
        "00.3",
        "The batch formula of the lesson, in code: with 4 examples stored as the ROWS of `X` (shape (4, 3)), compute the "
        "pre-activations of layer 1 for all of them at once, `A1` of shape (4, 3), row r being a₁ for "
        "example r. One line, no loop.",
        data={"X": X, "W1": net.W[1].copy(), "b1": net.b[1].copy()},
        expected=lambda d: np.stack([d.b1 + d.W1 @ x for x in d.X]),
        solution=lambda d: d.X @ d.W1.T + d.b1,
        mistakes=[
            Mistake(TRANSPOSED, "With examples as rows, each row x must meet W₁ as x W₁ᵀ: use W1.T.",
                    lambda d: d.X @ d.W1 + d.b1),
            Mistake("bias forgotten", "Add b1; numpy broadcasts the (3,) bias over the 4 rows.",
                    lambda d: d.X @ d.W1.T),
            Mistake("one column per example", "Your A1 has shape (3, 4): one COLUMN per example (W₁ Xᵀ). The batch "
                                              "stores examples as rows, so row r must be a₁ of example r: "
                                              "multiply from the other side, with W1 transposed.",
                    lambda d: d.W1 @ d.X.T + d.b1[:, None]),
        ],
        batch_size=4,
        hint="Transpose the single-example formula: (W₁ x)ᵀ = xᵀ W₁ᵀ, one row per example.",
    )


@exercise("00.4")
def count_parameters():
    sizes = [784, 256, 128, 10]
    return Exercise(
        "00.4",
        "Not shown in the lesson: how many weights and biases does a network with sizes "
        "n_0..n_L = [784, 256, 128, 10] have (the size lesson 09 talks about for MNIST)? "
        "First find the formula in terms of the n_k (the lecture network's 36 is a check), then compute it.",
        data={"sizes": sizes},
        expected=lambda d: float(Network.init(d.sizes, seed=0).n_params),
        solution=lambda d: sum(d.sizes[k] * d.sizes[k - 1] + d.sizes[k] for k in range(1, len(d.sizes))),
        mistakes=[
            Mistake("biases forgotten", "Every neuron of layers 1..L has a bias b_ki as well as its weights.",
                    lambda d: sum(d.sizes[k] * d.sizes[k - 1] for k in range(1, len(d.sizes)))),
            Mistake("biases counted for the inputs", "The inputs x = h_0 are data, not neurons: they have no bias.",
                    lambda d: sum(d.sizes[k] * d.sizes[k - 1] + d.sizes[k] for k in range(1, len(d.sizes))) + d.sizes[0]),
            Mistake("one bias per input instead of per neuron", "b_k has shape (n_k,): one bias for each neuron i of layer k.",
                    lambda d: sum(d.sizes[k] * d.sizes[k - 1] + d.sizes[k - 1] for k in range(1, len(d.sizes)))),
            Mistake("all sizes multiplied", "W_k connects only layer k-1 to layer k: add up the layers' counts.",
                    lambda d: float(np.prod(d.sizes))),
        ],
        scalar=True, rtol=1e-12, atol=1e-6,      # a count: exact
        hint="W_k has shape (n_k, n_(k-1)) and b_k has shape (n_k,); add them up over k = 1..L.",
    )
