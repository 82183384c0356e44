"""Machinery for the real-browser test (``make test-browser``).

* ``chromium``: the path of the system Chromium (``/usr/bin/chromium``).  When it is
  missing and we run as root with apt-get (CI), it is installed from Debian's packages;
  otherwise the test is skipped with a message saying what to install -- except when
  ``CI=true``, where a missing browser is a failure.
* ``lab``: a JupyterLab server on 127.0.0.1, a free port, a known token, with its own
  temporary JUPYTER_CONFIG_DIR / JUPYTER_DATA_DIR / JUPYTER_RUNTIME_DIR / IPYTHONDIR,
  serving a temporary COPY of ``notebooks/`` and ``figures/`` (nothing in the repository
  is touched).  It is stopped whatever happens: REST shutdown, then SIGTERM / SIGKILL to
  its process group and to every kernel it started.
* ``browser``: headless Chromium driven by Playwright's Python package (no
  ``playwright install``, no download).
* ``lab_page``: a fresh page for one test; no host but 127.0.0.1 resolves (the course
  runs offline).
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "artefacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
# The course runs offline: no host but 127.0.0.1 resolves.  (Playwright's request routing
# is not used for this: with it, JupyterLab 4.6 never started the notebook's kernel.)
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
SERVER_START_TIMEOUT = 60      # seconds until JupyterLab answers /api/status
INSTALL_TIMEOUT = 240          # seconds for apt-get update + install chromium
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _skip_or_fail(message: str):
    """Skip locally; in CI a missing prerequisite is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"{message} (CI=true: the browser test must run in CI)", pytrace=False)
    pytest.skip(message)


# ---------------------------------------------------------------------------- Chromium
@pytest.fixture(scope="session")
def chromium() -> Path:
    """The system Chromium; installed with apt-get when missing and we are root."""
    if CHROMIUM.exists():
        return CHROMIUM
    apt = shutil.which("apt-get")
    if os.geteuid() != 0 or apt is None:
        _skip_or_fail(f"{CHROMIUM} is missing. Install Debian's Chromium: "
                      "sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    try:
        for cmd in ([apt, "update"], [apt, "install", "-y", "--no-install-recommends", "chromium"]):
            done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=INSTALL_TIMEOUT)
            if done.returncode != 0:
                _skip_or_fail(f"`{' '.join(cmd)}` failed ({done.returncode}): {done.stderr.strip()[-800:]}")
    except subprocess.TimeoutExpired as exc:
        _skip_or_fail(f"`{' '.join(exc.cmd)}` took more than {INSTALL_TIMEOUT} s")
    if not CHROMIUM.exists():
        _skip_or_fail(f"apt-get installed chromium but {CHROMIUM} is still missing")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser(chromium):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("Playwright's Python package is missing from the venv (it is in requirements.lock: make venv)")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS + OFFLINE_ARGS, headless=True, timeout=30_000)
        try:
            yield b
        finally:
            b.close()


# ---------------------------------------------------------------------------- JupyterLab
def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))


