"""Lesson 00's play: move the inputs and one weight, watch a_k, h_k and y_hat change."""
from __future__ import annotations

import numpy as np

from .. import _validate, lecture, widgets
from ..diagrams import draw_network, network_figure, neuron_label
from ..figures import figure
from ..network import forward
from ..losses import cross_entropy


def forward_state(x1: float, x2: float, x3: float, W_111: float, label: int = 2) -> dict:
    """The lecture network's forward pass for x = (x1, x2, x3) with W_111 set to ``W_111``.

    Returns a dict: 'x' (3,), 'a' and 'h' (lists indexed by k, each (3,)),
    'y_hat' (3,), 'loss' (float, -log y_hat_l), 'label' (int), 'net' (the Network used).
    """
    x1, x2, x3, W_111 = (_validate.real(v, n) for v, n in ((x1, "x1"), (x2, "x2"), (x3, "x3"), (W_111, "W_111")))
    net = lecture.network()
    net.W[1][0, 0] = W_111
    x = np.array([x1, x2, x3], dtype=float)
    fwd = forward(net, x)
    return {"x": x, "a": fwd.a, "h": fwd.h, "y_hat": fwd.y_hat,
            "loss": cross_entropy(fwd.a[net.L], label), "label": label, "net": net}


def draw(fig, d, art):
    """Left: the network, each neuron showing its value; right: the output distribution y_hat."""
    net = d["net"]
    if not art:
        ax = fig.add_axes((0.0, 0.02, 0.68, 0.96))
        art["lines"] = draw_network(ax, net.sizes, label_weights=False, highlight=[(1, 1, 1)])
        art["values"] = []
        from ..diagrams import positions
        for k, p in enumerate(positions(net.sizes)):
            for i, (x, y) in enumerate(p):
                art["values"].append((k, i, ax.text(x, y - 0.38, "", ha="center", va="top", fontsize=7, color="#333")))
        ax.text(1.2, 1.75, "$W_{111}$", fontsize=9, ha="center", fontweight="bold")
        bx = fig.add_axes((0.75, 0.18, 0.23, 0.62))
        art["bars"] = bx.bar([1, 2, 3], d["y_hat"], color=["#999", "#999", "#999"])
        bx.set_ylim(0, 1)
        bx.set_xticks([1, 2, 3], ["ŷ₁", "ŷ₂", "ŷ₃"])
        bx.set_title("output ŷ", fontsize=9)
        art["bars"][d["label"]].set_color("#d62728")
        art["loss"] = bx.text(2, 0.92, "", ha="center", fontsize=8.5)
        art["dynamic"] = [t for _, _, t in art["values"]] + list(art["bars"]) + [art["loss"]]
    for k, i, t in art["values"]:
        if k == 0:
            t.set_text(f"{d['x'][i]:+.2f}")
        else:
            t.set_text(f"a={d['a'][k][i]:+.2f}" + (f"\nh={d['h'][k][i]:.2f}" if k < net.L else ""))
    for bar, v in zip(art["bars"], d["y_hat"]):
        bar.set_height(v)
    art["loss"].set_text(f"loss ℒ = {d['loss']:.3f}")


def readout(d) -> str:
    """The numbers under the figure: y_hat and the loss."""
    y = ", ".join(f"{v:.4f}" for v in d["y_hat"])
    return f"ŷ = ({y})&nbsp;&nbsp; true class ℓ = {d['label'] + 1} (label = {d['label']} in code)&nbsp;&nbsp; <b>loss ℒ = −log ŷ<sub>ℓ</sub> = {d['loss']:.4f}</b>"


def panel() -> widgets.Panel:
    """Sliders on x1, x2, x3 and W_111 around the lecture example."""
    x, _ = lecture.example()
    net = lecture.network()
    controls = {
        "x1": widgets.slider("x_1", x[0], -3, 3, 0.05, tooltip="first input"),
        "x2": widgets.slider("x_2", x[1], -3, 3, 0.05, tooltip="second input"),
        "x3": widgets.slider("x_3", x[2], -3, 3, 0.05, tooltip="third input"),
        "W_111": widgets.slider("W_111", float(net.W[1][0, 0]), -3, 3, 0.01,
                                tooltip="weight of layer 1 from input 1 to neuron 1"),
    }
    return widgets.Panel(lambda **v: forward_state(**v), controls, draw, readout,
                         title="The forward pass of the lecture network", figsize=(8.0, 3.6), layout=None,
                         help="Drag a slider: every a and h downstream of it changes, and so does ŷ. "
                              "The red bar is the true class; the loss is −log of its height.")


@figure("00_network.svg")
def network_diagram():
    """The lecture network with every weight labelled W_kij."""
    return network_figure(lecture.SIZES)
