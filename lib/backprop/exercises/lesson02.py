"""Lesson 02's exercises: dℒ/dw of one sigmoid neuron by the chain rule, squared error and cross-entropy; dℒ/dx."""
import numpy as np

import backprop as bp

from .. import neuron
from ..activations import logistic
from ..checks import G_PRIME_OF_H, SIGN, Exercise, Mistake, exercise

MISSING_G_PRIME = "missing the activation's derivative"


def _central(f, v, h=1e-6):
    return (f(v + h) - f(v - h)) / (2 * h)


def _yhat(d):
    return float(logistic(d.w * d.x + d.b))


@exercise("02.1")
def squared_error_chain():
    return Exercise(
        "02.1",
        "A sigmoid neuron ŷ = σ(w x + b) with squared error ℒ = ½(ŷ − y)². For the given `w`, `b`, `x`, `y`, "
        "compute dℒ/dw by the chain rule (a number).",
        data={"w": 0.7, "b": -0.3, "x": 1.5, "y": 1.0},
        expected=lambda d: _central(lambda w: neuron.neuron_loss(w, d.b, d.x, d.y, "squared"), d.w),
        solution=lambda d: (bp.logistic(d.w * d.x + d.b) - d.y) * bp.logistic(d.w * d.x + d.b) * (1 - bp.logistic(d.w * d.x + d.b)) * d.x,  # (ŷ − y) σ'(a) x
        mistakes=[
            Mistake(SIGN, "dℒ/dŷ of ½(ŷ − y)² is ŷ − y, not y − ŷ.",
                    lambda d: (d.y - _yhat(d)) * _yhat(d) * (1 - _yhat(d)) * d.x),
            Mistake(MISSING_G_PRIME, "Between a and ŷ sits σ: the chain needs its derivative dŷ/da = σ'(a).",
                    lambda d: (_yhat(d) - d.y) * d.x),
            Mistake("ŷ instead of σ'", "dŷ/da is σ'(a) = ŷ(1 − ŷ), not ŷ itself.",
                    lambda d: (_yhat(d) - d.y) * _yhat(d) * d.x),
            Mistake(G_PRIME_OF_H, "σ' must be evaluated at the pre-activation a = w x + b; you evaluated it at ŷ.",
                    lambda d: (_yhat(d) - d.y) * float(logistic(_yhat(d)) * (1 - logistic(_yhat(d)))) * d.x),
            Mistake("missing da/dw = x", "The last link, from w to a = w x + b, has derivative x.",
                    lambda d: (_yhat(d) - d.y) * _yhat(d) * (1 - _yhat(d))),
            Mistake("w instead of x", "The last link is da/dw: a = w x + b changes by x when w moves by 1. "
                                      "(The weight w itself would be da/dx.)",
                    lambda d: (_yhat(d) - d.y) * _yhat(d) * (1 - _yhat(d)) * d.w),
            Mistake("the ½ kept", "d/dŷ of ½(ŷ − y)² is ŷ − y: the 2 of the square cancels the ½.",
                    lambda d: 0.5 * (_yhat(d) - d.y) * _yhat(d) * (1 - _yhat(d)) * d.x),
        ],
        scalar=True, rtol=1e-6,
        hint="Compute a, then ŷ; then multiply the three local factors dℒ/dŷ, dŷ/da = ŷ(1 − ŷ), da/dw.",
    )


@exercise("02.2")
def cross_entropy_chain():
    return Exercise(
        "02.2",
        "The same kind of neuron with the binary cross-entropy ℒ = −[y log ŷ + (1 − y) log(1 − ŷ)]. "
        "For the given `w`, `b`, `x`, `y`, compute dℒ/dw (a number).",
        data={"w": -0.4, "b": 0.2, "x": 2.5, "y": 1.0},
        expected=lambda d: _central(lambda w: neuron.neuron_loss(w, d.b, d.x, d.y, "cross_entropy"), d.w),
        solution=lambda d: (bp.logistic(d.w * d.x + d.b) - d.y) * d.x,     # dL/dŷ · σ'(a) simplifies to ŷ − y
        mistakes=[
            Mistake(SIGN, "dℒ/dŷ = −y/ŷ + (1 − y)/(1 − ŷ); with the σ' factor that is ŷ − y, not y − ŷ.",
                    lambda d: (d.y - _yhat(d)) * d.x),
            Mistake("squared-error habit", "You kept a factor ŷ(1 − ŷ) too many: for cross-entropy, dℒ/dŷ has "
                                           "ŷ(1 − ŷ) in its denominator, and it cancels σ'(a).",
                    lambda d: (_yhat(d) - d.y) * _yhat(d) * (1 - _yhat(d)) * d.x),
            Mistake(MISSING_G_PRIME, "That is dℒ/dŷ times x: the factor dŷ/da = σ'(a) is missing.",
                    lambda d: (-d.y / _yhat(d) + (1 - d.y) / (1 - _yhat(d))) * d.x),
            Mistake("missing da/dw = x", "That is dℒ/da; one more link, from w to a, with derivative x.",
                    lambda d: _yhat(d) - d.y),
            Mistake("w instead of x", "The last link is da/dw = x (a = w x + b), not w.",
                    lambda d: (_yhat(d) - d.y) * d.w),
        ],
        scalar=True, rtol=1e-6,
        hint="dℒ/dŷ = −y/ŷ + (1 − y)/(1 − ŷ), then multiply by σ'(a) = ŷ(1 − ŷ) and simplify.",
    )


@exercise("02.3")
def input_gradient():
    return Exercise(
        "02.3",
        "Not shown in the lesson: for a neuron with squared error ℒ = ½(ŷ − y)², ŷ = σ(w x + b), compute the "
        "derivative with respect to the INPUT, dℒ/dx, for the given `w`, `b`, `x`, `y`. (In a deeper network the "
        "input of one neuron is the output of another: this is the number that is passed back to it.)",
        data={"w": 1.2, "b": 0.5, "x": -0.8, "y": 0.0},
        expected=lambda d: _central(lambda x: neuron.neuron_loss(d.w, d.b, x, d.y, "squared"), d.x),
        solution=lambda d: (bp.logistic(d.w * d.x + d.b) - d.y) * bp.logistic(d.w * d.x + d.b) * (1 - bp.logistic(d.w * d.x + d.b)) * d.w,  # da/dx = w
        mistakes=[
            Mistake("that is dℒ/dw", "You used da/dw = x. The last link now goes from x to a = w x + b: "
                                     "its derivative is w.",
                    lambda d: (_yhat(d) - d.y) * _yhat(d) * (1 - _yhat(d)) * d.x),
            Mistake(MISSING_G_PRIME, "Between a and ŷ sits σ: the chain needs σ'(a) = ŷ(1 − ŷ).",
                    lambda d: (_yhat(d) - d.y) * d.w),
            Mistake(SIGN, "dℒ/dŷ of ½(ŷ − y)² is ŷ − y, not y − ŷ.",
                    lambda d: (d.y - _yhat(d)) * _yhat(d) * (1 - _yhat(d)) * d.w),
            Mistake("missing da/dx = w", "That is dℒ/da. The chain has one more link, from x to a = w x + b: "
                                         "multiply by its derivative.",
                    lambda d: (_yhat(d) - d.y) * _yhat(d) * (1 - _yhat(d))),
        ],
        scalar=True, rtol=1e-6,
        hint="Same chain x → a → ŷ → ℒ; only the first local factor changes: da/dx.",
    )
