"""The exercises of every lesson, one module per lesson (``lesson00.py``, ...).

Each module registers its exercises with :func:`backprop.checks.exercise`;
a notebook gets one with ``backprop.checks.get('00.1')``.  tests/test_exercises.py
checks every exercise's solution and every recognised mistake, so a change in
the library that breaks an exercise fails the tests.
"""
