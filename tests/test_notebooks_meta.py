"""Each notebook matches its source in notebooks/src, uses the python3 kernel, and stores its outputs."""
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_notebooks_match_their_sources():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "notebooks.py"), "check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_stored_executed_with_python3_kernel(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count is not None for c in code), "run `make execute` to store outputs"
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), "cells were run out of order: run `make execute`"
    for c in code:
        for o in c.get("outputs", []):
            assert o.get("output_type") != "error", f"an error is stored in {path.name}"


def test_markdown_images_exist_and_lab_serves_them():
    """Every image a lesson links to exists; `make lab` serves the repository root, so ../figures resolves."""
    import re

    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "markdown":
                continue
            for link in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", cell.source):
                target = (path.parent / link).resolve()
                assert target.exists(), f"{path.name} links to {link}, which does not exist"
                assert ROOT in target.parents, f"{path.name} links outside the repository: {link}"
    makefile = (ROOT / "Makefile").read_text()
    assert "--ServerApp.root_dir=. " in makefile, "make lab must serve the repository root (figures/ is beside notebooks/)"


def test_no_cell_metadata_changes_between_runs():
    """`make execute` stores no timestamps, so re-running a lesson leaves git diff empty."""
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["display_name"] == "Python 3 (ipykernel)", "what JupyterLab writes back"
        for cell in nb.cells:
            assert "execution" not in cell.metadata, f"{path.name}: timestamps stored; run `make execute`"
