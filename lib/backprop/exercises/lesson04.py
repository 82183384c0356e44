"""Lesson 04's exercises: a sum over paths for another weight, counting paths, and dℒ/dx_1 as a sum over paths."""
import itertools

import numpy as np

from .. import lecture, paths
from ..activations import logistic_prime
from ..checks import G_PRIME_OF_H, MISSING_PATH, TRANSPOSED, Exercise, Mistake, exercise
from ..losses import cross_entropy_grad
from ..network import backward, forward


def _lecture_data():
    net = lecture.network()
    x, label = lecture.example()
    fwd = forward(net, x)
    return {"x": x, "a1": fwd.a[1], "h1": fwd.h[1], "a2": fwd.a[2], "h2": fwd.h[2],
            "W1": net.W[1].copy(), "W2": net.W[2].copy(), "W3": net.W[3].copy(),
            "grad_a3": cross_entropy_grad(fwd.a[3], label), "g_prime": logistic_prime, "label": label}


def _path_terms_W1(d, i, j, g_of=None):
    """Each path's contribution to dℒ/dW_1ij (0-based i, j), as a dict (m, c) -> value."""
    gp1 = d.g_prime(d.a1 if g_of is None else d.h1)
    gp2 = d.g_prime(d.a2 if g_of is None else d.h2)
    return {(m, c): d.x[j] * gp1[i] * d.W2[m, i] * gp2[m] * d.W3[c, m] * d.grad_a3[c]
            for m in range(3) for c in range(3)}


def _drop_one(m, c):
    return lambda d: sum(v for key, v in _path_terms_W1(d, 2, 1).items() if key != (m, c))


@exercise("04.1")
def sum_over_paths_W132():
    return Exercise(
        "04.1",
        "For the lecture network and example, compute ∂ℒ/∂W₁₃₂ as a sum over every path from W₁₃₂ to the loss, "
        "each path a product of local derivatives. You have `x`, `a1`, `a2`, `W2`, `W3`, `g_prime` and "
        "`grad_a3` = ∂ℒ/∂a₃ = ŷ − e(ℓ) (shape (3,)).",
        data=_lecture_data(),
        expected=lambda d: float(backward(lecture.network(), forward(lecture.network(), d.x), d.label).grad_W[1][2, 1]),
        solution=lambda d: sum(d.x[1] * d.g_prime(d.a1)[2] * d.W2[m, 2] * d.g_prime(d.a2)[m] * d.W3[c, m] * d.grad_a3[c]
                               for m in range(3) for c in range(3)),
        mistakes=[Mistake(MISSING_PATH, f"One path is missing: W₁₃₂ reaches the loss through every h₂ₘ (m = 1, 2, 3) "
                                        f"and, from each, through every a₃c (c = 1, 2, 3): 9 paths. "
                                        f"(The one through a₂{m + 1} → a₃{c + 1} is not in your sum.)", _drop_one(m, c))
                  for m, c in itertools.product(range(3), range(3))]
                 + [Mistake(G_PRIME_OF_H, "g' takes the pre-activations a₁ and a₂, not h₁ and h₂.",
                            lambda d: sum(_path_terms_W1(d, 2, 1, g_of="h").values())),
                    Mistake(TRANSPOSED, "∂a₂ₘ/∂h₁₃ is W₂ₘ₃ = W2[m, 2] (row: the neuron fed, column: the input), "
                                        "not W2[2, m]; the same for W3.",
                            lambda d: sum(d.x[1] * d.g_prime(d.a1)[2] * d.W2[2, m] * d.g_prime(d.a2)[m] * d.W3[m, c]
                                          * d.grad_a3[c] for m in range(3) for c in range(3))),
                    Mistake("W₁₂₃ instead", "That is ∂ℒ/∂W₁₂₃: i and j swapped. W₁₃₂ goes INTO neuron 3 FROM input 2, so "
                                            "its paths start with x₂ = x[1] and g'(a₁₃) = g_prime(a1)[2], and continue "
                                            "with W₂ₘ₃ = W2[m, 2].",
                            lambda d: sum(_path_terms_W1(d, 1, 2).values())),
                    Mistake("only the straight path", "You followed one path only (through h₂₃ and a₃₃?). The chain "
                                                     "rule adds up every path.",
                            lambda d: _path_terms_W1(d, 2, 1)[(2, 2)])],
        scalar=True,
        hint="Start from the lesson's sum for ∂ℒ/∂W₁₁₁ and change what belongs to i = 1 and j = 1: which input "
             "does W₁₃₂ multiply, and which neuron of layer 1 does it feed? Then two nested sums, over m "
             "(the neuron of layer 2) and c (the output).",
    )


