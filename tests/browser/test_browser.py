"""Real-browser test: lessons open in JupyterLab in headless Chromium, run, and their sliders work.

For every case of the table below: open the lesson (a temporary copy, see conftest.py), run
*Run -> Run All Cells*, wait for the kernel to be idle and the panel to show the value the
library computes for the sliders' starting values; then move one slider with the keyboard
(focus the handle, ArrowRight / ArrowLeft), read the sliders' new values from the page, compute
the expected number in THIS process with the lesson's play module, and wait until the panel's
readout shows exactly that number (to the printed precision).  A "the output changed" check
is not enough: it can pass mid-update.  Screenshots before and after each move go to
artefacts/browser/.

Run with ``make test-browser`` (``pytest tests -m browser``).
"""
from __future__ import annotations

import importlib
import re
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "artefacts" / "browser"     # git-ignored

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

PAGE_TIMEOUT = 30_000          # ms, any single wait on the page
RUN_ALL_TIMEOUT = 90_000       # ms, Run All Cells until the kernel is idle again
VALUE_TIMEOUT = 15.0           # s, until the readout shows the expected value after a move

# A decimal number as the page prints it (the minus may be U+2212).
NUMBER = r"[-−+]?\d+(?:\.\d+)?(?:[eE][-−+]?\d+)?"


@dataclass
class Case:
    """One lesson's panel, one slider to move, one number to check.

    ``notebook``: glob under notebooks/ (exactly one match).
    ``module``: the lesson's play module; ``module.panel()`` (``factory``) builds the same panel in
    this process, which tells the test the panel's controls (name -> description on the page).
    ``moves``: (slider name, key, presses), one move per entry; the readout is checked after each.
    ``expected(module, values)``: the number the readout must show, computed here from the
    controls' values as the page shows them (``values``: control name -> value).
    ``readout``: regex with a group 'value' that finds that number in the readout's text.
    """
    id: str
    notebook: str
    module: str
    moves: list
    expected: Callable[[object, dict], float]
    readout: str
    factory: str = "panel"


CASES = [
    Case(   # lesson 00: the lecture network's forward pass; move W_111, read the loss
        id="00-forward-pass-W111",
        notebook="00_*.ipynb",
        module="backprop.play.forward_pass",
        moves=[("W_111", "ArrowRight", 4), ("W_111", "ArrowLeft", 7)],
        expected=lambda m, v: m.forward_state(**v)["loss"],
        readout=rf"loss ℒ = −log ŷ\s*ℓ\s*=\s*(?P<value>{NUMBER})",
    ),
    Case(   # lesson 02: gradient descent on one sigmoid neuron's weight; move the start w0, read ℒ after the steps
        id="02-one-weight-w0",
        notebook="02_*.ipynb",
        module="backprop.play.one_weight",
        # 0 steps first: then ℒ is the loss at the weight itself, ℒ(w0), and moving w0 moves it
        # (after 10 steps at eta = 1 every start ends at the minimum: nothing to see).
        moves=[("steps", "ArrowLeft", 10), ("w0", "ArrowRight", 4), ("w0", "ArrowLeft", 2)],
        expected=lambda m, v: m.descent_state(**v)["loss_final"],
        readout=rf"after \d+ steps: w = {NUMBER}, ℒ = (?P<value>{NUMBER})",
    ),
    Case(   # lesson 05: softmax and cross-entropy on the logits; move the true class's logit a_33
        id="05-output-layer-a33",
        notebook="05_*.ipynb",
        module="backprop.play.output_layer",
        moves=[("a_33", "ArrowRight", 4), ("a_33", "ArrowLeft", 7)],
        expected=lambda m, v: m.output_state(**v)["loss"],
        readout=rf"loss = (?P<value>{NUMBER})",
    ),
]


# ------------------------------------------------------------------------------- helpers
def _number(text: str) -> float:
    return float(text.replace("−", "-").replace("\u2009", "").strip())


def _decimals(text: str) -> int:
    mantissa = re.split(r"[eE]", text)[0]
    return len(mantissa.split(".")[1]) if "." in mantissa else 0


def _tolerance(printed: str) -> float:
    """Half a unit of the last printed digit (plus float noise): 'equal to the printed precision'."""
    exp = 0
    m = re.search(r"[eE]([-−+]?\d+)$", printed)
    if m:
        exp = int(m.group(1).replace("−", "-"))
    return 0.5 * 10.0 ** (exp - _decimals(printed)) * (1 + 1e-9) + 1e-12


def _slider(cell, label: str):
    """The `.widget-slider` whose description is exactly ``label``."""
    page = cell if hasattr(cell, "goto") else cell.page
    return cell.locator(".widget-slider").filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))


def _control(cell, widget):
    """The page element of one of the panel's controls, found by its description."""
    page = cell if hasattr(cell, "goto") else cell.page
    kind = ".widget-dropdown" if hasattr(widget, "options") else ".widget-slider"
    return cell.locator(kind).filter(
        has=page.locator(".widget-label", has_text=re.compile(rf"^\s*{re.escape(widget.description)}\s*$")))


