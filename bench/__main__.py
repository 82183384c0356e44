"""`python -m bench [name ...]`: run the named benchmarks (default: every one), e.g. `python -m bench training`.

A benchmark is a module bench/<name>.py with a ``main(argv=None)`` that returns 0 when
every target is met; it is found here without being listed.
"""
import importlib
import pkgutil
import sys
from pathlib import Path

FIRST = ["training", "sliders"]   # the order when all run; others follow alphabetically


def available():
    found = [m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if not m.name.startswith("_")]
    return [n for n in FIRST if n in found] + sorted(n for n in found if n not in FIRST)


def main(argv=None) -> int:
    names = list(sys.argv[1:] if argv is None else argv) or available()
    unknown = [n for n in names if n not in available()]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; choose from {available()}", file=sys.stderr)
        return 2
    status = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        status = max(status, int(module.main([]) or 0))
    return status


if __name__ == "__main__":
    sys.exit(main())
