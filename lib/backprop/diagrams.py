"""Network diagrams in the lecture's notation, drawn with matplotlib (lesson 00 on).

:func:`draw_network` draws layers of neurons left to right with the labels
x_j (= h_0j), h_kj, y_hat_i and, on every edge, the weight's name W_kij
(layer k, to neuron i, from input j).  Edges can be coloured by a value (for
example a gradient) and some can be highlighted (a path through the network).
"""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from . import _validate
from .widgets import symbol


def neuron_label(k: int, i: int, L: int) -> str:
    """Label (matplotlib mathtext) of neuron i (from 1) of layer k: x_i for k = 0, ŷ_i for k = L, else h_ki."""
    k = _validate.positive_int(k, "k (the layer)", minimum=0)
    i = _validate.positive_int(i, "i (the neuron, from 1)")
    L = _validate.positive_int(L, "L (the number of layers)")
    if k > L:
        raise ValueError(f"k must be a layer 0..L = 0..{L}; got {k}")
    if k == 0:
        return f"$x_{{{i}}}$"
    if k == L:
        return f"$\\hat{{y}}_{{{i}}}$"
    return f"$h_{{{k}{i}}}$"


def weight_label(k: int, i: int, j: int) -> str:
    """'$W_{123}$' (mathtext) for W_kij (1-based)."""
    k, i, j = (_validate.positive_int(v, n) for v, n in ((k, "k"), (i, "i"), (j, "j")))
    return f"$W_{{{k}{i}{j}}}$"


def positions(sizes) -> list[np.ndarray]:
    """Centres of the neurons: list over layers k of an (n_k, 2) array of (x, y)."""
    sizes = _validate.sizes(sizes)
    out = []
    for k, n in enumerate(sizes):
        ys = (np.arange(n)[::-1] - (n - 1) / 2.0) * 1.5
        out.append(np.column_stack([np.full(n, 2.4 * k), ys]))
    return out


def _edges(highlight, sizes) -> set:
    """Check ``highlight``: an iterable of edges (k, i, j), 1-based, that exist in a network of ``sizes``."""
    if isinstance(highlight, (str, bytes)) or not hasattr(highlight, "__iter__"):
        raise TypeError(f"highlight must be a list of edges (k, i, j); got {_validate.describe(highlight)}")
    out = set()
    for e in highlight:
        if not isinstance(e, (tuple, list)) or len(e) != 3:
            raise TypeError(f"highlight must be a list of edges (k, i, j), three integers each; got the item {e!r}")
        k, i, j = (_validate.positive_int(v, f"highlight edge {tuple(e)!r}") for v in e)
        if k > len(sizes) - 1 or i > sizes[k] or j > sizes[k - 1]:
            raise ValueError(f"highlight edge (k, i, j) must have k in 1..{len(sizes) - 1}, i in 1..n_k, j in 1..n_(k-1) "
                             f"for sizes {sizes}; got {tuple(e)}")
        out.add((k, i, j))
    return out


def _edge_values(edge_values, sizes):
    """Check ``edge_values``: None or a dict k -> float array of shape (n_k, n_{k-1})."""
    if edge_values is None:
        return None
    if not isinstance(edge_values, dict):
        raise TypeError(f"edge_values must be a dict k -> array of shape (n_k, n_k-1), or None; got {_validate.describe(edge_values)}")
    out = {}
    for k, v in edge_values.items():
        k = _validate.positive_int(k, "edge_values key k")
        if k > len(sizes) - 1:
            raise ValueError(f"edge_values keys must be layers 1..{len(sizes) - 1}; got {k}")
        out[k] = _validate.float_array(v, f"edge_values[{k}]", shape=(sizes[k], sizes[k - 1]))
    return out