@exercise("04.2")
def count_paths():
    sizes = [4, 5, 3, 6, 2]
    return Exercise(
        "04.2",
        "A network has layer sizes `sizes` = [n₀, n₁, n₂, n₃, n₄] = [4, 5, 3, 6, 2] (input, three hidden layers, "
        "output). How many paths lead from one weight of layer 1, say W₁₂₃, to the loss? (Count the paths that end "
        "at a pre-activation a₄c of the output layer, as in the lesson.)",
        data={"sizes": sizes},
        expected=lambda d: float(len(list(itertools.product(*[range(n) for n in d.sizes[2:]])))),
        solution=lambda d: d.sizes[2] * d.sizes[3] * d.sizes[4],      # one neuron chosen in each layer after layer 1
        mistakes=[
            Mistake("layer 1 counted", "The path starts at a₁₂, one fixed neuron of layer 1: there is no choice to "
                                       "make in layer 1.", lambda d: float(np.prod(d.sizes[1:]))),
            Mistake("inputs counted", "The weight W₁₂₃ fixes where the path starts; the inputs and layer 1 give no "
                                      "choice.", lambda d: float(np.prod(d.sizes))),
            Mistake("added instead of multiplied", "Every choice in one layer combines with every choice in the next: "
                                                   "multiply the widths.", lambda d: float(sum(d.sizes[2:]))),
            Mistake("output layer left out", "The loss depends on every output a₄c: the last layer is a choice too.",
                    lambda d: float(d.sizes[2] * d.sizes[3])),
        ],
        scalar=True,
        hint="A path visits one neuron in each layer after layer 1. How many choices in each layer?",
    )


@exercise("04.3")
def input_gradient_by_paths():
    return Exercise(
        "04.3",
        "Not shown in the lesson: compute ∂ℒ/∂x₁ for the lecture network and example as a sum over paths. "
        "x₁ feeds every a₁ᵢ (through W₁ᵢ₁), so the paths start with a choice in layer 1 too. You have `x`, `a1`, "
        "`a2`, `W1`, `W2`, `W3`, `g_prime` and `grad_a3` = ŷ − e(ℓ).",
        data=_lecture_data(),
        expected=lambda d: float(backward(lecture.network(), forward(lecture.network(), d.x), d.label,
                                          input_grad=True).grad_h[0][0]),
        solution=lambda d: sum(d.W1[i, 0] * d.g_prime(d.a1)[i] * d.W2[m, i] * d.g_prime(d.a2)[m] * d.W3[c, m]
                               * d.grad_a3[c] for i in range(3) for m in range(3) for c in range(3)),
        mistakes=[
            Mistake(MISSING_PATH, "You only followed the paths through h₁₁ (9 of the 27). x₁ reaches every neuron "
                                  "of layer 1, through W₁₁₁, W₁₂₁ and W₁₃₁.",
                    lambda d: sum(d.W1[0, 0] * d.g_prime(d.a1)[0] * d.W2[m, 0] * d.g_prime(d.a2)[m] * d.W3[c, m]
                                  * d.grad_a3[c] for m in range(3) for c in range(3))),
            Mistake("x instead of W", "That looks like ∂ℒ/∂W₁₁₁ (its first factor is x₁). For ∂ℒ/∂x₁ the first "
                                      "factor is ∂a₁ᵢ/∂x₁ = W₁ᵢ₁.",
                    lambda d: paths.path_sum(lecture.network(), d.x, d.label, 1, 1, 1)),
            Mistake("first factor missing", "Each path starts at x₁ and enters layer 1 through a weight: its first "
                                            "factor is ∂a₁ᵢ/∂x₁ = W₁ᵢ₁ = W1[i, 0].",
                    lambda d: sum(d.g_prime(d.a1)[i] * d.W2[m, i] * d.g_prime(d.a2)[m] * d.W3[c, m] * d.grad_a3[c]
                                  for i in range(3) for m in range(3) for c in range(3))),
            Mistake("x₁ as a factor", "x₁ is what you differentiate by, not a factor of the path: ∂a₁ᵢ/∂x₁ = W₁ᵢ₁ "
                                      "alone (for ∂ℒ/∂W₁₁₁ it was the other way round).",
                    lambda d: d.x[0] * sum(d.W1[i, 0] * d.g_prime(d.a1)[i] * d.W2[m, i] * d.g_prime(d.a2)[m]
                                           * d.W3[c, m] * d.grad_a3[c] for i in range(3) for m in range(3) for c in range(3))),
            Mistake(TRANSPOSED, "∂a₁ᵢ/∂x₁ = W₁ᵢ₁ = W1[i, 0] (column 0: the weights out of input 1), not W1[0, i].",
                    lambda d: sum(d.W1[0, i] * d.g_prime(d.a1)[i] * d.W2[m, i] * d.g_prime(d.a2)[m] * d.W3[c, m]
                                  * d.grad_a3[c] for i in range(3) for m in range(3) for c in range(3))),
        ],
        scalar=True,
        hint="Three nested sums now: over i (layer 1), m (layer 2) and c (the output): 27 paths.",
    )
