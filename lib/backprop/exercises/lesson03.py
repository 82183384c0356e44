"""Lesson 03's exercises: one gradient by reuse in a thin chain, then counting the work for the biases."""
import numpy as np

from .. import chain
from ..activations import logistic_prime
from ..gradcheck import numerical_gradient
from ..checks import G_PRIME_OF_H, SIGN, Exercise, Mistake, exercise

FORGOT_G_PRIME = "one g' factor forgotten"
WRONG_H = "h_k used instead of h_(k-1)"


def _g_prime(a):
    """The logistic's derivative for one number a -> float."""
    return float(logistic_prime(a))


@exercise("03.1")
def middle_weight_by_reuse():
    w = np.array([1.4, -0.9, 2.1, 0.7, -1.6])
    c = chain.forward(w, x=0.8, y=1.0)
    _, _, delta = chain.reuse_gradients(c)
    return Exercise(
        "03.1",
        "A chain of depth L = 5 has been run forward (`a[k]`, `h[k]`, `W[k]` for k = 1..5, `h[0]` = x) and "
        "the backward pass has already stored `delta4` = ∂ℒ/∂a₄. Reuse it: compute ∂ℒ/∂W₃₁₁ with as few "
        "multiplications as you can. `g_prime(a)` is the logistic's derivative.",
        data={"a": list(c.a), "h": list(c.h), "W": [None] + [float(v) for v in w], "delta4": float(delta[4]),
              "g_prime": _g_prime, "x": 0.8, "y": 1.0},
        expected=lambda d: float(numerical_gradient(lambda v: chain.loss(v, d.x, d.y), np.array(d.W[1:]))[2]),
        solution=lambda d: d.delta4 * d.W[4] * d.g_prime(d.a[3]) * d.h[2],
        mistakes=[
            Mistake(FORGOT_G_PRIME, "Between ∂ℒ/∂a₄ and a₃ there are two steps: a₄ depends on h₃ (factor W₄₁₁) and "
                                    "h₃ on a₃ (factor g'(a₃)). Did you skip one?",
                    lambda d: d.delta4 * d.W[4] * d.h[2]),
            Mistake(G_PRIME_OF_H, "g' takes the pre-activation: ∂h₃/∂a₃ = g'(a₃), not g'(h₃).",
                    lambda d: d.delta4 * d.W[4] * d.g_prime(d.h[3]) * d.h[2]),
            Mistake(WRONG_H, "a₃ = b₃ + W₃₁₁ h₂, so ∂a₃/∂W₃₁₁ is the input of layer 3, h₂, not its output h₃.",
                    lambda d: d.delta4 * d.W[4] * d.g_prime(d.a[3]) * d.h[3]),
            Mistake("layer 4's weight instead", "That is ∂ℒ/∂W₄₁₁ = ∂ℒ/∂a₄ · h₃. Go one layer further down for W₃₁₁.",
                    lambda d: d.delta4 * d.h[3]),
            Mistake("W₃₁₁ where W₄₁₁ belongs", "∂a₄/∂h₃ is the weight that carries h₃ into a₄: W₄₁₁ = W[4], "
                                              "not W₃₁₁. (W₃₁₁ is the weight you differentiate by; it is not a factor.)",
                    lambda d: d.delta4 * d.W[3] * d.g_prime(d.a[3]) * d.h[2]),
            Mistake("g'(a₄) instead of g'(a₃)", "delta4 = ∂ℒ/∂a₄ already contains g'(a₄). The new g' factor is "
                                               "the one of layer 3: ∂h₃/∂a₃ = g'(a₃).",
                    lambda d: d.delta4 * d.W[4] * d.g_prime(d.a[4]) * d.h[2]),
            Mistake("that is δ₃", "That is δ₃ = ∂ℒ/∂a₃, the shared part. One factor more: ∂a₃/∂W₃₁₁ = h₂.",
                    lambda d: d.delta4 * d.W[4] * d.g_prime(d.a[3])),
            Mistake("g'(a₄) counted twice", "delta4 = ∂ℒ/∂a₄ already contains g'(a₄): do not multiply by it again.",
                    lambda d: d.delta4 * d.g_prime(d.a[4]) * d.W[4] * d.g_prime(d.a[3]) * d.h[2]),
        ],
        scalar=True,
        hint="∂ℒ/∂W₃₁₁ = ∂ℒ/∂a₄ · ∂a₄/∂h₃ · ∂h₃/∂a₃ · ∂a₃/∂W₃₁₁: three multiplications.",
    )


@exercise("03.2")
def naive_count_for_biases():
    depths = np.array([1, 2, 5, 10, 50])
    return Exercise(
        "03.2",
        "Not shown in the lesson: the biases. a_k = b_k + W_k11 h_(k-1), so ∂a_k/∂b_k = 1. If the naive method "
        "computes every ∂ℒ/∂b_k (k = 1..L) from scratch, each as the product of its local factors from the loss "
        "down (and multiplying by 1 is not done), how many multiplications does it need in all, for depth L? "
        "Give the counts for the depths `Ls` = [1, 2, 5, 10, 50] as an array (derive a closed form first).",
        data={"Ls": depths},
        expected=lambda d: np.array([sum(2 * (L - k) + 1 for k in range(1, L + 1)) for L in d.Ls], dtype=float),
        solution=lambda d: d.Ls ** 2,      # bias k: 2(L-k)+2 factors, 2(L-k)+1 multiplications; sum over k = L^2
        mistakes=[
            Mistake("the weights' count", "That is the count for the weights, L(L+1) (or you counted factors, not "
                                          "multiplications). A bias has no factor h_(k-1), and n factors take n - 1 "
                                          "multiplications.", lambda d: d.Ls * (d.Ls + 1)),
            Mistake("the reuse count, or one gradient only", "That is the work of backward accumulation, or of ∂ℒ/∂b₁ "
                                                        "alone. The naive method starts again from the loss for every "
                                                        "bias: add up the work for every k = 1..L.", lambda d: 2 * d.Ls - 1),
            Mistake("a factor short", "Each bias k still needs g'(a_k), its own layer's factor: from the loss down "
                                      "to a_k there are 2(L-k)+2 factors.", lambda d: d.Ls * (d.Ls - 1)),
        ],
        hint="For bias k, list the factors: ∂ℒ/∂h_L, then g'(a_m) for m = L..k and W_m11 for m = L..k+1. "
             "Count them, subtract one, and add up over k (Σ (2j+1) for j = 0..L-1).",
    )
