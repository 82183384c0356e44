"""Lesson 05's play: move the logits a_3 = a_L of the lecture network and the true class l; watch y_hat, the loss and grad_a_L."""
from __future__ import annotations

import numpy as np

from .. import _validate, lecture, widgets
from ..losses import cross_entropy, cross_entropy_grad, softmax
from ..network import forward

LOGIT_RANGE = (-6.0, 6.0)
"""Slider range of each logit; the loss then stays below LOSS_MAX."""
LOSS_MAX = 14.0
CLASS_OPTIONS = [("ℓ = 1", 0), ("ℓ = 2", 1), ("ℓ = 3", 2)]
"""(label, value) pairs for the dropdown of the true class; the value is the 0-based code label."""


def output_state(a_31: float, a_32: float, a_33: float, label: int = 2) -> dict:
    """y_hat, loss and grad_a_L for the logits a_L = a_3 = (a_31, a_32, a_33) and the true class ``label`` (0-based).

    Returns a dict: 'a_L' (3,), 'y_hat' (3,), 'loss' (float, -log y_hat_l),
    'grad_a_L' (3,) = -(e(l) - y_hat), 'label' (int).
    """
    a = np.array([_validate.real(v, n) for v, n in ((a_31, "a_31"), (a_32, "a_32"), (a_33, "a_33"))])
    return {"a_L": a, "y_hat": softmax(a), "loss": cross_entropy(a, label),
            "grad_a_L": cross_entropy_grad(a, label), "label": int(label)}


_GREY, _RED = "#9a9a9a", "#d62728"


def draw(fig, d, art):
    """Three bar charts with fixed axes: y_hat, the loss, and the gradient -(e(l) - y_hat)."""
    if not art:
        ticks = [1, 2, 3]
        ax_y = fig.add_axes((0.07, 0.2, 0.32, 0.66))
        ax_l = fig.add_axes((0.47, 0.2, 0.08, 0.66))
        ax_g = fig.add_axes((0.64, 0.2, 0.33, 0.66))
        art["y_bars"] = ax_y.bar(ticks, d["y_hat"], color=_GREY)
        ax_y.set_ylim(0, 1.05)
        ax_y.set_xticks(ticks, ["ŷ₁", "ŷ₂", "ŷ₃"])
        ax_y.set_title("output ŷ = softmax(a₃)", fontsize=9)
        art["l_bar"] = ax_l.bar([0], [d["loss"]], color="#555", width=0.6)
        ax_l.set_ylim(0, LOSS_MAX)
        ax_l.set_xlim(-0.6, 0.6)
        ax_l.set_xticks([0], ["loss"])
        ax_l.set_title("−log ŷℓ", fontsize=9)
        art["g_bars"] = ax_g.bar(ticks, d["grad_a_L"], color=_GREY)
        ax_g.axhline(0, color="black", lw=0.8)
        ax_g.set_ylim(-1.05, 1.05)
        ax_g.set_xticks(ticks, ["∂ℒ/∂a₃₁", "∂ℒ/∂a₃₂", "∂ℒ/∂a₃₃"], fontsize=8)
        ax_g.set_title("gradient ∇a₃ ℒ = −(e(ℓ) − ŷ)", fontsize=9)
        for ax in (ax_y, ax_l, ax_g):
            ax.tick_params(labelsize=8)
        art["dynamic"] = list(art["y_bars"]) + list(art["l_bar"]) + list(art["g_bars"])
    for i, (yb, gb) in enumerate(zip(art["y_bars"], art["g_bars"])):
        colour = _RED if i == d["label"] else _GREY
        yb.set_height(d["y_hat"][i])
        yb.set_color(colour)
        gb.set_height(d["grad_a_L"][i])
        gb.set_color(colour)
    art["l_bar"][0].set_height(min(d["loss"], LOSS_MAX))


def readout(d) -> str:
    """The numbers: y_hat, the loss and the gradient."""
    y = ", ".join(f"{v:.4f}" for v in d["y_hat"])
    g = ", ".join(f"{v:+.4f}" for v in d["grad_a_L"])
    return (f"ŷ = ({y})&nbsp;&nbsp; true class ℓ = {d['label'] + 1}&nbsp;&nbsp; "
            f"<b>loss = {d['loss']:.4f}</b>&nbsp;&nbsp; ∇<sub>a₃</sub>ℒ = −(e(ℓ) − ŷ) = ({g})")


def panel() -> widgets.Panel:
    """Sliders on the three logits a_31, a_32, a_33 (starting at the lecture example's a_3) and a dropdown for l."""
    net = lecture.network()
    x, label = lecture.example()
    a3 = forward(net, x).a[net.L]
    lo, hi = LOGIT_RANGE
    controls = {
        f"a_3{i + 1}": widgets.slider(f"a_3{i + 1}", float(np.round(a3[i], 2)), lo, hi, 0.01,
                                      tooltip=f"logit of class {i + 1} (pre-activation of output neuron {i + 1})")
        for i in range(3)
    }
    controls["label"] = widgets.dropdown("ell", CLASS_OPTIONS, label, tooltip="the true class ℓ")
    return widgets.Panel(lambda **v: output_state(**v), controls, draw, readout,
                         title="Softmax, cross-entropy and the gradient at the output", figsize=(8.0, 3.0),
                         layout=None,
                         help="Drag a logit: ŷ, the loss and the gradient change. The red bars are the true class ℓ. "
                              "The gradient bars always add up to 0, and the red one is ŷℓ − 1.")
