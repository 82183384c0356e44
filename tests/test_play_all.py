"""Every lesson's panel: builds, and every control can be moved over its whole range without error.

A callback that raises anywhere in a slider's range fails here (Panel.set re-raises), so a
panel cannot break silently in the browser.
"""
import importlib
import pkgutil

import pytest

from backprop import play
from backprop.widgets import control_values

MODULES = sorted(m.name for m in pkgutil.iter_modules(play.__path__))


def _panels(module):
    mod = importlib.import_module(f"backprop.play.{module}")
    factories = [getattr(mod, n) for n in dir(mod) if n == "panel" or n.endswith("_panel")]
    return [f for f in factories if callable(f)]


@pytest.mark.parametrize("module", MODULES)
def test_every_control_moves_without_error(module):
    factories = _panels(module)
    assert factories, f"backprop.play.{module} has no panel() factory"
    for make in factories:
        p = make()
        assert p.error is None, f"{module}.{make.__name__} fails on first render: {p.error}"
        if p.button is not None:
            continue                      # button panels (training) are exercised by their own tests
        for name, widget in p.controls.items():
            start = widget.value
            for v in control_values(widget):
                p.set(**{name: v})
            p.set(**{name: start})
        assert p.error is None
