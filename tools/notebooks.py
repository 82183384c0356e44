"""Build the lesson notebooks from their sources, and check that they match.

A lesson's source is ``notebooks/src/NN_name.py`` in the "percent" format:

    # %% [markdown]
    # # Title
    # Markdown lines, each starting with "# ".
    #
    # %%
    code = "a code cell"

    # %% tags=["nbval-ignore-output"]
    a code cell with cell tags

``python tools/notebooks.py build [NAMES...]`` writes ``notebooks/NN_name.ipynb``
(kernel python3, no outputs); ``python tools/notebooks.py execute [NAMES...]``
runs each in a fresh kernel and stores its outputs, with widget model ids made
deterministic and no widget state saved, so that ``git diff`` shows only real
changes (``make execute`` does both).  It keeps the outputs of cells whose source did not change, so a
rebuild without execution does not lose them.  ``python tools/notebooks.py
check`` exits 1 if a notebook's cells differ from its source (the tests call it).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "notebooks" / "src"
OUT = ROOT / "notebooks"
MARKER = re.compile(r"^# %%(?P<md> \[markdown\])?(?:\s+tags=(?P<tags>\[.*\]))?\s*$")


def parse(text: str) -> list:
    """Cells of a percent-format source: list of (kind, source, tags)."""
    cells, kind, tags, lines = [], None, [], []

    def flush():
        if kind is None:
            return
        body = list(lines)
        while body and not body[-1].strip():
            body.pop()
        while body and not body[0].strip():
            body.pop(0)
        if kind == "markdown":
            body = [re.sub(r"^# ?", "", l) if l.startswith("#") else l for l in body]
        cells.append((kind, "\n".join(body), tags))

    for line in text.splitlines():
        m = MARKER.match(line)
        if m:
            flush()
            kind = "markdown" if m.group("md") else "code"
            tags = json.loads(m.group("tags")) if m.group("tags") else []
            lines = []
        elif kind is not None:
            lines.append(line)
    flush()
    return cells


def build_one(src: Path) -> Path:
    dest = OUT / (src.stem + ".ipynb")
    old_outputs = {}
    if dest.exists():
        old = nbformat.read(dest, as_version=4)
        for c in old.cells:
            if c.cell_type == "code":
                old_outputs.setdefault(c.source, (c.get("outputs", []), c.get("execution_count")))
    nb = nbformat.v4.new_notebook()
    nb.metadata = {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    for i, (kind, source, tags) in enumerate(parse(src.read_text())):
        if kind == "markdown":
            cell = nbformat.v4.new_markdown_cell(source)
        else:
            cell = nbformat.v4.new_code_cell(source)
            if source in old_outputs:
                cell.outputs, cell.execution_count = old_outputs[source]
        cell.id = f"{src.stem[:2]}-{i:03d}"
        if tags:
            cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nbformat.validate(nb)
    nbformat.write(nb, dest)
    return dest


def differences(src: Path) -> list[str]:
    dest = OUT / (src.stem + ".ipynb")
    if not dest.exists():
        return [f"{dest.name} is missing: run `make execute`"]
    nb = nbformat.read(dest, as_version=4)
    want = parse(src.read_text())
    have = [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]
    problems = []
    if len(want) != len(have):
        problems.append(f"{dest.name}: {len(have)} cells, source has {len(want)}")
    for i, (w, h) in enumerate(zip(want, have)):
        if w != h:
            problems.append(f"{dest.name}: cell {i} differs from {src.name}")
            break
    if nb.metadata.get("kernelspec", {}).get("name") != "python3":
        problems.append(f"{dest.name}: kernel name is not python3")
    return problems


def execute_one(path: Path, timeout: int = 300) -> float:
    """Run the notebook at ``path`` top to bottom in a fresh python3 kernel, store outputs; returns seconds."""
    import time

    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                   store_widget_state=False, record_timing=False).execute()
    seconds = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.metadata.pop("execution", None)     # timestamps: they would change every run
        cell.outputs = _coalesce_streams(cell.get("outputs", []))
        n = 0
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get("application/vnd.jupyter.widget-view+json")
            if view:
                view["model_id"] = f"{cell.id}-widget-{n}"   # deterministic; the live kernel makes real ones
                n += 1
    nbformat.write(nb, path)
    return seconds


def _coalesce_streams(outputs):
    """Merge consecutive stdout (or stderr) outputs into one: how the kernel happened to flush
    its output must not show up as a change in the stored notebook."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    return merged


def sources(names) -> list[Path]:
    all_src = sorted(SRC.glob("[0-9][0-9]_*.py"))
    if not names:
        return all_src
    return [s for s in all_src if any(s.stem.startswith(n) or s.name == n for n in names)]


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] not in ("build", "check", "execute"):
        print(__doc__)
        return 2
    cmd, names = argv[0], argv[1:]
    if cmd == "build":
        for s in sources(names):
            print(f"built {build_one(s).relative_to(ROOT)}")
        return 0
    if cmd == "execute":
        for s in sources(names):
            dest = OUT / (s.stem + ".ipynb")
            print(f"executed {dest.relative_to(ROOT)} in {execute_one(dest):.1f} s", flush=True)
        return 0
    problems = [p for s in sources(names) for p in differences(s)]
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
