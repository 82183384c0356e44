"""Lesson 02: one sigmoid neuron, one weight, one chain of derivatives.

The smallest network there is: one input x, one weight w, one bias b, the logistic
sigma and one target y in [0, 1] (the probability that the example is of class 1):

    a     = w x + b                 the pre-activation
    y_hat = sigma(a)                the output, a probability
    squared error   L = 1/2 (y_hat - y)^2
    cross-entropy   L = -[y log y_hat + (1 - y) log(1 - y_hat)]

The chain rule, one local factor per arrow of w -> a -> y_hat -> L:

    dL/dw = dL/dy_hat * dy_hat/da * da/dw

    da/dw = x,  da/db = 1,  dy_hat/da = sigma'(a) = y_hat (1 - y_hat)
    dL/dy_hat = y_hat - y                                        (squared error)
    dL/dy_hat = -y / y_hat + (1 - y) / (1 - y_hat) = (y_hat - y) / (y_hat (1 - y_hat))   (cross-entropy)

so for cross-entropy dL/da = y_hat - y and dL/dw = (y_hat - y) x: sigma' cancels.
Binary cross-entropy is the lecture's softmax cross-entropy with k = 2 classes
(lesson 05): softmax((a, 0)) = (sigma(a), 1 - sigma(a)).

Every function takes floats (one example); they are validated and never return NaN.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _validate
from .activations import logistic

LOSSES = ("squared", "cross_entropy")
"""The two losses: 'squared' (1/2 (y_hat - y)^2) and 'cross_entropy' (binary)."""


def _scalar(v, name) -> float:
    return float(_validate.float_array(v, name, allow_scalar=True, ndim=0))


def _target(y) -> float:
    y = _scalar(y, "y")
    if not 0.0 <= y <= 1.0:
        raise ValueError(f"y must be a target probability in [0, 1] (1 = class 1, 0 = class 0); got {y}")
    return y


def _kind(loss) -> str:
    return _validate.choice(loss, "loss", LOSSES)


def forward(w: float, b: float, x: float) -> tuple[float, float]:
    """The neuron's forward pass: floats w, b, x -> (a, y_hat) = (w x + b, sigma(w x + b))."""
    w, b, x = _scalar(w, "w"), _scalar(b, "b"), _scalar(x, "x")
    a = w * x + b
    return a, float(logistic(a))


def loss_from_a(a: float, y: float, loss: str = "squared") -> float:
    """L as a function of the pre-activation a (float) and the target y in [0, 1]; stable for any finite a.

    Cross-entropy uses log sigma(a) = -log(1 + e^-a) (np.logaddexp), so it stays finite when y_hat
    rounds to 0 or 1.
    """
    a, y, loss = _scalar(a, "a"), _target(y), _kind(loss)
    if loss == "squared":
        return 0.5 * (float(logistic(a)) - y) ** 2
    return float(y * np.logaddexp(0.0, -a) + (1.0 - y) * np.logaddexp(0.0, a))


def neuron_loss(w: float, b: float, x: float, y: float, loss: str = "squared") -> float:
    """L(w, b) of the neuron on the example (x, y): floats -> float."""
    a, _ = forward(w, b, x)
    return loss_from_a(a, y, loss)


def loss_of_w(ws, b: float, x: float, y: float, loss: str = "squared") -> np.ndarray:
    """L for every weight in ``ws`` (float array (m,)), b, x, y fixed -> float array (m,)."""
    ws = _validate.float_array(ws, "ws", ndim=1)
    b, x, y, loss = _scalar(b, "b"), _scalar(x, "x"), _target(y), _kind(loss)
    a = ws * x + b
    if loss == "squared":
        return 0.5 * (logistic(a) - y) ** 2
    return y * np.logaddexp(0.0, -a) + (1.0 - y) * np.logaddexp(0.0, a)


@dataclass
class Chain:
    """Every quantity of the chain w -> a -> y_hat -> L, all floats.

    Forward: ``a``, ``y_hat``, ``loss``.  Local factors: ``dL_dyhat``, ``dyhat_da`` (= sigma'(a)),
    ``da_dw`` (= x), ``da_db`` (= 1), ``da_dx`` (= w).  Products: ``dL_da`` = dL_dyhat * dyhat_da,
    ``dL_dw`` = dL_da * da_dw, ``dL_db`` = dL_da * da_db.
    """
    a: float
    y_hat: float
    loss: float
    dL_dyhat: float
    dyhat_da: float
    da_dw: float
    da_db: float
    da_dx: float
    dL_da: float
    dL_dw: float
    dL_db: float


def chain(w: float, b: float, x: float, y: float, loss: str = "squared") -> Chain:
    """dL/dw (and dL/db) of the neuron by the chain rule, with every local factor (see :class:`Chain`).

    For cross-entropy, dL_da is computed in its simplified form y_hat - y (sigma' cancels the
    denominator of dL/dy_hat exactly), which stays finite even where y_hat rounds to 0 or 1;
    dL_dyhat itself is inf there, as it truly is in floating point.
    """
    w, b, x, y, loss = _scalar(w, "w"), _scalar(b, "b"), _scalar(x, "x"), _target(y), _kind(loss)
    a, y_hat = forward(w, b, x)
    one_minus = float(logistic(-a))                 # 1 - y_hat, accurate when y_hat is near 1
    dyhat_da = y_hat * one_minus                    # sigma'(a) = sigma(a) (1 - sigma(a))
    if loss == "squared":
        dL_dyhat = y_hat - y
        dL_da = dL_dyhat * dyhat_da
    else:
        with np.errstate(divide="ignore"):
            dL_dyhat = float((y_hat - y) / np.float64(dyhat_da)) if dyhat_da > 0 else float(np.sign(y_hat - y) * np.inf)
        dL_da = y_hat - y                           # = dL_dyhat * dyhat_da, simplified
    return Chain(a=a, y_hat=y_hat, loss=loss_from_a(a, y, loss), dL_dyhat=dL_dyhat, dyhat_da=dyhat_da,
                 da_dw=x, da_db=1.0, da_dx=w, dL_da=dL_da, dL_dw=dL_da * x, dL_db=dL_da)


def gradient_descent(w0: float, b: float, x: float, y: float, eta: float, steps: int,
                     loss: str = "squared") -> dict:
    """Gradient descent on the weight alone: w_{t+1} = w_t - eta dL/dw(w_t), b fixed.

    ``eta`` > 0 (the learning rate), ``steps`` >= 0.  Returns a dict of float arrays of
    shape (steps + 1,): 'w' (w_0 .. w_steps), 'loss' (L at each w) and 'grad' (dL/dw at each w).
    """
    w = _scalar(w0, "w0")
    eta = _validate.positive_float(eta, "eta (the learning rate)")
    steps = _validate.positive_int(steps, "steps", minimum=0)
    ws, losses, grads = [], [], []
    for _ in range(steps + 1):
        c = chain(w, b, x, y, loss)
        ws.append(w)
        losses.append(c.loss)
        grads.append(c.dL_dw)
        w = w - eta * c.dL_dw
    return {"w": np.array(ws), "loss": np.array(losses), "grad": np.array(grads)}


def best_weight(b: float, x: float, y: float) -> float:
    """The weight where y_hat = y, the minimum of both losses when 0 < y < 1 and x != 0: (logit(y) - b) / x."""
    b, x, y = _scalar(b, "b"), _scalar(x, "x"), _target(y)
    if not 0.0 < y < 1.0 or x == 0.0:
        raise ValueError(f"a finite best weight needs 0 < y < 1 and x != 0; got y = {y}, x = {x}")
    return (np.log(y / (1.0 - y)) - b) / x
