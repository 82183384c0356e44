"""Lesson 10's exercises: local backward rules of an autodiff engine (sqrt, a node used twice, a matrix
product followed by a transpose, and division), each checked against central differences."""
import numpy as np

from ..checks import SIGN, TRANSPOSED, Exercise, Mistake, exercise
from ..gradcheck import numerical_gradient

OVERWRITTEN = "gradient overwritten instead of accumulated"
NO_INCOMING = "incoming gradient forgotten"


def _rng(seed):
    return np.random.default_rng(seed)


@exercise("10.1")
def sqrt_rule():
    rng = _rng(101)
    return Exercise(
        "10.1",
        "A new operation for the engine: out = sqrt(x), elementwise, for x > 0. Write its local backward rule: "
        "given the incoming gradient `g` = dℒ/d(out) (shape (4,)) and the input `x` (shape (4,)), give the "
        "contribution to x.grad, dℒ/dx, shape (4,).",
        data={"x": np.round(rng.uniform(0.5, 4.0, size=4), 2), "g": np.round(rng.normal(size=4), 2)},
        expected=lambda d: numerical_gradient(lambda x: float(np.sum(d.g * np.sqrt(x))), d.x.copy()),
        solution=lambda d: d.g / (2 * np.sqrt(d.x)),      # d sqrt(x)/dx = 1 / (2 sqrt(x)), times the incoming g
        mistakes=[
            Mistake(NO_INCOMING, "That is d sqrt(x)/dx alone. A local rule multiplies its local derivative by the "
                                 "gradient g arriving from above: that product is the chain rule.",
                    lambda d: 1 / (2 * np.sqrt(d.x))),
            Mistake("the 1/2 forgotten", "d sqrt(x)/dx = (1/2) x^(-1/2): the exponent 1/2 comes down as a factor.",
                    lambda d: d.g / np.sqrt(d.x)),
            Mistake("power rule misapplied", "sqrt(x) = x^(1/2): the power rule lowers the exponent by 1, to -1/2.",
                    lambda d: d.g * 0.5 * np.sqrt(d.x)),
            Mistake("the output instead of the derivative", "exp's rule multiplies g by its output because "
                                                            "(e^x)' = e^x; sqrt is not its own derivative.",
                    lambda d: d.g * np.sqrt(d.x)),
        ],
        hint="Write sqrt(x) as a power of x and differentiate it with the power rule; a local rule always multiplies "
             "its local derivative by the incoming g.",
    )


@exercise("10.2")
def used_twice():
    rng = _rng(102)
    return Exercise(
        "10.2",
        "The node p = x * x multiplies x by itself. The rule of * hands g·b to its left operand a and g·a to its "
        "right operand b; here a and b are the same node x. x.grad is 0 before this step. Given x (shape (3,)) "
        "and the incoming gradient `g` = dℒ/dp (shape (3,)), what does x.grad hold after p's backward step?",
        data={"x": np.round(rng.normal(size=3), 2), "g": np.round(rng.normal(size=3), 2)},
        expected=lambda d: numerical_gradient(lambda x: float(np.sum(d.g * x * x)), d.x.copy()),
        solution=lambda d: d.g * d.x + d.g * d.x,     # two contributions, one per operand, ADDED: x.grad += ...
        mistakes=[
            Mistake(OVERWRITTEN, "x receives two contributions, one as the left operand and one as the right. "
                                 "Writing x.grad = ... keeps only the last one; the sum over paths needs x.grad += ...",
                    lambda d: d.g * d.x),
            Mistake(NO_INCOMING, "The local derivative of x*x is right, but a rule multiplies it by the incoming g.",
                    lambda d: 2 * d.x),
        ],
        hint="Apply the rule of * once for a and once for b, and think about what happens to x.grad each time.",
    )


