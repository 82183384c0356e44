"""environment.yml (conda / Binder) must name the same packages as lib/pyproject.toml."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(req: str):
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    return _norm(m.group(1)), m.group(2).replace(" ", "")


def pyproject_requirements():
    data = tomllib.loads((ROOT / "lib" / "pyproject.toml").read_text())
    reqs = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
    return dict(_split(r) for r in reqs)


def environment_requirements():
    # A tiny reader for the flat list of conda specs (no YAML library needed).
    out, in_deps = {}, False
    for line in (ROOT / "environment.yml").read_text().splitlines():
        stripped = line.split("#", 1)[0].rstrip()
        if stripped.startswith("dependencies:"):
            in_deps = True
            continue
        if in_deps and stripped.startswith("  - "):
            name, spec = _split(stripped[4:])
            if name not in ("python", "pip"):
                out[name] = spec
        elif in_deps and stripped and not stripped.startswith(" "):
            in_deps = False
    return out


def test_environment_names_the_same_packages_as_pyproject():
    env, pyp = environment_requirements(), pyproject_requirements()
    assert set(env) == set(pyp), (
        f"only in environment.yml: {sorted(set(env) - set(pyp))}; only in pyproject: {sorted(set(pyp) - set(env))}"
    )
    for name in pyp:
        assert env[name] == pyp[name], f"{name}: environment.yml says {env[name]!r}, pyproject says {pyp[name]!r}"


def test_environment_uses_conda_forge_and_binder_installs_the_library():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^channels:\s*\n\s*- conda-forge", text, re.M)
    post = (ROOT / "postBuild").read_text()
    assert "pip install" in post and "-e lib" in post


def test_lock_pins_every_direct_dependency():
    lock = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            lock[_norm(name)] = version
    for name in pyproject_requirements():
        assert name in lock, f"{name} is in pyproject.toml but not pinned in requirements.lock: run `make lock`"
