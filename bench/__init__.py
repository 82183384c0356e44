"""Benchmarks of the course library (run with `make bench`, i.e. `python -m bench`).

Each module here has a ``main(argv=None)`` that prints a table and writes JSON
to ``bench/results/`` (git-ignored).  ``bench/__main__.py`` runs them.
"""
