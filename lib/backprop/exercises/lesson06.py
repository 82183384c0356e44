"""Lesson 06's exercises: grad_h one layer back, grad_a through tanh, and the softplus's derivative."""
import numpy as np

from .. import lecture
from ..activations import logistic, logistic_prime, tanh_prime
from ..checks import G_PRIME_OF_H, TRANSPOSED, Exercise, Mistake, exercise
from ..gradcheck import numerical_gradient
from ..hidden_units import loss_from_a, loss_from_h
from ..network import forward, gradients


@exercise("06.1")
def grad_h_one_layer_back():
    net = lecture.network()
    x, label = lecture.example()
    fwd = forward(net, x)
    grads = gradients(net, x, label)
    return Exercise(
        "06.1",
        "For the lecture network and example, `grad_a2` is ∇_{a_2} ℒ (shape (3,)) and `W2` is W₂ (shape (3, 3)). "
        "Compute ∇_{h_1} ℒ, the gradient of the loss with respect to the activations of the first hidden layer.",
        data={"W2": net.W[2].copy(), "grad_a2": grads.grad_a[2].copy(), "net": net, "h1": fwd.h[1].copy(),
              "label": label},
        expected=lambda d: numerical_gradient(lambda h: loss_from_h(d.net, 1, h, d.label), d.h1.copy()),
        solution=lambda d: d.W2.T @ d.grad_a2,
        mistakes=[
            Mistake(TRANSPOSED, "You summed along a ROW of W₂ (the weights into one neuron). h_1j reaches the "
                                "loss through the weights OUT of it, W_2ij for i = 1..3: a column of W₂.",
                    lambda d: d.W2 @ d.grad_a2),
            Mistake("only one path", "h_1j feeds every neuron of layer 2, not only neuron j: sum over all of them.",
                    lambda d: np.diag(d.W2) * d.grad_a2),
        ],
        hint="∂ℒ/∂h_1j = Σ_i W_2ij ∂ℒ/∂a_2i: one term per path h_1j → a_2i.",
    )


@exercise("06.2")
def grad_a_through_tanh():
    net = lecture.network("tanh")
    x, label = lecture.example()
    fwd = forward(net, x)
    grads = gradients(net, x, label)
    return Exercise(
        "06.2",
        "The lecture network with TANH hidden units. Given `grad_h2` = ∇_{h_2} ℒ, the pre-activations `a2` and "
        "the activations `h2` = tanh(a2) (all shape (3,)), compute ∇_{a_2} ℒ. `tanh_prime` (g′ of tanh, "
        "which takes the pre-activation) is given.",
        data={"grad_h2": grads.grad_h[2].copy(), "a2": fwd.a[2].copy(), "h2": fwd.h[2].copy(),
              "tanh_prime": tanh_prime, "net": net, "label": label},
        expected=lambda d: numerical_gradient(lambda a: loss_from_a(d.net, 2, a, d.label), d.a2.copy()),
        solution=lambda d: d.grad_h2 * d.tanh_prime(d.a2),
        mistakes=[
            Mistake(G_PRIME_OF_H, "g′ takes the PRE-activation a, not h = g(a): you computed 1 − tanh(h)², "
                                  "tanh applied twice.",
                    lambda d: d.grad_h2 * d.tanh_prime(d.h2)),
            Mistake("the logistic's derivative", "h(1 − h) is the logistic's derivative; tanh's is 1 − g².",
                    lambda d: d.grad_h2 * d.h2 * (1 - d.h2)),
            Mistake("g′ forgotten", "h_2 = g(a_2) stands between a_2 and the loss: multiply by g′(a_2).",
                    lambda d: d.grad_h2),
        ],
        hint="∇_{a_k} ℒ = ∇_{h_k} ℒ ⊙ g′(a_k): each unit has one path through its activation. Give g′ the "
             "pre-activation, or write tanh's derivative with the stored h, as the lesson did.",
    )


def _softplus(a):
    return np.logaddexp(0.0, a)


@exercise("06.3")
def softplus_derivative():
    a = np.array([-2.0, -0.3, 0.0, 0.8, 2.5])
    grad_h = np.array([0.4, -1.1, 0.7, 0.25, -0.6])
    return Exercise(
        "06.3",
        "Not shown in the lesson: the SOFTPLUS activation g(a) = log(1 + eᵃ), a smooth ReLU. Derive g′(a), then "
        "compute ∇_a ℒ = ∇_h ℒ ⊙ g′(a) for the pre-activations `a` and `grad_h` = ∇_h ℒ (shape (5,)). "
        "`h` = softplus(a), `np` and `logistic` are given.",
        data={"a": a, "grad_h": grad_h, "h": _softplus(a), "logistic": logistic},
        expected=lambda d: d.grad_h * (_softplus(d.a + 1e-6) - _softplus(d.a - 1e-6)) / 2e-6,
        solution=lambda d: d.grad_h * d.logistic(d.a),      # softplus'(a) = e^a / (1 + e^a) = logistic(a)
        mistakes=[
            Mistake(G_PRIME_OF_H, "g′ takes the pre-activation a, not h = softplus(a).",
                    lambda d: d.grad_h * d.logistic(d.h)),
            Mistake("g instead of g′", "You multiplied by softplus itself; differentiate log(1 + eᵃ) first.",
                    lambda d: d.grad_h * d.h),
            Mistake("the logistic's derivative", "g(1 − g) is the derivative of the logistic; softplus's derivative "
                                                 "IS the logistic.",
                    lambda d: d.grad_h * logistic_prime(d.a)),
            Mistake("inner derivative forgotten", "d/da log(u) = u′/u: you kept 1/u = 1/(1 + eᵃ) but dropped "
                                                  "u′ = eᵃ from the numerator.",
                    lambda d: d.grad_h / (1 + np.exp(d.a))),
            Mistake("outer derivative forgotten", "eᵃ is only the derivative of the inside, u = 1 + eᵃ; the log "
                                                  "adds the factor 1/u.",
                    lambda d: d.grad_h * np.exp(d.a)),
        ],
        hint="d/da log(u) = u′ / u with u = 1 + eᵃ. Then divide numerator and denominator by eᵃ.",
    )