def _shown(cell, widget):
    """(value, text) of one control as the page shows it."""
    element = _control(cell, widget).first
    if hasattr(widget, "options"):           # Dropdown: the selected option's label -> its value
        index, text = element.locator("select").evaluate("s => [s.selectedIndex, s.options[s.selectedIndex].text]",
                                                          timeout=PAGE_TIMEOUT)
        text = " ".join(text.split())      # ipywidgets shows spaces in option labels as no-break spaces
        assert text == widget._options_labels[index], \
            f"dropdown {widget.description!r} shows {text!r} at index {index}; the panel has {widget._options_labels}"
        return widget._options_values[index], text
    text = element.locator(".widget-readout").inner_text(timeout=PAGE_TIMEOUT).strip()
    return _number(text), text


def _values(cell, panel, warn: bool = False) -> dict:
    """The controls' values as the page shows them, by name.

    A slider's readout is rounded (e.g. '.1e' for a learning rate); where it shows the panel's
    starting value to its printed precision, the exact starting value is used.
    """
    values, off = {}, {}
    for name, widget in panel.controls.items():
        value, text = _shown(cell, widget)
        start = widget.value
        if isinstance(value, float) and not isinstance(start, str):
            if abs(value - start) <= _tolerance(text):
                value = start
            elif warn:
                off[name] = (start, text)
            if isinstance(start, int):       # an IntSlider: its callback expects an int
                assert value == round(value), f"{widget.description!r} shows {text!r}, not an integer"
                value = int(round(value))
        values[name] = value
    if off:
        warnings.warn(f"the browser starts slider(s) at another value than the panel sets "
                      f"(panel value, shown value): {off}. A starting value off the slider's step grid "
                      "(min + n * step) is snapped by the browser, and the snapped value is sent back to "
                      "the kernel, so the panel no longer starts where the lesson's text says.",
                      UserWarning, stacklevel=3)
    return values


def _read(cell, case: Case):
    """(number shown in the readout, its printed text, the whole readout text)."""
    text = cell.locator(".backprop-readout").first.inner_text(timeout=PAGE_TIMEOUT)
    m = re.search(case.readout, text)
    return (_number(m.group("value")), m.group("value"), text) if m else (None, None, text)


def _wait_for_value(cell, case: Case, expected: float, what: str) -> str:
    """Poll the readout until it shows ``expected`` to its printed precision; return the printed text."""
    deadline = time.monotonic() + VALUE_TIMEOUT
    seen = None
    while True:
        value, printed, text = _read(cell, case)
        seen = text
        if value is not None and abs(value - expected) <= _tolerance(printed):
            return printed
        if time.monotonic() > deadline:
            panel_text = cell.locator(".jp-OutputArea").first.inner_text()
            pytest.fail(f"{case.id}: {what}: the readout never showed {expected!r} within {VALUE_TIMEOUT} s.\n"
                        f"Last readout: {seen!r}\nPanel text: {panel_text[-1500:]}", pytrace=False)
        time.sleep(0.1)


def _run_all(page) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def _wait_idle(page, timeout=RUN_ALL_TIMEOUT) -> None:
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(state="attached", timeout=timeout)


def _wait_kernel_ready(page, lab, path: str) -> None:
    """Until the notebook's kernel has started (server side) and the page shows it idle.

    Running cells before that opens a "Select Kernel" dialog that blocks the page.
    """
    deadline = time.monotonic() + PAGE_TIMEOUT / 1000
    while True:
        sessions = [s for s in lab.api("sessions") if s.get("path") == path and s.get("kernel")]
        if sessions and sessions[0]["kernel"].get("execution_state") == "idle":
            kernel = sessions[0]["kernel"]["name"]
            assert kernel == "python3", f"{path} started kernel {kernel!r}, expected python3"
            break
        if time.monotonic() > deadline:
            pytest.fail(f"the kernel of {path} did not start within {PAGE_TIMEOUT / 1000:.0f} s: {sessions}", pytrace=False)
        time.sleep(0.2)
    page.locator(".jp-StatusBar-Widget", has_text=re.compile(r"\|\s*Idle")).first.wait_for(timeout=PAGE_TIMEOUT)
    _wait_idle(page, timeout=PAGE_TIMEOUT)


def _all_cells_ran(page) -> bool:
    """True when every code cell has an execution count and none is queued or running."""
    return page.evaluate("""() => {
        const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')].map(p => p.textContent.trim());
        return prompts.length > 0 && prompts.every(t => /^\\[\\d+\\]:$/.test(t));
    }""")


# ------------------------------------------------------------------------------- the test
@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_slider_moves_loss(case: Case, lab, lab_page):
    try:
        _check(case, lab, lab_page)
    except (Exception, pytest.fail.Exception):
        ARTEFACTS.mkdir(parents=True, exist_ok=True)
        try:   # what the page looked like when it failed
            lab_page.screenshot(path=str(ARTEFACTS / f"{case.id}-FAILED.png"), timeout=5_000)
        except Exception:
            pass
        raise


