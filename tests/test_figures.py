"""`make figures` writes the same bytes every run, and the committed figures are current."""
from pathlib import Path

import pytest

from backprop import figures

ROOT = Path(__file__).resolve().parents[1]
figures._load_all()
NAMES = sorted(figures.FIGURES)


@pytest.mark.parametrize("name", NAMES)
def test_figure_is_deterministic_and_committed(name):
    first, second = figures.render(name), figures.render(name)
    assert first == second
    committed = ROOT / "figures" / name
    assert committed.exists(), f"figures/{name} missing: run `make figures`"
    assert committed.read_bytes() == first, f"figures/{name} is out of date: run `make figures`"