@exercise("10.3")
def matmul_transpose():
    rng = _rng(103)
    H, W = np.round(rng.normal(size=(5, 3)), 2), np.round(rng.normal(size=(4, 3)), 2)
    return Exercise(
        "10.3",
        "The batch pre-activation C = H @ W.T is two nodes: Wt = W.T, then C = H @ Wt. With H (5, 3), W (4, 3) and "
        "the incoming gradient `G` = dℒ/dC (5, 4), apply the two local rules (@ first, then .T) to get "
        "dℒ/dW, shape (4, 3).",
        data={"H": H, "W": W, "G": np.round(rng.normal(size=(5, 4)), 2)},
        expected=lambda d: numerical_gradient(lambda W: float(np.sum(d.G * (d.H @ W.T))), d.W.copy()),
        solution=lambda d: (d.H.T @ d.G).T,            # @ gives dℒ/dWt = H^T G; .T transposes it back
        mistakes=[
            Mistake(TRANSPOSED, "That is dℒ/dWt, the gradient of W.T, from the rule of @. One node is left: the rule of "
                                ".T transposes the gradient back to W's shape.",
                    lambda d: d.H.T @ d.G),
            Mistake("the other operand's rule", "That is dℒ/dH = G Wtᵀ = G W, the gradient for the LEFT operand. "
                                                "For the right operand of A @ B the rule is Aᵀ G.",
                    lambda d: d.G @ d.W),
            Mistake(SIGN, "Nothing here flips a sign: @ and .T only multiply and transpose.",
                    lambda d: -(d.H.T @ d.G).T),
        ],
        hint="Which operand of @ is Wt, the left or the right? Take that operand's rule from the table; it gives "
             "dℒ/dWt, and the rule of .T then carries it to W.",
    )


@exercise("10.4")
def division_rule():
    rng = _rng(104)
    return Exercise(
        "10.4",
        "Not shown in the lesson: the engine has no division. Write the local rule of q = u / v (elementwise, v ≠ 0): "
        "given u, v and the incoming gradient `g` = dℒ/dq (each of shape (3,)), give both contributions stacked "
        "as one array of shape (2, 3): row 0 = dℒ/du, row 1 = dℒ/dv.",
        data={"u": np.round(rng.normal(size=3), 2), "v": np.round(rng.uniform(0.5, 2.0, size=3), 2),
              "g": np.round(rng.normal(size=3), 2)},
        expected=lambda d: np.stack([numerical_gradient(lambda u: float(np.sum(d.g * u / d.v)), d.u.copy()),
                                     numerical_gradient(lambda v: float(np.sum(d.g * d.u / v)), d.v.copy())]),
        solution=lambda d: np.stack([d.g / d.v, -d.g * d.u / d.v ** 2]),
        mistakes=[
            Mistake(SIGN, "Row 1 has the wrong sign: q = u v⁻¹ falls when v grows (for u > 0), d(1/v)/dv = -1/v².",
                    lambda d: np.stack([d.g / d.v, d.g * d.u / d.v ** 2])),
            Mistake("v not squared", "d(1/v)/dv = -1/v²: the power rule on v⁻¹ gives -v⁻², not -v⁻¹.",
                    lambda d: np.stack([d.g / d.v, -d.g * d.u / d.v])),
            Mistake("u forgotten in the v part", "d(u/v)/dv = u · d(1/v)/dv: u stays as a factor.",
                    lambda d: np.stack([d.g / d.v, -d.g / d.v ** 2])),
            Mistake(NO_INCOMING, "Both local derivatives are right, but each must be multiplied by the incoming g.",
                    lambda d: np.stack([1 / d.v, -d.u / d.v ** 2])),
            Mistake("rows swapped", "Row 0 is the gradient for u (the numerator), row 1 for v.",
                    lambda d: np.stack([-d.g * d.u / d.v ** 2, d.g / d.v])),
        ],
        hint="Write u / v = u · v⁻¹: the rule of * for u, and the power rule for v⁻¹.",
    )
