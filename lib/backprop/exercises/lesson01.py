"""Lesson 01's exercises: the most responsible weight, a central difference, a second derivative."""
import numpy as np

from .. import lecture
from .. import responsibility as rsp
from ..checks import SIGN, Exercise, Mistake, exercise
from ..network import gradients


def _loss_of(name):
    net = lecture.network()
    x, label = lecture.example()
    return lambda w: float(rsp.loss_as_function_of_weight(net, x, label, name, np.array([float(w)]))[0])


@exercise("01.1")
def most_responsible():
    net = lecture.network()
    x, label = lecture.example()
    grad_W3 = gradients(net, x, label).grad_W[3]
    return Exercise(
        "01.1",
        "`grad_W3[i-1, j-1]` holds dℒ/dW₃ᵢⱼ for the lecture example. Which weight of layer 3 is the most "
        "responsible for the loss? Answer with its lecture indices as a pair `(i, j)`, counted from 1.",
        data={"grad_W3": grad_W3},
        expected=lambda d: np.array([3.0, 3.0]),    # read off the ranking of the lesson: W_333
        solution=lambda d: np.array(np.unravel_index(np.argmax(np.abs(d.grad_W3)), d.grad_W3.shape)) + 1.0,
        mistakes=[
            Mistake("largest value, not largest size",
                    "Responsibility is the SIZE of the derivative, |dℒ/dw|: a large negative derivative moves the "
                    "loss just as much as a large positive one.",
                    lambda d: np.array(np.unravel_index(np.argmax(d.grad_W3), d.grad_W3.shape)) + 1.0),
            Mistake("counted from 0", "The lecture counts neurons and inputs from 1: W_kij is W[k][i-1, j-1], "
                                      "so add 1 to numpy's indices.",
                    lambda d: np.array(np.unravel_index(np.argmax(np.abs(d.grad_W3)), d.grad_W3.shape)) + 0.0),
            Mistake("flat index", "np.argmax gives ONE index into the flattened 3×3 array. Turn it into "
                                  "(row, column) with np.unravel_index(…, grad_W3.shape), then count from 1.",
                    lambda d: np.array(float(np.argmax(np.abs(d.grad_W3))))),
            Mistake("least responsible", "You found the weight that matters LEAST: take the largest |dℒ/dw|.",
                    lambda d: np.array(np.unravel_index(np.argmin(np.abs(d.grad_W3)), d.grad_W3.shape)) + 1.0),
        ],
        hint="np.argmax(np.abs(grad_W3)) gives a flat index; np.unravel_index turns it into (row, column).",
    )


@exercise("01.2")
def central_difference_of_a_weight():
    f = _loss_of("W_212")
    net = lecture.network()
    x, label = lecture.example()
    return Exercise(
        "01.2",
        "`L(w)` (the text's ℒ(w)) is the loss of the lecture example when W₂₁₂ is set to w (every other parameter unchanged); "
        "`w0` is W₂₁₂'s value in the lecture network. Estimate dℒ/dW₂₁₂ at w0 by a CENTRAL difference with "
        "the nudge `delta` = 1e-3.",
        data={"L": f, "w0": rsp.get_value(net, "W_212"), "delta": 1e-3},
        expected=lambda d: rsp.backprop_derivative(net, x, label, "W_212"),   # the backward pass
        solution=lambda d: (d.L(d.w0 + d.delta) - d.L(d.w0 - d.delta)) / (2 * d.delta),
        mistakes=[
            Mistake("forward difference", "That is the one-sided ratio (ℒ(w0 + δ) − ℒ(w0)) / δ: its error is "
                                          "about δ |ℒ''| / 2. Nudge both ways.",
                    lambda d: (d.L(d.w0 + d.delta) - d.L(d.w0)) / d.delta),
            Mistake("missing the 2", "The two points w0 − δ and w0 + δ are 2δ apart: divide by 2δ.",
                    lambda d: (d.L(d.w0 + d.delta) - d.L(d.w0 - d.delta)) / d.delta),
            Mistake("divided by 2, then multiplied by δ", "Python reads `/ 2 * delta` as (… / 2) · δ: you "
                                                          "MULTIPLIED by δ. Put the whole denominator in brackets: "
                                                          "/ (2 * delta).",
                    lambda d: (d.L(d.w0 + d.delta) - d.L(d.w0 - d.delta)) / 2 * d.delta),
            Mistake("not divided", "That is the change of the loss, Δℒ. The derivative is a ratio: divide by the "
                                   "distance between the two points.",
                    lambda d: d.L(d.w0 + d.delta) - d.L(d.w0 - d.delta)),
            Mistake(SIGN, "Rise over run: the loss at the RIGHT point minus the loss at the left point.",
                    lambda d: (d.L(d.w0 - d.delta) - d.L(d.w0 + d.delta)) / (2 * d.delta)),
        ],
        scalar=True, rtol=1e-4,
        hint="(ℒ(w0 + δ) − ℒ(w0 − δ)) / (2δ).",
    )


@exercise("01.3")
def second_derivative():
    f = _loss_of("W_333")
    net = lecture.network()
    x, label = lecture.example()
    w0 = rsp.get_value(net, "W_333")

    def curvature(d, h=1e-5):       # the derivative of the backward pass's derivative: another way
        up, down = rsp.nudge(net, "W_333", h), rsp.nudge(net, "W_333", -h)
        return (rsp.backprop_derivative(up, x, label, "W_333") - rsp.backprop_derivative(down, x, label, "W_333")) / (2 * h)

    return Exercise(
        "01.3",
        "Not shown in the lesson: the truncation error of the forward difference is about δ |ℒ''| / 2. "
        "Estimate the SECOND derivative ℒ''(w0) = d²ℒ/dW₃₃₃² at W₃₃₃'s lecture value `w0`, using only "
        "values of `L(w)` (the loss as a function of W₃₃₃) and the nudge `delta` = 1e-2. "
        "Hint: the derivative just right of w0 minus the derivative just left of w0, divided by δ.",
        data={"L": f, "w0": w0, "delta": 1e-2},
        expected=curvature,
        solution=lambda d: (d.L(d.w0 + d.delta) - 2 * d.L(d.w0) + d.L(d.w0 - d.delta)) / d.delta**2,
        mistakes=[
            Mistake("divided by δ, not δ²", "Each of the two one-sided slopes is already divided by δ; their "
                                            "difference is divided by δ once more.",
                    lambda d: (d.L(d.w0 + d.delta) - 2 * d.L(d.w0) + d.L(d.w0 - d.delta)) / d.delta),
            Mistake("first derivative", "That is the slope ℒ'(w0) (a central difference), not how fast the "
                                        "slope changes.",
                    lambda d: (d.L(d.w0 + d.delta) - d.L(d.w0 - d.delta)) / (2 * d.delta)),
            Mistake(SIGN, "Slope on the right MINUS slope on the left: ℒ(w0+δ) − 2ℒ(w0) + ℒ(w0−δ).",
                    lambda d: -(d.L(d.w0 + d.delta) - 2 * d.L(d.w0) + d.L(d.w0 - d.delta)) / d.delta**2),
        ],
        scalar=True, rtol=1e-3,
        hint="[(ℒ(w0+δ) − ℒ(w0))/δ − (ℒ(w0) − ℒ(w0−δ))/δ] / δ.",
    )
