"""Lesson 03's play: a thin chain of logistic neurons; each local derivative as a bar,
and every weight's gradient on a log scale.  Also the figure of the chain with its
local derivatives labelled (03_thin_chain.svg)."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from .. import _validate, chain, widgets
from ..figures import figure

MAX_DEPTH = 8
TARGET = 0.0
"""The target y of the panel's chain (the panel's loss is 1/2 (h_L - y)^2)."""


def chain_state(L: int, W_111: float, W_rest: float, x: float) -> dict:
    """The panel's numbers for a chain of depth ``L`` (1..8): W_111 = ``W_111``, every
    other W_k11 = ``W_rest``, input ``x``, target y = 0, zero biases.

    Returns a dict: 'L' (int), 'w' (L,), 'chain' (:class:`backprop.chain.ThinChain`),
    'g_prime' (L,) = g'(a_k), 'dL_dh' = h_L - y, 'grads' (L,) = dL/dW_k11 by reuse,
    'n_naive' and 'n_reuse' (multiplications of each method).
    """
    L = _validate.positive_int(L, "L (the depth)")
    if L > MAX_DEPTH:
        raise ValueError(f"L must be a depth 1..{MAX_DEPTH} for this panel; got {L}")
    w = np.full(L, _validate.real(W_rest, "W_rest"))
    w[0] = _validate.real(W_111, "W_111")
    c = chain.forward(w, x=_validate.real(x, "x"), y=TARGET)
    grads, n_reuse, _ = chain.reuse_gradients(c)
    _, n_naive = chain.naive_gradients(c)
    return {"L": L, "w": w, "chain": c, "g_prime": np.array(c.g_prime[1:]), "dL_dh": c.h[L] - c.y,
            "grads": grads, "n_naive": n_naive, "n_reuse": n_reuse}


FLOOR = 1e-12


def draw(fig, d, art):
    """Left: |local factors| per layer (g'(a_k) orange, |W_k11| blue, |∂L/∂h_L| grey), log scale;
    right: |dL/dW_k11| for every layer k, log scale."""
    L = d["L"]
    ks = np.arange(1, MAX_DEPTH + 1)
    if not art:
        ax = fig.add_axes((0.08, 0.17, 0.42, 0.7))
        art["gp"] = ax.bar(ks - 0.2, np.ones(MAX_DEPTH), width=0.4, bottom=FLOOR, color="#ff7f0e", label="$g'(a_k)$")
        art["W"] = ax.bar(ks + 0.2, np.ones(MAX_DEPTH), width=0.4, bottom=FLOOR, color="#1f77b4", label="$|W_{k11}|$")
        (art["dLdh"],) = ax.bar([MAX_DEPTH + 1.2], [1.0], width=0.5, bottom=FLOOR, color="0.5", label=r"$|\partial \mathcal{L}/\partial h_L|$")
        ax.axhline(0.25, color="#ff7f0e", ls="--", lw=0.8, label="max $g'$ = 1/4")
        ax.axhline(1.0, color="0.4", ls=":", lw=0.8)
        ax.set_yscale("log")
        ax.set_ylim(1e-3, 100)                      # room above the tallest |W| (6) for the legend
        ax.set_xlim(0.4, MAX_DEPTH + 1.6)
        ax.set_xticks(list(ks) + [MAX_DEPTH + 1.2], [str(k) for k in ks] + ["loss"], fontsize=8)
        ax.set_xlabel("layer k", fontsize=8)
        ax.set_title("local factors (magnitude)", fontsize=9)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=7, loc="upper center", ncol=2, frameon=False)
        bx = fig.add_axes((0.6, 0.17, 0.37, 0.7))
        art["g"] = bx.bar(ks, np.ones(MAX_DEPTH), width=0.6, bottom=FLOOR, color="#2ca02c")
        bx.set_yscale("log")
        bx.set_ylim(1e-10, 1)
        bx.set_xlim(0.4, MAX_DEPTH + 0.6)
        bx.set_xticks(ks, [str(k) for k in ks], fontsize=8)
        bx.set_xlabel("weight $W_{k11}$ of layer k", fontsize=8)
        bx.set_title(r"$|\partial \mathcal{L}/\partial W_{k11}|$ for each weight", fontsize=9)
        bx.tick_params(labelsize=7)
        art["values"] = [bx.text(k, 2e-10, "", ha="center", va="bottom", fontsize=7.5, rotation=90, color="black") for k in ks]
        art["dynamic"] = list(art["gp"]) + list(art["W"]) + [art["dLdh"]] + list(art["g"]) + art["values"]
    for k in range(1, MAX_DEPTH + 1):
        on = k <= L
        for bars, value in ((art["gp"], d["g_prime"][k - 1] if on else 0.0),
                            (art["W"], abs(d["w"][k - 1]) if on and k > 1 else 0.0),
                            (art["g"], abs(d["grads"][k - 1]) if on else 0.0)):
            bars[k - 1].set_visible(on and value > 0)
            bars[k - 1].set_height(max(value, FLOOR) - FLOOR)
        art["values"][k - 1].set_text(f"{d['grads'][k - 1]:+.1e}" if on else "")
    art["dLdh"].set_height(max(abs(d["dL_dh"]), FLOOR) - FLOOR)


def readout(d) -> str:
    """The numbers under the figure: loss, dℒ/dW_111 and dℒ/dW_L11, and the work of both methods."""
    L, g = d["L"], d["grads"]
    return (f"L = {L}&nbsp;&nbsp; h<sub>L</sub> = {d['chain'].h[L]:.4f}&nbsp;&nbsp; loss ℒ = ½(h<sub>L</sub> − y)² = "
            f"{d['chain'].loss:.4f}<br><b>∂ℒ/∂W₁₁₁ = {g[0]:.3e}</b>&nbsp;&nbsp; "
            f"<span style='white-space:nowrap'>∂ℒ/∂W<sub>{L}11</sub> = {g[-1]:.3e}</span><br>"
            f"multiplications for all {L} gradients: from scratch {d['n_naive']}, reusing {d['n_reuse']}")


def panel() -> widgets.Panel:
    """Sliders: depth L (1..8), W_111, the other weights W_k11 (k >= 2, one common value), the input x."""
    controls = {
        "L": widgets.int_slider("L", 4, 1, MAX_DEPTH, tooltip="depth: the number of layers (one neuron each)"),
        "W_111": widgets.slider("W_111", 1.0, -6, 6, 0.1, tooltip="the weight of layer 1"),
        "W_rest": widgets.slider("W_rest", 1.0, -6, 6, 0.1, label="Wₖ₁₁, k≥2",
                                 tooltip="one common value for the weights of layers 2..L"),
        "x": widgets.slider("x", 1.0, -3, 3, 0.1, tooltip="the input h_0 = x"),
    }
    return widgets.Panel(chain_state, controls, draw, readout, title="A deep, thin chain: local factors and gradients",
                         figsize=(8.0, 3.4), dpi=100, layout=None,
                         help="∂ℒ/∂Wₖ₁₁ multiplies the orange bars of layers k..L, the blue bars of layers k+1..L, "
                              "the grey bar and hₖ₋₁. Add layers and watch ∂ℒ/∂W₁₁₁ fall (orange bars are at most ¼).")


# ---------------------------------------------------------------------- figure
def chain_figure(L: int = 3) -> Figure:
    """The thin chain x -> a_1 -> h_1 -> ... -> a_L -> h_L -> loss, every arrow labelled with its local derivative."""
    L = _validate.positive_int(L, "L")
    nodes = ["$x = h_0$"]
    for k in range(1, L + 1):
        nodes += [f"$a_{k}$", f"$h_{k}$"]
    nodes.append(r"$\mathcal{L} = \frac{1}{2}(h_%d - y)^2$" % L)
    n = len(nodes)
    fig = Figure(figsize=(1.45 * n + 0.6, 2.9), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    xs = np.arange(n) * 1.45
    for i, (xpos, name) in enumerate(zip(xs, nodes)):
        face = "#dbe9f6" if i == 0 else ("#fde0c5" if i == n - 1 else ("#e2f0d9" if i % 2 == 0 else "#f2f2f2"))
        w = 1.35 if i == n - 1 else 0.8
        ax.add_patch(FancyBboxPatch((xpos - w / 2, -0.3), w, 0.6, boxstyle="round,pad=0.05",
                                                                      fc=face, ec="black", lw=1.0, zorder=3))
        ax.text(xpos, 0, name, ha="center", va="center", fontsize=11 if i < n - 1 else 9, zorder=4)
    for i in range(n - 1):
        x0, x1 = xs[i] + 0.42, xs[i + 1] - (0.72 if i + 1 == n - 1 else 0.42)
        ax.add_patch(FancyArrowPatch((x0, 0), (x1, 0), arrowstyle="-|>", mutation_scale=12, lw=1.2, color="black", zorder=2))
        if i == n - 2:
            lab = r"$\frac{\partial \mathcal{L}}{\partial h_%d} = h_%d - y$" % (L, L)
        elif i % 2 == 0:          # h_{k-1} -> a_k
            k = i // 2 + 1
            lab = r"$\frac{\partial a_%d}{\partial h_%d} = W_{%d11}$" % (k, k - 1, k)
        else:                     # a_k -> h_k
            k = (i + 1) // 2
            lab = r"$\frac{\partial h_%d}{\partial a_%d} = g'(a_%d)$" % (k, k, k)
        ax.text((xs[i] + xs[i + 1]) / 2, 0.42 + 0.55 * (i % 2), lab, ha="center", va="bottom", fontsize=12, color="#1f4e79")
    # the weight W_111 feeding a_1 from below
    ax.text(xs[1], -1.25, "$W_{111}$", ha="center", va="center", fontsize=11,
            bbox=dict(boxstyle="round,pad=0.25", fc="white", ec="#b00"))
    ax.add_patch(FancyArrowPatch((xs[1], -1.05), (xs[1], -0.36), arrowstyle="-|>", mutation_scale=12, lw=1.2, color="#b00"))
    ax.text(xs[1] + 0.12, -0.72, r"$\frac{\partial a_1}{\partial W_{111}} = h_0 = x$", ha="left", va="center", fontsize=12, color="#b00")
    ax.text(xs[-1], -1.25, r"$\frac{\partial \mathcal{L}}{\partial W_{111}}$ = the product of every label on the way", ha="right",
            va="center", fontsize=11)
    ax.set_xlim(xs[0] - 0.7, xs[-1] + 0.8)
    ax.set_ylim(-1.6, 1.75)
    ax.axis("off")
    return fig


@figure("03_thin_chain.svg")
def thin_chain_figure():
    """A chain of depth 3 with every local derivative labelled."""
    return chain_figure(3)