def draw_network(ax, sizes, *, edge_values=None, highlight=(), label_weights: bool = True,
                 weight_font: float = 8, cmap: str = "coolwarm", title: str | None = None):
    """Draw the network with layer sizes ``sizes`` = [n_0, ..., n_L] on the axes ``ax``.

    ``edge_values``: optional dict k -> (n_k, n_{k-1}) array that colours the edges
    of layer k (blue negative, red positive, symmetric scale).  ``highlight``:
    edges (k, i, j), 1-based, drawn thick and black, all others pale.
    ``label_weights``: write W_kij at every edge (only for small networks).
    Returns ``{(k, i, j): Line2D}`` so callers can recolour edges in place.
    """
    sizes = _validate.sizes(sizes)
    L = len(sizes) - 1
    pos = positions(sizes)
    highlight = _edges(highlight, sizes)
    edge_values = _edge_values(edge_values, sizes)
    label_weights = _validate.flag(label_weights, "label_weights")
    weight_font = _validate.positive_float(weight_font, "weight_font")
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a string or None; got {_validate.describe(title)}")
    import matplotlib

    if not isinstance(cmap, str) or cmap not in matplotlib.colormaps:
        raise ValueError(f"cmap must be the name of a matplotlib colormap such as 'coolwarm'; got {_validate.describe(cmap)}")
    vmax = None
    if edge_values:
        vmax = max(float(np.max(np.abs(v))) for v in edge_values.values()) or 1.0
    import matplotlib

    cm = matplotlib.colormaps[cmap]
    lines = {}
    for k in range(1, L + 1):
        for i in range(sizes[k]):
            for j in range(sizes[k - 1]):
                (x0, y0), (x1, y1) = pos[k - 1][j], pos[k][i]
                key = (k, i + 1, j + 1)
                colour, width, alpha = "0.55", 1.0, 0.9
                if edge_values and k in edge_values:
                    v = float(edge_values[k][i, j])
                    colour, width = cm(0.5 + 0.5 * v / vmax), 1.0 + 3.0 * abs(v) / vmax
                if highlight:
                    colour, width, alpha = ("black", 2.4, 1.0) if key in highlight else ("0.8", 0.8, 0.8)
                (line,) = ax.plot([x0, x1], [y0, y1], color=colour, lw=width, alpha=alpha, zorder=1,
                                  solid_capstyle="round")
                lines[key] = line
                if label_weights:
                    t = 0.28 + 0.44 * ((i + j) % 3) / 2.0   # stagger labels so they do not overlap
                    xm, ym = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                    ax.text(xm, ym, weight_label(k, i + 1, j + 1), fontsize=weight_font, ha="center", va="center",
                            zorder=3, bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.85))
    for k, p in enumerate(pos):
        face = "#dbe9f6" if k == 0 else ("#fde0c5" if k == L else "#e2f0d9")
        for i, (x, y) in enumerate(p):
            ax.add_patch(matplotlib.patches.Circle((x, y), 0.32, fc=face, ec="black", lw=1.0, zorder=4))
            ax.text(x, y, neuron_label(k, i + 1, L), ha="center", va="center", fontsize=11, zorder=5)
    for k in range(L + 1):
        name = "input $x = h_0$" if k == 0 else ("output $\\hat{y}$" if k == L else f"hidden $h_{k}$")
        ax.text(pos[k][0, 0], pos[k][:, 1].max() + 0.55, name, ha="center", va="bottom", fontsize=8.5)
    ax.set_xlim(-0.8, 2.4 * L + 0.8)
    ax.set_ylim(min(p[:, 1].min() for p in pos) - 0.95, max(p[:, 1].max() for p in pos) + 0.95)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=10)
    return lines


def network_figure(sizes, **kwargs) -> Figure:
    """A new Figure holding :func:`draw_network` (used by ``make figures``)."""
    sizes = _validate.sizes(sizes)
    L = len(sizes) - 1
    fig = Figure(figsize=(2.0 * L + 1.8, 1.1 * max(sizes) + 1.2), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    draw_network(ax, sizes, **kwargs)
    return fig