class Lab:
    """A running JupyterLab: ``url(path)`` gives a tokenised address; ``api(path)`` calls its REST API."""

    def __init__(self, proc: subprocess.Popen, port: int, token: str, root: Path, log: Path):
        self.proc, self.port, self.token, self.root, self.log = proc, port, token, root, log
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}?token={self.token}"

    def api(self, path: str, method: str = "GET", timeout: float = 5.0):
        req = urllib.request.Request(f"{self.base}/api/{path.lstrip('/')}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=timeout) as r:
            body = r.read()
        return json.loads(body) if body else None

    def kernel_processes(self):
        """psutil.Process objects of the kernels this server started (empty without psutil)."""
        try:
            import psutil
            return [p for p in psutil.Process(self.proc.pid).children(recursive=True)
                    if "ipykernel_launcher" in " ".join(p.cmdline())]
        except Exception:
            return []

    def shutdown_sessions(self):
        """Shut down every kernel (between tests, so that kernels do not pile up)."""
        try:
            for s in self.api("sessions"):
                self.api(f"sessions/{s['id']}", method="DELETE", timeout=10)
        except Exception:
            pass

    def log_tail(self, n: int = 3000) -> str:
        try:
            return self.log.read_text(errors="replace")[-n:]
        except OSError:
            return ""


def _die_with_parent() -> None:
    """In the server's child process: get SIGTERM when the test process dies (Linux), even by SIGKILL."""
    try:
        import ctypes
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except Exception:
        pass


def _stop(proc: subprocess.Popen, lab: Lab | None) -> None:
    """Stop the server and every process it started, whatever state they are in."""
    descendants = []
    try:
        import psutil
        descendants = psutil.Process(proc.pid).children(recursive=True)
    except Exception:
        pass
    if lab is not None and proc.poll() is None:
        try:
            lab.api("shutdown", method="POST", timeout=5)   # shuts kernels down, then the server
            proc.wait(timeout=10)
        except Exception:
            pass
    for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            break
        try:
            os.killpg(proc.pid, sig)     # the server runs in its own session / process group
        except ProcessLookupError:
            break
        try:
            proc.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            pass
    # Kernels are started in their own sessions (jupyter_client), so not in the server's group.
    for p in descendants:
        try:
            if p.is_running():
                p.kill()
        except Exception:
            pass


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """JupyterLab serving a temporary copy of notebooks/ and figures/, stopped whatever happens."""
    base = tmp_path_factory.mktemp("lab")
    root = base / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks",
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    if (ROOT / "figures").is_dir():
        shutil.copytree(ROOT / "figures", root / "figures")
    dirs = {name: base / name.lower() for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR")}
    for d in dirs.values():
        d.mkdir()
    settings = dirs["JUPYTER_CONFIG_DIR"] / "lab" / "user-settings" / "@jupyterlab"
    # Render every cell (no windowing), so that a panel far down the page is in the DOM.
    _write_json(settings / "notebook-extension" / "tracker.jupyterlab-settings", {"windowingMode": "none"})
    # No news / update pop-ups (they would also try the network).
    _write_json(settings / "apputils-extension" / "notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})

    token = secrets.token_hex(16)
    port = _free_port()
    venv_bin = str(Path(sys.executable).parent)
    env = dict(os.environ, **{k: str(v) for k, v in dirs.items()},
               PATH=venv_bin + os.pathsep + os.environ.get("PATH", ""),
               PYTHONDONTWRITEBYTECODE="1")
    env.pop("JUPYTER_PATH", None)        # the venv's own share/jupyter (its python3 kernel) stays visible
    env.pop("JUPYTER_TOKEN", None)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--port-retries=0", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}",
           "--ServerApp.open_browser=False", "--LabApp.news_url=None",
           "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--LabApp.extension_manager=readonly", "--ServerApp.terminals_enabled=False"]
    if os.geteuid() == 0:                # CI containers run as root
        cmd.append("--allow-root")
    log = base / "jupyterlab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None)
    server = Lab(proc, port, token, root, log)
    # `timeout` (make test) stops pytest with SIGTERM: turn it into an exception so that the
    # finally below still stops the server and its kernels.
    previous = signal.getsignal(signal.SIGTERM)

    def _terminate(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")
    signal.signal(signal.SIGTERM, _terminate)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{server.log_tail()}", pytrace=False)
            try:
                server.api("status", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer within {SERVER_START_TIMEOUT} s:\n{server.log_tail()}",
                            pytrace=False)
            time.sleep(0.2)
        specs = server.api("kernelspecs")
        assert "python3" in specs["kernelspecs"], f"no python3 kernel visible to the test server: {specs}"
        yield server
    finally:
        _stop(proc, server)
        signal.signal(signal.SIGTERM, previous)


@pytest.fixture
def lab_page(browser, lab):
    """A fresh browser page (its own context: no state shared between tests)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.console_errors = []
    page.on("pageerror", lambda exc: page.console_errors.append(str(exc)))
    try:
        yield page
    finally:
        try:
            context.close()
        except Exception:
            pass
        lab.shutdown_sessions()
