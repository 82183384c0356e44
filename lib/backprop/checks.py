"""Exercises that check themselves and name the classic mistake.

An :class:`Exercise` holds a task, the data the learner works with, the right
answer computed *another way* (finite differences, the library, an autodiff
library) and the buggy answers that classic mistakes produce.  ``ex.check(answer)``
says "right", or names the mistake with a hint (never the solution), or says
plainly where the largest difference is.  ``ex.hint()`` and ``ex.solution()``
reveal more only when asked.

Mistakes recognised for every array answer, with no help from the exercise:

* wrong shape (says the expected and the given shape), and within that:
  a transposed matrix, a bias gradient not summed over the batch rows (or
  summed over the wrong axis), one-hot rows where integer labels were meant
  (or the reverse);
* the sign flipped;
* off by the batch size (a sum where the mean was meant, or the reverse);
* transposed (square matrices).

An exercise adds its own, made by running the mistake: g' applied to h instead
of a, the softmax Jacobian's diagonal alone, a path missing from a sum over
paths, labels confused, ...  (``Mistake(name, hint, make)``).
"""
from __future__ import annotations

import html
import inspect
import textwrap
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import numpy as np

# Names of the classic mistakes (used by tests and by exercises).
WRONG_SHAPE = "wrong shape"
SIGN = "sign flipped"
TRANSPOSED = "transposed matrix"
SUM_NOT_MEAN = "sum where the mean was meant"
MEAN_NOT_SUM = "mean where the sum was meant"
BIAS_NOT_SUMMED = "bias gradient not summed over the batch"
BIAS_WRONG_AXIS = "bias gradient summed over the wrong axis"
G_PRIME_OF_H = "g' applied to h instead of a"
JACOBIAN_DIAGONAL = "only the diagonal of the softmax Jacobian"
MISSING_PATH = "a path missing from the sum over paths"
LABELS_CONFUSED = "one-hot and integer labels confused"
NOT_RECOGNISED = "not recognised"
NO_ANSWER = "no answer yet"

GENERIC_HINTS = {
    SIGN: "Your answer has the right size but the opposite sign. Check the minus sign in the "
          "derivative of -log (or which way the difference is taken).",
    TRANSPOSED: "Your matrix is the transpose of the right one. Rows of W_k are the neurons i of "
                "layer k, columns the inputs j: dL/dW_kij = grad_a_ki * h_k-1,j.",
    SUM_NOT_MEAN: "Your answer is B times too large: the batch loss is the MEAN over the B "
                  "examples, so every gradient carries a factor 1/B.",
    MEAN_NOT_SUM: "Your answer is B times too small: here a sum over the rows was asked for "
                  "(or the 1/B was applied twice).",
    BIAS_NOT_SUMMED: "You kept one row per example. The bias is shared by every example in the batch, "
                     "so its gradient adds up the rows: sum over axis 0.",
    BIAS_WRONG_AXIS: "You summed over the wrong axis: sum over the batch rows (axis 0), which keeps one "
                     "number per neuron.",
    LABELS_CONFUSED: "Integer labels l and one-hot vectors e(l) got mixed up.",
}


@dataclass
class Mistake:
    """A classic mistake an exercise recognises.

    ``name``: one of this module's constants (or a new phrase); ``hint``: what
    to reconsider, without the solution; ``make``: function(data) -> the answer
    that the mistake produces (also used by the tests to make a buggy answer).
    """
    name: str
    hint: str
    make: Callable


@dataclass
class Feedback:
    """The verdict of :meth:`Exercise.check`: ``correct``, the ``mistake`` recognised (or None), and a ``message``."""
    correct: bool
    mistake: str | None
    message: str
    key: str = ""

    def __str__(self) -> str:
        if self.correct:
            return f"[{self.key}] ✔ Right." + (f" {self.message}" if self.message else "")
        if self.mistake == NO_ANSWER:
            return f"[{self.key}] … {self.message}"
        return f"[{self.key}] ✘ Not yet. {self.message}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = "#e7f5e9" if self.correct else ("#f4f4f4" if self.mistake == NO_ANSWER else "#fdecea")
        return (f"<div style='background:{colour};padding:6px 10px;border-radius:4px'>"
                f"{html.escape(str(self))}</div>")

    def __bool__(self) -> bool:
        return self.correct


def _as_array(x):
    try:
        arr = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        return None
    return arr


def _answer_problem(x, expected_kind: str) -> str | None:
    """Why the learner's ``x`` cannot be compared as numbers (None if it can): strings, complex numbers,
    booleans where numbers are meant, ragged lists and other objects are named, never silently converted."""
    if isinstance(x, (str, bytes)):
        return f"the string {x!r}; write the number without quotes"
    try:
        raw = np.asarray(x)
    except (TypeError, ValueError):
        return f"a {type(x).__name__} that is not a rectangular array of numbers (ragged nested lists?)"
    if raw.dtype.kind in "USa":
        return "strings; give numbers, not text"
    if raw.dtype.kind == "c":
        return "complex numbers; the answer is real (a square root or log of a negative number somewhere?)"
    if raw.dtype.kind == "b" and expected_kind != "b":
        return "True/False (booleans); give the number itself"
    if raw.dtype.kind not in "iuf" and raw.dtype.kind != "b":
        return f"{type(x).__name__}, which is not a number or an array of numbers"
    return None


