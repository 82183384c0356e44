"""Exercises cannot rot: every registered exercise's solution passes its check, and every
recognised mistake, made by running the buggy code, gets its own diagnosis."""
import numpy as np
import pytest

from backprop import checks

KEYS = checks.all_keys()


def test_every_lesson_has_at_least_two_exercises():
    lessons = {k.split(".")[0] for k in KEYS}
    for lesson in lessons:
        assert sum(k.startswith(lesson + ".") for k in KEYS) >= 2, lesson


@pytest.mark.parametrize("key", KEYS)
def test_solution_passes(key):
    ex = checks.get(key)
    fb = ex.check(ex.solution_value())
    assert fb.correct, str(fb)
    assert ex.task and ex.solution_source()


@pytest.mark.parametrize("key", KEYS)
def test_each_mistake_is_named(key):
    ex = checks.get(key)
    for m in ex.mistakes:
        wrong = m.make(ex.data)
        if np.all(np.isnan(np.asarray(wrong, dtype=float))):
            continue
        fb = ex.check(wrong)
        assert not fb.correct, f"{key}: the mistake {m.name!r} passes as right"
        assert fb.mistake == m.name, f"{key}: {m.name!r} diagnosed as {fb.mistake!r}: {fb}"


@pytest.mark.parametrize("key", KEYS)
def test_a_random_wrong_answer_is_wrong(key):
    ex = checks.get(key)
    right = np.asarray(ex.expected, dtype=float)
    fb = ex.check(right + 0.37 + np.arange(right.size).reshape(right.shape) * 0.01)
    assert not fb.correct