def _check(case: Case, lab, lab_page):
    matches = sorted((ROOT / "notebooks").glob(case.notebook))
    if not matches:
        pytest.skip(f"notebooks/{case.notebook} does not exist yet (lesson not committed)")
    assert len(matches) == 1, f"notebooks/{case.notebook} matches {len(matches)} files: {matches}"
    try:
        module = importlib.import_module(case.module)
    except ImportError as exc:
        pytest.skip(f"{case.module} cannot be imported yet ({exc}); lesson not committed")
    notebook = matches[0].name
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    for stale in ARTEFACTS.glob(f"{case.id}-*.png"):
        stale.unlink()
    page = lab_page

    # Open the lesson; a notebook whose kernel is unknown would show a "Select Kernel" dialog.
    # Its own workspace, so that tabs restored from an earlier case do not open too.
    page.goto(lab.url(f"lab/workspaces/{case.id}/tree/notebooks/{notebook}"), wait_until="domcontentloaded",
              timeout=PAGE_TIMEOUT)
    page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=PAGE_TIMEOUT)
    _wait_kernel_ready(page, lab, f"notebooks/{notebook}")
    assert page.locator(".jp-Dialog").count() == 0, \
        f"a dialog blocks the notebook: {page.locator('.jp-Dialog').first.inner_text()}"

    # Run -> Run All Cells, then wait until every code cell has run and the kernel is idle.
    start = time.monotonic()
    _run_all(page)
    # Started: a cell is queued or running, or (a very quick notebook) a live panel is already there
    # (stored outputs carry no widget state, so a readout exists only once the kernel made it).
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                                     .some(p => p.textContent.includes('*'))
                                    || document.querySelector('.backprop-readout') !== null""", timeout=PAGE_TIMEOUT)
    deadline = start + RUN_ALL_TIMEOUT / 1000
    while not (_all_cells_ran(page) and page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").count()):
        if time.monotonic() > deadline:
            pytest.fail(f"{notebook}: Run All Cells did not finish within {RUN_ALL_TIMEOUT / 1000:.0f} s", pytrace=False)
        time.sleep(0.2)
    raised = page.locator(".jp-RenderedText[data-mime-type='application/vnd.jupyter.error']")
    assert raised.count() == 0, f"{notebook}: a cell raised: {raised.first.inner_text()[:2000]}"

    # The kernel is the venv's Python (the one running this test).
    kernels = lab.kernel_processes()
    if kernels:
        exes = {p.cmdline()[0] for p in kernels}
        assert exes == {sys.executable}, f"kernel runs {exes}, expected the venv's {sys.executable}"

    # The panel: the code cell holding the slider we move.  The same panel, built here, names its controls.
    panel = getattr(module, case.factory)()
    first = panel.controls[case.moves[0][0]]
    slider = _control(page, first)
    assert slider.count() == 1, f"{notebook}: {slider.count()} sliders labelled {first.description!r}"
    cell = page.locator(".jp-CodeCell").filter(has=slider)
    cell.scroll_into_view_if_needed()

    values = _values(cell, panel, warn=True)
    expected = case.expected(module, values)
    printed = _wait_for_value(cell, case, expected, f"at the start ({values})")
    cell.screenshot(path=str(ARTEFACTS / f"{case.id}-0-before.png"))

    for step, (name, key, presses) in enumerate(case.moves, start=1):
        moved = panel.controls[name]
        handle = _control(cell, moved).locator(".noUi-handle").first
        before, before_printed = values, printed
        handle.focus()
        for _ in range(presses):
            handle.press(key)
        # The slider's readout must show the moved value before we read it.
        deadline = time.monotonic() + VALUE_TIMEOUT
        while (values := _values(cell, panel))[name] == before[name]:
            if time.monotonic() > deadline:
                pytest.fail(f"{case.id}: pressing {key} x{presses} did not move slider "
                            f"{moved.description!r} (still {before[name]})", pytrace=False)
            time.sleep(0.05)
        direction = 1 if key in ("ArrowRight", "ArrowUp", "PageUp", "End") else -1
        assert (values[name] - before[name]) * direction > 0, f"{key} moved {name} from {before[name]} to {values[name]}"
        others = lambda v: {k: x for k, x in v.items() if k != name}
        assert others(values) == others(before), f"moving {name} moved other controls: {before} -> {values}"
        expected = case.expected(module, values)
        assert abs(_number(before_printed) - expected) > _tolerance(before_printed), \
            f"{case.id}: moving {name} to {values[name]} leaves the printed value at {before_printed}: the test would prove nothing"
        printed = _wait_for_value(cell, case, expected, f"after {key} x{presses} ({name} = {values[name]})")
        # Still consistent: no slider moved on after the value was read.
        assert _values(cell, panel) == values
        cell.screenshot(path=str(ARTEFACTS / f"{case.id}-{step}-after-{name}-{key}.png"))

    assert not page.console_errors, f"JavaScript errors on the page: {page.console_errors}"