def _close(a, b, rtol, atol) -> bool:
    return a is not None and b is not None and a.shape == b.shape and bool(np.allclose(a, b, rtol=rtol, atol=atol))


class Exercise:
    """One self-checking exercise.

    ``key``: e.g. '05.2'.  ``task``: the instruction (Markdown).  ``data``: dict
    of what the learner uses (available as ``ex.data.name``).  ``expected``:
    function(data) -> the right answer computed another way.  ``solution``:
    function(data) -> the right answer written as a learner would; its source is
    what :meth:`solution` reveals.  ``mistakes``: list of :class:`Mistake`.
    ``batch_size``: B, for the batch-size mistakes.  ``rtol``/``atol``: tolerance.
    """

    def __init__(self, key: str, task: str, data: dict, expected: Callable, solution: Callable,
                 mistakes=(), batch_size: int | None = None, hint: str = "", rtol: float = 1e-5,
                 atol: float = 1e-8, scalar: bool = False):
        self.key = key
        self.task = textwrap.dedent(task).strip()
        self.data = SimpleNamespace(**data)
        self._expected_fn = expected
        self._solution_fn = solution
        self.mistakes = list(mistakes)
        self.batch_size = batch_size
        self._hint = hint
        self.rtol, self.atol = rtol, atol
        self.scalar = scalar

    # ------------------------------------------------------------------ answers
    @property
    def expected(self):
        """The right answer, computed another way (for tests; the lesson never prints it)."""
        return self._expected_fn(self.data)

    def solution_value(self):
        """What the revealed solution computes."""
        return self._solution_fn(self.data)

    # ------------------------------------------------------------------ check
    def check(self, answer) -> Feedback:
        """Compare ``answer`` with the right value; name the mistake if one is recognised."""
        if answer is None or answer is Ellipsis:
            return Feedback(False, NO_ANSWER, "Replace the ... with your answer, then run the cell again.", self.key)
        expected = self.expected
        exp = _as_array(expected)
        problem = _answer_problem(answer, np.asarray(expected).dtype.kind)
        ans = None if problem else _as_array(answer)
        if ans is None:
            return Feedback(False, WRONG_SHAPE, f"Expected numbers of shape {exp.shape}; got "
                            f"{problem or type(answer).__name__}.", self.key)
        if self.scalar and ans.size == 1:
            ans = ans.reshape(exp.shape)
        if not np.all(np.isfinite(ans)):
            return Feedback(False, NOT_RECOGNISED, "Your answer contains NaN or inf; look for a division by zero or an overflow (exp of a large number).", self.key)
        if _close(ans, exp, self.rtol, self.atol):
            return Feedback(True, None, "", self.key)
        # mistakes this exercise knows about (they carry the best hints)
        for m in self.mistakes:
            wrong = _as_array(m.make(self.data))
            if _close(ans, wrong, self.rtol, self.atol):
                return Feedback(False, m.name, f"Mistake spotted: {m.name}. {m.hint}", self.key)
        generic = self._generic(ans, exp)
        if generic is not None:
            return generic
        # nothing recognised: say where the largest difference is, not what the value should be
        diff = np.abs(ans - exp)
        i = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.ndim else ()
        where = f" at index {tuple(int(j) for j in i)}" if diff.ndim else ""
        n_bad = int((~np.isclose(ans, exp, rtol=self.rtol, atol=self.atol)).sum())
        # Direction and a rough size only: an exact difference would give the answer away.
        direction = "too large" if float(ans[i]) > float(exp[i]) else "too small"
        rel = float(diff[i]) / max(abs(float(exp[i])), 1e-12)
        size = "slightly" if rel < 0.1 else ("clearly" if rel < 1 else "far")
        if ans.size == 1:
            detail = f"Your value {float(ans.reshape(-1)[0]):.6g} is {size} {direction}."
        else:
            detail = (f"{n_bad} of {ans.size} values differ; the largest difference is{where}, where your "
                      f"{float(ans[i]):.6g} is {size} {direction}.")
        return Feedback(False, NOT_RECOGNISED, f"Not a mistake I recognise. {detail} {self._hint}".rstrip(), self.key)

    def _generic(self, ans, exp) -> Feedback | None:
        B = self.batch_size
        r, a = self.rtol, self.atol
        say = lambda name, extra="": Feedback(False, name, f"Mistake spotted: {name}. {extra or GENERIC_HINTS.get(name, '')}".rstrip(), self.key)
        if ans.shape != exp.shape:
            shape_msg = f"Expected shape {exp.shape}; got {ans.shape}."
            if ans.ndim == 2 and ans.T.shape == exp.shape and _close(ans.T, exp, r, a):
                return say(TRANSPOSED, shape_msg + " " + GENERIC_HINTS[TRANSPOSED])
            if B and exp.ndim == 1 and ans.ndim == 2 and ans.shape == (B, exp.shape[0]):
                if _close(ans.sum(axis=0), exp, r, a) or _close(ans.mean(axis=0), exp, r, a):
                    return say(BIAS_NOT_SUMMED, shape_msg + " " + GENERIC_HINTS[BIAS_NOT_SUMMED])
            if B and exp.ndim == 1 and ans.ndim == 1 and ans.shape == (B,) and exp.shape[0] != B:
                return say(BIAS_WRONG_AXIS, shape_msg + " " + GENERIC_HINTS[BIAS_WRONG_AXIS])
            if ans.ndim == exp.ndim + 1 and ans.shape[:-1] == exp.shape and _is_one_hot(ans) and np.array_equal(ans.argmax(-1), exp):
                return say(LABELS_CONFUSED, shape_msg + " You gave one-hot vectors e(l); integer class indices l were asked for (argmax along the last axis).")
            if exp.ndim == ans.ndim + 1 and exp.shape[:-1] == ans.shape and _is_one_hot(exp) and np.array_equal(exp.argmax(-1), ans):
                return say(LABELS_CONFUSED, shape_msg + " You gave integer labels l; one-hot vectors e(l) were asked for.")
            if ans.size == exp.size and _close(ans.reshape(exp.shape), exp, r, a):
                return say(WRONG_SHAPE, shape_msg + " The numbers are right; reshape them (a (n,) vector and an (n, 1) column are different things).")
            return say(WRONG_SHAPE, shape_msg)
        if _close(ans, -exp, r, a):
            return say(SIGN)
        if ans.ndim == 2 and ans.shape[0] == ans.shape[1] and _close(ans, exp.T, r, a):
            return say(TRANSPOSED)
        if B and B > 1:
            if _close(ans, exp * B, r, a):
                return say(SUM_NOT_MEAN)
            if _close(ans, exp / B, r, a):
                return say(MEAN_NOT_SUM)
        return None

    # ------------------------------------------------------------------ reveal
    def hint(self) -> str:
        """A nudge in the right direction (printed)."""
        text = self._hint or "Write the formula from the lesson with the lecture's symbols first, then translate it symbol by symbol."
        print(text)
        return None

    def solution(self) -> None:
        """Print the solution's code: only when asked, so it does not spoil the exercise."""
        print(f"Solution to exercise {self.key}:\n\n{self.solution_source()}")

    def solution_source(self) -> str:
        """The solution as code a learner would type (the ``d.`` of the data namespace removed)."""
        import re

        src = textwrap.dedent(inspect.getsource(self._solution_fn)).strip()
        m = re.match(r"^(?:solution\s*=\s*)?lambda d:\s*(.*?),?\s*(#.*)?$", src, re.S)
        if m:
            body = re.sub(r"\bd\.", "", m.group(1).strip())
            return f"answer = {body}" + (f"    {m.group(2)}" if m.group(2) else "")
        lines = [l for l in src.splitlines() if not l.lstrip().startswith("@")]
        return re.sub(r"\bd\.", "", "\n".join(lines))

    def show(self) -> None:
        """Display the task."""
        from IPython.display import Markdown, display
        display(Markdown(f"**Exercise {self.key}.** {self.task}"))

    def __repr__(self) -> str:
        return f"Exercise({self.key!r})"


def _is_one_hot(x) -> bool:
    return bool(np.all((x == 0) | (x == 1)) and np.all(x.sum(axis=-1) == 1))


# ---------------------------------------------------------------------- registry
_REGISTRY: dict[str, Callable[[], Exercise]] = {}


def exercise(key: str):
    """Decorator: register a function that builds the exercise ``key`` (e.g. '05.2')."""
    def wrap(fn):
        if key in _REGISTRY:
            raise ValueError(f"exercise {key} is registered twice")
        _REGISTRY[key] = fn
        return fn
    return wrap


def get(key: str) -> Exercise:
    """The exercise ``key`` (e.g. '00.1'), freshly built from its seeded data."""
    _load_all()
    if key not in _REGISTRY:
        raise KeyError(f"no exercise {key!r}; there are {sorted(_REGISTRY)}")
    return _REGISTRY[key]()


def all_keys() -> list[str]:
    """Every registered exercise key, in lesson order."""
    _load_all()
    return sorted(_REGISTRY)


def _load_all():
    import importlib
    import pkgutil

    from . import exercises as pkg
    for mod in pkgutil.iter_modules(pkg.__path__):
        importlib.import_module(f"{pkg.__name__}.{mod.name}")
