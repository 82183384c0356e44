"""One way to make an interactive figure, used by every lesson's "play" section.

A :class:`Panel` wires controls (sliders, dropdowns) to two plain functions:

    compute(**values) -> data        the maths, a library function tested without a browser
    draw(fig, data, art)             draws ``data`` on the panel's one matplotlib Figure
    readout(data) -> str             a line of text (HTML) with the numbers, e.g. the loss

On every change the panel calls ``compute`` with the controls' values, redraws
its single Figure (never a new one per move) and shows it as a PNG in a
fixed-size image, so the page neither jumps nor flickers.

``draw`` builds its axes and artists on the first call, when the dict ``art``
is empty, keeps them in ``art``, and on later calls only updates their data
(``art["line"].set_ydata(...)``): that keeps a move well under 50 ms.  Use
fixed axis limits where you can, so that the picture does not rescale under the
learner's hand.  The layout is computed once (constrained) and then frozen.
If ``draw`` also lists the artists that change in ``art["dynamic"]``, the
panel draws everything else once and on each move redraws only those
(blitting): a figure with many static labels then updates in a few ms.  Cheap panels update
while a slider is dragged; expensive ones (training) update on a button press.

``panel.data`` is what is displayed now; ``panel.set(name=value)`` moves the
controls like a learner would (observers fire synchronously) and re-raises any
error the callback raised, so tests fail on a broken callback instead of
passing silently.  In the notebook, an error is shown in red under the figure.
"""
from __future__ import annotations

import html
import io
import logging
import time

import ipywidgets as W
import numpy as np
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import _validate

log = logging.getLogger("backprop.widgets")


class UnknownControl(KeyError, ValueError):
    """A control name the panel does not have (a KeyError, and a ValueError like every other bad input)."""


def _name(name) -> str:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string such as 'W_111' or 'eta'; got {_validate.describe(name)}")
    return name


def _numbers(name, value, lo, hi, step, *, integer: bool, lo_name="min", hi_name="max"):
    """A slider's numbers: finite reals (ints for an IntSlider), lo < hi, step > 0."""
    if integer:
        check = lambda v, n: _validate.positive_int(v, f"slider {name}: {n}", minimum=-2**53)
    else:
        check = lambda v, n: _validate.real(v, f"slider {name}: {n}")
    value, lo, hi = check(value, "value"), check(lo, lo_name), check(hi, hi_name)
    if not lo < hi:
        raise ValueError(f"slider {name}: needs {lo_name} < {hi_name}; got {lo_name} = {lo}, {hi_name} = {hi}")
    step = _validate.positive_int(step, f"slider {name}: step") if integer else _validate.positive_float(step, f"slider {name}: step")
    return value, lo, hi, step

_SUB = str.maketrans("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ")
_GREEK = {"eta": "η", "delta": "δ", "epsilon": "ε", "eps": "ε", "ell": "ℓ", "l": "ℓ", "sigma": "σ", "lambda": "λ", "alpha": "α", "beta": "β"}


def symbol(name: str) -> str:
    """The lecture's symbol for a code name: 'W_111' -> 'W₁₁₁', 'a_2' -> 'a₂', 'y_hat' -> 'ŷ', 'eta' -> 'η'.

    ``name``: str -> str (unicode, so it works in widget descriptions and plots alike).
    """
    _name(name)
    if name in _GREEK:
        return _GREEK[name]
    if name == "y_hat":
        return "ŷ"
    if name.startswith("y_hat_"):
        return "ŷ" + name[6:].translate(_SUB)
    if "_" in name:
        head, sub = name.split("_", 1)
        head = _GREEK.get(head, head)
        return head + sub.replace("_", "").translate(_SUB)
    return name


