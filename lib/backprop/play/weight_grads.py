"""Lesson 07's play: a layer's weight gradient as a heat map, the outer product grad_a_k h_{k-1}^T.

The panel shows, for the lecture network on the input x = (x_1, x_2, x_3) and the true
class l, the matrix grad_W_k (heat map, fixed colour scale), with grad_a_k as a column on
its left and h_{k-1} as a row on top: every cell is its row's number times its column's.
"""
from __future__ import annotations

import numpy as np

from .. import _validate, lecture, widgets
from ..diagrams import network_figure, positions
from ..figures import figure
from ..network import backward, forward
from ..weight_grads import largest_entry, layer_weight_grad

VMAX_W = 0.5
"""The heat map's fixed colour scale: -0.5 (blue) .. +0.5 (red); |entries| stay below it for inputs in [-3, 3]."""
VMAX_A = 1.0
"""Fixed colour scale of the grad_a_k column."""
VMAX_H = 3.0
"""Fixed colour scale of the h_{k-1} row (inputs go from -3 to 3; hidden h lie in (0, 1))."""


def layer_gradient_state(k: int, x1: float, x2: float, x3: float, label: int = 2) -> dict:
    """The lecture network's gradient for layer ``k`` on x = (x1, x2, x3) with true class ``label`` (0-based).

    Returns a dict: 'k', 'label', 'x' (3,), 'grad_W' (3, 3) = grad_W_k, 'grad_a' (3,) = grad_a_k,
    'h_prev' (3,) = h_{k-1}, 'loss' (float), 'largest' ((name 'W_kij', i, j, value) of the entry
    largest in absolute value).  grad_W is the outer product of grad_a and h_prev.
    """
    net = lecture.network()
    k = _validate.positive_int(k, "k (the layer)")
    if k > net.L:
        raise ValueError(f"k must be a layer 1..{net.L}; got {k!r}")
    x = np.array([_validate.real(v, n) for v, n in ((x1, "x1"), (x2, "x2"), (x3, "x3"))])
    fwd = forward(net, x)
    g = backward(net, fwd, label)
    return {"k": k, "label": label, "x": x, "grad_W": g.grad_W[k], "grad_a": g.grad_a[k],
            "h_prev": fwd.h[k - 1], "loss": g.loss, "largest": largest_entry(g.grad_W[k], k)}


def _h_name(k: int, j: int) -> str:
    return widgets.symbol(f"x_{j}") if k == 1 else widgets.symbol(f"h_{k - 1}{j}")


def draw(fig, d, art):
    """Heat map of grad_W_k with grad_a_k on the left and h_{k-1} on top (all fixed colour scales)."""
    k = d["k"]
    n_out, n_in = d["grad_W"].shape
    if not art:
        cmap = "coolwarm"
        ax = fig.add_axes((0.25, 0.06, 0.42, 0.62))
        art["im"] = ax.imshow(d["grad_W"], cmap=cmap, vmin=-VMAX_W, vmax=VMAX_W, aspect="auto")
        ax.set_xticks([]), ax.set_yticks([])
        art["cells"] = [[ax.text(j, i, "", ha="center", va="center", fontsize=8.5) for j in range(n_in)]
                        for i in range(n_out)]
        axa = fig.add_axes((0.09, 0.06, 0.14, 0.62))
        art["im_a"] = axa.imshow(d["grad_a"][:, None], cmap=cmap, vmin=-VMAX_A, vmax=VMAX_A, aspect="auto")
        axa.set_xticks([]), axa.set_yticks([])
        art["a_text"] = [axa.text(0, i, "", ha="center", va="center", fontsize=8) for i in range(n_out)]
        axh = fig.add_axes((0.25, 0.70, 0.42, 0.62 / 3))
        art["im_h"] = axh.imshow(d["h_prev"][None, :], cmap=cmap, vmin=-VMAX_H, vmax=VMAX_H, aspect="auto")
        axh.set_xticks([]), axh.set_yticks([])
        art["h_text"] = [axh.text(j, 0, "", ha="center", va="center", fontsize=8) for j in range(n_in)]
        art["title_h"] = fig.text(0.46, 0.93, "", ha="center", va="bottom", fontsize=9)
        art["title_a"] = fig.text(0.16, 0.70, "", ha="center", va="bottom", fontsize=9)
        cax = fig.add_axes((0.70, 0.06, 0.025, 0.62))
        fig.colorbar(art["im"], cax=cax)
        cax.tick_params(labelsize=7)
        art["label"] = fig.text(0.77, 0.60, "", ha="left", va="center", fontsize=9)
        art["max"] = fig.text(0.77, 0.40, "", ha="left", va="center", fontsize=9)
        fig.text(0.77, 0.18, "colour: fixed scale\n−0.5 (blue) … +0.5 (red)", fontsize=7.5, color="#555",
                 ha="left", va="center")
        art["dynamic"] = ([art["im"], art["im_a"], art["im_h"], art["title_h"], art["title_a"], art["label"],
                           art["max"]] + [t for row in art["cells"] for t in row] + art["a_text"] + art["h_text"])
    art["im"].set_data(d["grad_W"])
    art["im_a"].set_data(d["grad_a"][:, None])
    art["im_h"].set_data(d["h_prev"][None, :])
    for i in range(n_out):
        for j in range(n_in):
            art["cells"][i][j].set_text(f"{widgets.symbol(f'W_{k}{i + 1}{j + 1}')}\n{d['grad_W'][i, j]:+.3f}")
        art["a_text"][i].set_text(f"{d['grad_a'][i]:+.3f}")
    for j in range(n_in):
        art["h_text"][j].set_text(f"{_h_name(k, j + 1)}\n{d['h_prev'][j]:+.2f}")
    art["title_h"].set_text(f"$h_{{{k - 1}}}^\\top$ (row)" + (" = $x^\\top$" if k == 1 else ""))
    art["title_a"].set_text(f"$\\nabla_{{a_{k}}}$ (column)")
    art["label"].set_text(f"$\\nabla_{{W_{k}}} = \\nabla_{{a_{k}}}\\, h_{{{k - 1}}}^\\top$\ntrue class ℓ = {d['label'] + 1}")
    name, i, j, v = d["largest"]
    art["max"].set_text(f"largest |entry|:\n$\\partial \\mathcal{{L}}/\\partial W_{{{k}{i}{j}}}$ = {v:+.4f}")


