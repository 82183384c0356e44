"""``make figures``: write every figure the lessons show into figures/, the same bytes every run.

Modules register figure functions with :func:`figure`; ``python -m backprop.figures DIR``
imports ``backprop.diagrams`` and every ``backprop.play`` module, then writes each
registered figure as SVG.  SVG output is made deterministic by a fixed hash salt
and no date in the metadata.
"""
from __future__ import annotations

import importlib
import io
import pkgutil
import sys
from pathlib import Path

import matplotlib

FIGURES: dict = {}


def figure(filename: str):
    """Decorator: register a function () -> matplotlib Figure, written as ``figures/filename``."""
    def wrap(fn):
        if filename in FIGURES and FIGURES[filename] is not fn:
            raise ValueError(f"figure {filename} registered twice")
        FIGURES[filename] = fn
        return fn
    return wrap


def _load_all():
    from . import play
    for mod in pkgutil.iter_modules(play.__path__):
        importlib.import_module(f"{play.__name__}.{mod.name}")


def render(filename: str) -> bytes:
    """The bytes of one registered figure (SVG)."""
    _load_all()
    fig = FIGURES[filename]()
    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "backprop-course", "svg.fonttype": "path"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def write_all(outdir) -> list[Path]:
    """Write every registered figure into ``outdir``; returns the paths written."""
    _load_all()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in sorted(FIGURES):
        path = out / name
        path.write_bytes(render(name))
        written.append(path)
    return written


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    outdir = argv[0] if argv else "figures"
    for path in write_all(outdir):
        print(f"wrote {path}")


if __name__ == "__main__":
    # Run through the package module so that figures register where main() looks.
    from backprop.figures import main as _main

    _main()