def _check_grid(name: str, value: float, lo: float, hi: float, step: float, what: str = "value") -> None:
    """A slider's start must be in range and on its grid lo + k*step, or the browser snaps it
    to a neighbour and the live panel shows a different state from the lesson's text."""
    if not lo <= value <= hi:
        raise ValueError(f"slider {name}: the start {value} is outside its range [{lo}, {hi}]")
    k = (value - lo) / step
    if abs(k - round(k)) > 1e-6:
        snapped = lo + round(k) * step
        raise ValueError(
            f"slider {name}: the start {what} {value} is not on its grid {lo} + k*{step}; a browser would snap it "
            f"to {snapped:.6g} and show a different state from the text. Use a step that divides it (e.g. 0.01).")


def _style(label: str):
    """(style, layout) giving the description room for the whole label, so it is never cut to 'activati…'."""
    em = max(5.0, 0.62 * len(label) + 1.0)
    return {"description_width": f"{em:.1f}em"}, W.Layout(width=f"{21 + em:.1f}em")


def slider(name: str, value: float, min: float, max: float, step: float = 0.01, *, label: str | None = None,
           fmt: str = ".2f", continuous: bool = True, tooltip: str = "") -> W.FloatSlider:
    """A FloatSlider labelled with the lecture's symbol for ``name`` (see :func:`symbol`).

    ``continuous=False`` updates only when the slider is released (for slow callbacks).
    The start ``value`` must lie on the grid ``min + k*step`` (checked).
    """
    value, min, max, step = _numbers(_name(name), value, min, max, step, integer=False)
    _check_grid(name, value, min, max, step)
    style, layout = _style(label or symbol(name))
    return W.FloatSlider(
        value=value, min=min, max=max, step=step, description=label or symbol(name),
        readout_format=fmt, continuous_update=continuous, tooltip=tooltip, style=style, layout=layout,
    )


def int_slider(name: str, value: int, min: int, max: int, step: int = 1, *, label: str | None = None,
               continuous: bool = True, tooltip: str = "") -> W.IntSlider:
    """An IntSlider labelled like :func:`slider`."""
    value, min, max, step = _numbers(_name(name), value, min, max, step, integer=True)
    _check_grid(name, value, min, max, step)
    style, layout = _style(label or symbol(name))
    return W.IntSlider(
        value=value, min=min, max=max, step=step, description=label or symbol(name),
        continuous_update=continuous, tooltip=tooltip, style=style, layout=layout,
    )


def log_slider(name: str, value: float, min_exp: float, max_exp: float, step: float = 0.1, *, label: str | None = None,
               fmt: str = ".1e", continuous: bool = True, tooltip: str = "") -> W.FloatLogSlider:
    """A FloatLogSlider from 10**min_exp to 10**max_exp (learning rates, nudge sizes); the start's exponent must be on the grid."""
    import math

    _name(name)
    value = _validate.positive_float(value, f"slider {name}: value")
    _, min_exp, max_exp, step = _numbers(name, 0.0, min_exp, max_exp, step, integer=False, lo_name="min_exp", hi_name="max_exp")
    if max(abs(min_exp), abs(max_exp)) > 300:
        raise ValueError(f"slider {name}: the exponents must lie in [-300, 300] (10**x must be a float); got {min_exp}, {max_exp}")
    _check_grid(name, math.log10(value), min_exp, max_exp, step, what="exponent")
    style, layout = _style(label or symbol(name))
    return W.FloatLogSlider(
        value=value, base=10, min=min_exp, max=max_exp, step=step, description=label or symbol(name),
        readout_format=fmt, continuous_update=continuous, tooltip=tooltip, style=style, layout=layout,
    )


