"""Slider latency: one move (compute + redraw) of every slider of every lesson's panel.

For each ``backprop.play`` module's panel factories and each of their controls, the control
is moved through ``MOVES`` values spread over its range, ``REPEATS`` times, and the
median time of one move is reported, per lesson, against the target of 50 ms.  The
panel times itself (``Panel.last_latency``: compute + draw + PNG encode; the widget
message to the browser is not included).  Results go to bench/results/sliders.json.
"""
from __future__ import annotations

import importlib
import json
import pkgutil
import platform
import statistics
import sys
import time
from pathlib import Path

import ipywidgets as W
import numpy as np

from backprop.widgets import control_values

TARGET_MS = 50.0
MOVES = 15
REPEATS = 3
OUT = Path(__file__).resolve().parent / "results"


def measure() -> list[dict]:
    from backprop import play

    rows = []
    for info in sorted(pkgutil.iter_modules(play.__path__), key=lambda m: m.name):
        mod = importlib.import_module(f"backprop.play.{info.name}")
        for fname in sorted(n for n in dir(mod) if n == "panel" or n.endswith("_panel")):
            panel = getattr(mod, fname)()
            if panel.button is not None:
                continue    # training panels update on a button, not on a slider move
            for name, widget in panel.controls.items():
                values = control_values(widget, MOVES)
                if len(values) < 2:
                    continue
                times = []
                start = widget.value
                for _ in range(REPEATS):
                    for v in values:
                        panel.set(**{name: v})
                        times.append(panel.last_latency)
                panel.set(**{name: start})
                rows.append({"module": info.name, "panel": fname, "control": widget.description or name,
                             "kind": "slider" if isinstance(widget, (W.FloatSlider, W.IntSlider, W.FloatLogSlider)) else "other",
                             "moves": len(times), "median_ms": 1000 * statistics.median(times),
                             "p90_ms": 1000 * float(np.percentile(times, 90))})
    return rows


def main(argv=None) -> int:
    t0 = time.perf_counter()
    rows = measure()
    print(f"\nSlider latency: one move = compute + redraw + PNG, median of {REPEATS}x{MOVES} moves; "
          f"target <= {TARGET_MS:.0f} ms for sliders (dropdowns that switch the whole picture are shown, without a target)")
    print(f"{'module':<18} {'panel':<14} {'control':<14} {'median ms':>10} {'p90 ms':>8}  verdict")
    worst = 0.0
    for r in rows:
        ok = r["median_ms"] <= TARGET_MS
        if r["kind"] == "slider":
            worst = max(worst, r["median_ms"])
        verdict = ("PASS" if ok else "FAIL") if r["kind"] == "slider" else "(dropdown)"
        print(f"{r['module']:<18} {r['panel']:<14} {r['control']:<14} {r['median_ms']:>10.1f} {r['p90_ms']:>8.1f}  {verdict}")
    by_module = {}
    for r in rows:
        if r["kind"] == "slider":
            by_module.setdefault(r["module"], []).append(r["median_ms"])
    print("\nper lesson (its slowest slider's median move):")
    for m, v in by_module.items():
        print(f"  {m:<18} {max(v):6.1f} ms  {'PASS' if max(v) <= TARGET_MS else 'FAIL'}")
    OUT.mkdir(exist_ok=True)
    (OUT / "sliders.json").write_text(json.dumps({
        "machine": platform.platform(), "python": sys.version.split()[0], "target_ms": TARGET_MS,
        "rows": rows, "seconds": time.perf_counter() - t0}, indent=2))
    print(f"\nwrote {OUT / 'sliders.json'}  ({time.perf_counter() - t0:.1f} s)")
    return 0 if worst <= TARGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