def readout(d) -> str:
    """The largest entry of grad_W_k, with its name W_kij and the product it comes from; the loss."""
    name, i, j, v = d["largest"]
    k = d["k"]
    hname = widgets.symbol(f"x_{j}") if k == 1 else widgets.symbol(f"h_{k - 1}{j}")
    return (f"largest |entry| of ∇{widgets.symbol(f'W_{k}')}: <b>∂ℒ/∂{widgets.symbol(name)} = {v:+.4f}</b>"
            f" = ∇{widgets.symbol(f'a_{k}{i}')} · {hname} = ({d['grad_a'][i - 1]:+.4f}) · ({d['h_prev'][j - 1]:+.4f})"
            f"&nbsp;&nbsp; loss = {d['loss']:.4f}")


def panel() -> widgets.Panel:
    """Dropdowns for the layer k and the true class l, sliders on the three inputs of the lecture example."""
    x, label = lecture.example()
    controls = {
        "k": widgets.dropdown("k", {"1 (W₁: input → h₁)": 1, "2 (W₂: h₁ → h₂)": 2, "3 (W₃: h₂ → output)": 3},
                              value=1, label="layer k", tooltip="which layer's weight gradient to show"),
        "label": widgets.dropdown("ell", {"ℓ = 1": 0, "ℓ = 2": 1, "ℓ = 3": 2}, value=label, label="true class",
                                  tooltip="the true class ℓ of the example"),
        "x1": widgets.slider("x_1", x[0], -3, 3, 0.05, tooltip="first input"),
        "x2": widgets.slider("x_2", x[1], -3, 3, 0.05, tooltip="second input"),
        "x3": widgets.slider("x_3", x[2], -3, 3, 0.05, tooltip="third input"),
    }
    return widgets.Panel(lambda **v: layer_gradient_state(**v), controls, draw, readout,
                         title="The weight gradient of one layer: an outer product", figsize=(7.6, 3.6),
                         layout=None,
                         help="Each cell ∂ℒ/∂W_kij is the number at the left of its row (∇a_ki) times the number "
                              "above its column (h_k−1,j). Set x₁ = 0 with layer 1: its whole column vanishes.")


@figure("07_one_weight.svg")
def one_weight_diagram():
    """The lecture network with W_213 highlighted: h_13 flows forward into a_21, grad_a_21 flows back."""
    fig = network_figure(lecture.SIZES, highlight=[(2, 1, 3)], label_weights=False)
    ax = fig.axes[0]
    pos = positions(lecture.SIZES)
    (x0, y0), (x1, y1) = pos[1][2], pos[2][0]
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    ax.text(xm + 0.25, ym - 0.15, "$W_{213}$", fontsize=11, fontweight="bold", ha="left", va="top",
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none"), zorder=6)
    ax.annotate("forward: $h_{13}$", xy=(x0 + 0.35, y0), xytext=(x0 - 0.4, y0 - 0.85), fontsize=9,
                color="#2a6f2a", ha="center", arrowprops=dict(arrowstyle="->", color="#2a6f2a"), zorder=7)
    ax.annotate("backward: $\\nabla_{a_{21}}$", xy=(x1 + 0.3, y1 + 0.1), xytext=(x1 + 1.2, y1 + 0.45), fontsize=9,
                color="#b03a2e", ha="center", arrowprops=dict(arrowstyle="->", color="#b03a2e"), zorder=7)
    ax.text(2.4 * 1.5, min(p[:, 1].min() for p in pos) - 0.75,
            "$\\partial \\mathcal{L} / \\partial W_{213} = \\nabla_{a_{21}} \\cdot h_{13}$", ha="center", fontsize=11)
    return fig