def dropdown(name: str, options, value=None, *, label: str | None = None, tooltip: str = "") -> W.Dropdown:
    """A Dropdown labelled with the lecture's symbol for ``name``.

    ``options``: a non-empty list of values or of (label, value) pairs, or a dict label -> value;
    ``value``: one of the values (default: the first).
    """
    _name(name)
    if not isinstance(options, (list, tuple, dict)) or len(options) == 0:
        raise TypeError(f"options must be a non-empty list (of values or of (label, value) pairs) or a dict; "
                        f"got {_validate.describe(options)}")
    values = list(options.values()) if isinstance(options, dict) else [
        o[1] if isinstance(o, tuple) and len(o) == 2 and isinstance(o[0], str) else o for o in options]
    if value is None:
        value = values[0]          # the first option's VALUE (not its (label, value) pair)
    else:
        try:
            found = any(value is v or bool(value == v) for v in values)
        except (ValueError, TypeError):
            found = False
        if not found:
            raise ValueError(f"dropdown {name}: value must be one of the options' values {values}; got {value!r}")
    style, layout = _style(label or symbol(name))
    return W.Dropdown(options=options, value=value, description=label or symbol(name), tooltip=tooltip,
                      style=style, layout=layout)


class Panel(W.VBox):
    """An interactive figure: ``controls`` -> ``compute`` -> ``draw`` + ``readout``.

    ``compute``: function(**values) -> data; values are the controls' values by name.
    ``controls``: dict name -> ipywidgets value widget (use :func:`slider` etc.).
    ``draw``: function(fig, data, art) drawing on the panel's Figure: on the first call
    ``art`` is an empty dict; create axes and artists and keep them in it; on later
    calls update them in place.
    ``readout``: function(data) -> str (HTML allowed) shown under the figure; the
    numbers a learner reads (and the browser test checks).
    ``button``: a label such as 'Train': then the panel recomputes only on a click.
    ``figsize`` (inches) and ``dpi`` fix the image's size in pixels.  ``layout=None``
    when ``draw`` places its axes itself with ``fig.add_axes``.
    ``full_redraw_on``: names of controls whose change alters the static part of the
    figure (e.g. a dropdown that switches curves or axis limits): a change of one of
    them redraws everything instead of blitting (see also :meth:`invalidate`).
    """

    def __init__(self, compute, controls: dict, draw=None, readout=None, *, title: str = "",
                 button: str | None = None, figsize=(7.0, 3.2), dpi: int = 80, help: str = "",
                 layout: str | None = "constrained", full_redraw_on=()):
        if not callable(compute):
            raise TypeError(f"compute must be a function(**values) -> data; got {_validate.describe(compute)}")
        if not isinstance(controls, dict) or not all(isinstance(k, str) and isinstance(w, W.ValueWidget) for k, w in controls.items()):
            raise TypeError(f"controls must be a dict name -> ipywidgets control (slider, dropdown, ...); got {_validate.describe(controls)}")
        for fn_name, fn in (("draw", draw), ("readout", readout)):
            if fn is not None and not callable(fn):
                raise TypeError(f"{fn_name} must be a function or None; got {_validate.describe(fn)}")
        for s_name, s in (("title", title), ("help", help)):
            if not isinstance(s, str):
                raise TypeError(f"{s_name} must be a string; got {_validate.describe(s)}")
        if button is not None and not isinstance(button, str):
            raise TypeError(f"button must be a label such as 'Train', or None; got {_validate.describe(button)}")
        if not isinstance(figsize, (tuple, list)) or len(figsize) != 2:
            raise TypeError(f"figsize must be (width, height) in inches; got {_validate.describe(figsize)}")
        figsize = tuple(_validate.positive_float(v, f"figsize[{n}]") for n, v in enumerate(figsize))
        dpi = _validate.positive_int(dpi, "dpi")
        if max(figsize) * dpi > 10000:
            raise ValueError(f"figsize * dpi must stay below 10000 pixels a side; got {figsize} inches at {dpi} dpi")
        if isinstance(full_redraw_on, (str, bytes)) or not hasattr(full_redraw_on, "__iter__") \
                or not all(isinstance(n, str) for n in full_redraw_on):
            raise TypeError(f"full_redraw_on must be a list of control names (strings); got {_validate.describe(full_redraw_on)}")
        self.compute = compute
        self.controls = dict(controls)
        self.draw_fn = draw
        self.readout_fn = readout
        self.title = title
        self.data = None
        self.error: BaseException | None = None
        self.last_latency = None
        self.art = {}
        self._background = None
        unknown = set(full_redraw_on) - set(controls)
        if unknown:
            raise UnknownControl(f"full_redraw_on names controls {sorted(unknown)} that the panel does not have ({sorted(controls)})")
        self.full_redraw_on = set(full_redraw_on)
        self.figure = Figure(figsize=figsize, dpi=dpi, layout=layout) if draw else None
        if self.figure is not None:
            FigureCanvasAgg(self.figure)
        w, h = int(figsize[0] * dpi), int(figsize[1] * dpi)
        self.image = W.Image(format="png", layout=W.Layout(width=f"{w}px", height=f"{h}px")) if draw else None
        self.readout = W.HTML(layout=W.Layout(min_height="2.6em", width=f"{max(w, 420)}px"))
        self.readout.add_class("backprop-readout")
        self.error_box = W.HTML(layout=W.Layout(min_height="0em"))
        self.button = W.Button(description=button, button_style="primary") if button else None
        self.stale_box = W.HTML(layout=W.Layout(min_height="1.4em")) if button else None
        header = [W.HTML(f"<b>{html.escape(title)}</b>")] if title else []
        if help:
            header.append(W.HTML(f"<span style='color:#555'>{help}</span>"))
        controls_box = W.VBox(list(self.controls.values()) + ([self.button, self.stale_box] if self.button else []))
        children = header + [controls_box] + ([self.image] if self.image is not None else []) + [self.readout, self.error_box]
        super().__init__(children=children)
        for name, widget in self.controls.items():
            if self.button is None:
                widget.observe(self._on_change, names="value")
            else:
                widget.observe(self._on_stale, names="value")
        if self.button is not None:
            self.button.on_click(lambda _b: self.update())
        self.update()

    # ------------------------------------------------------------------ update
    @property
    def values(self) -> dict:
        """The controls' current values, by name."""
        return {name: w.value for name, w in self.controls.items()}

    def _on_change(self, change):
        if any(change["owner"] is self.controls[n] for n in self.full_redraw_on):
            self.invalidate()
        self.update()

    def _on_stale(self, change):
        """A button panel's control moved: what is shown no longer matches the controls."""
        self.stale_box.value = (f"<span style='color:#a60'>The settings changed: press <b>{html.escape(self.button.description)}</b> "
                                f"to run with them (the figure still shows the last run).</span>")

    def invalidate(self):
        """Forget the cached static background: the next update redraws the whole figure."""
        self._background = None

    def update(self):
        """Recompute and redraw from the controls' current values (called on every change)."""
        start = time.perf_counter()
        try:
            data = self.compute(**self.values)
            if self.figure is not None:
                self.draw_fn(self.figure, data, self.art)
                self.image.value = self._render_png()
            self.readout.value = self.readout_fn(data) if self.readout_fn else ""
            self.data = data
            self.error = None
            self.error_box.value = ""
            if self.stale_box is not None:
                self.stale_box.value = ""
        except Exception as exc:  # shown to the learner, kept for tests
            self.error = exc
            self.error_box.value = f"<span style='color:#b00'><b>{type(exc).__name__}:</b> {html.escape(str(exc))}</span>"
            log.error("Exception in backprop panel %r: %s", self.title, exc, exc_info=True)
        self.last_latency = time.perf_counter() - start

    def _render_png(self) -> bytes:
        """Draw the Figure once with Agg and encode it as PNG (fast zlib level)."""
        from PIL import Image

        canvas = self.figure.canvas
        dynamic = self.art.get("dynamic")
        if dynamic is None:
            canvas.draw()
        else:
            # Blitting: the static part is drawn once and kept; each move redraws only
            # the artists that change (listed by ``draw`` in art["dynamic"]).
            if self._background is None:
                for artist in dynamic:
                    artist.set_animated(True)
                canvas.draw()
                self._background = canvas.copy_from_bbox(self.figure.bbox)
            else:
                canvas.restore_region(self._background)
            for artist in dynamic:
                self.figure.draw_artist(artist)
        if self.figure.get_layout_engine() is not None:
            self.figure.set_layout_engine("none")   # freeze the layout after the first draw
        w, h = canvas.get_width_height(physical=True)
        img = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        buf = io.BytesIO()
        img.convert("RGB").save(buf, format="png", compress_level=1)
        return buf.getvalue()

    def set(self, **values):
        """Move controls as a learner would, then raise if the callback failed.

        With a button panel, also clicks it.  Returns ``self.data``.
        """
        unknown = set(values) - set(self.controls)
        if unknown:
            raise UnknownControl(f"this panel has controls {sorted(self.controls)}; got {sorted(unknown)}")
        changed = False
        for name, value in values.items():
            if self.controls[name].value != value:
                self.controls[name].value = value   # fires _on_change synchronously
                changed = True
        if self.button is not None:
            self.button.click()
        elif not changed:
            self.update()
        if self.error is not None:
            raise self.error
        return self.data

    def png(self) -> bytes:
        """The PNG bytes shown now (b'' for a panel without a figure)."""
        return bytes(self.image.value) if self.image is not None else b""

    # ------------------------------------------------------------------ display
    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if isinstance(bundle, tuple):
            bundle = bundle[0]
        names = ", ".join(w.description for w in self.controls.values())
        bundle["text/plain"] = f"[interactive figure{': ' + self.title if self.title else ''} — controls: {names}; run the notebook to use it]"
        if self.image is not None and self.image.value:
            import base64
            bundle["image/png"] = base64.b64encode(self.image.value).decode("ascii")
        bundle["text/html"] = self.static_html()
        return bundle

    def static_html(self) -> str:
        """The panel as still HTML (title, control values, image, readout), for readers without a kernel.

        Front ends that run widgets show the live panel instead; this is what a code host or an
        HTML export shows.
        """
        import base64

        def shown(w):
            v = w.value
            if isinstance(w, (W.FloatSlider, W.FloatLogSlider)):
                return format(v, w.readout_format)
            if isinstance(w, W.Dropdown):
                return html.escape(str(w.label))
            return html.escape(str(v))

        values = ", ".join(f"{html.escape(w.description)} = {shown(w)}" for w in self.controls.values())
        parts = ["<div class='backprop-static-panel'>"]
        if self.title:
            parts.append(f"<b>{html.escape(self.title)}</b><br>")
        parts.append(f"<i>Interactive figure, shown at its start: {values}. Run the notebook to move the controls.</i><br>")
        if self.image is not None and self.image.value:
            b64 = base64.b64encode(self.image.value).decode("ascii")
            parts.append(f"<img src='data:image/png;base64,{b64}' alt='{html.escape(self.title)}'><br>")
        parts.append(f"<div>{self.readout.value}</div></div>")
        return "".join(parts)


def control_values(widget, n: int = 5) -> list:
    """``n`` values spread over a control's whole range (every option of a dropdown), for tests and benchmarks.

    Log sliders are spread evenly in the exponent; int sliders give distinct ints; a Checkbox
    gives True and False; any other widget gives [].
    """
    n = _validate.positive_int(n, "n")
    if isinstance(widget, W.FloatLogSlider):
        return list(widget.base ** np.linspace(widget.min, widget.max, n))
    if isinstance(widget, W.IntSlider):
        return sorted({int(round(v)) for v in np.linspace(widget.min, widget.max, n)})
    if isinstance(widget, W.FloatSlider):
        return [float(v) for v in np.linspace(widget.min, widget.max, n)]
    if isinstance(widget, (W.Dropdown, W.ToggleButtons, W.RadioButtons, W.Select)):
        return list(widget._options_values)
    if isinstance(widget, W.Checkbox):
        return [True, False]
    return []


def latency(panel: Panel, name: str, values, repeats: int = 1) -> list[float]:
    """Seconds per move (compute + redraw) when control ``name`` takes each of ``values`` in turn."""
    times = []
    for _ in range(repeats):
        for v in values:
            panel.set(**{name: v})
            times.append(panel.last_latency)
    return times
