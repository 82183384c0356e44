# The course's two commands: `make lab` (open the course) and `make test` (run every test).
# Both create .venv on first use and bring it up to date when the dependencies change.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8888
# Outer limit for the whole test run (seconds): a hung kernel must not hang CI.
TEST_TIMEOUT ?= 3000

.PHONY: help lab test test-lib test-notebooks test-browser execute html figures bench lock clean venv

help:
	@echo "make lab            open the course in JupyterLab (http://127.0.0.1:$(PORT), token on)"
	@echo "make test           run every test: library, notebooks (nbval), real browser"
	@echo "make test-lib       only the library's unit tests"
	@echo "make test-notebooks only nbval over notebooks/"
	@echo "make test-browser   only the real-browser test (headless Chromium)"
	@echo "make execute        build notebooks from notebooks/src and run them in a fresh kernel (LESSON=03 for one)"
	@echo "make html           the rendered course for readers, in build/html/"
	@echo "make figures        redraw figures/ (the same bytes every run)"
	@echo "make bench          benchmarks: training-step speed and slider latency"
	@echo "make lock           re-pin requirements.lock from lib/pyproject.toml"
	@echo "make clean          remove .venv and generated artefacts"

venv: $(STAMP)

# Re-runs whenever lib/pyproject.toml or requirements.lock changes.
$(STAMP): lib/pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed; found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || { \
	  echo "Could not create a virtual environment. On Debian/Ubuntu: sudo apt-get install python3-venv"; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e lib
	@touch $(STAMP)

# Bound to 127.0.0.1 with its token on (the URL with the token is printed); opens lesson 00.
# The server's root is the repository, so that the lessons' ../figures/*.svg links resolve.
# --allow-root only when run as root (containers, CI), where JupyterLab refuses to start without it.
lab: $(STAMP)
	$(VENV)/bin/jupyter lab --ip=127.0.0.1 --port=$(PORT) --ServerApp.root_dir=. \
	  --LabApp.default_url=/lab/tree/notebooks/00_notation_and_forward_pass.ipynb \
	  --LabApp.news_url=None \
	  --ContentsManager.hide_globs="['__pycache__','*.pyc','.ipynb_checkpoints','*.egg-info','src','sanitize.cfg']" \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP)
	timeout $(TEST_TIMEOUT) $(PY) -m pytest

test-lib: $(STAMP)
	timeout $(TEST_TIMEOUT) $(PY) -m pytest tests -m "not browser"

test-notebooks: $(STAMP)
	timeout $(TEST_TIMEOUT) $(PY) -m pytest notebooks

test-browser: $(STAMP)
	timeout $(TEST_TIMEOUT) $(PY) -m pytest tests -m browser

# Build notebooks/NN_*.ipynb from notebooks/src/NN_*.py, then run each in a fresh kernel
# and store its outputs.  One lesson: make execute LESSON=03
execute: $(STAMP)
	$(PY) tools/notebooks.py build $(LESSON)
	timeout $(TEST_TIMEOUT) $(PY) tools/notebooks.py execute $(LESSON)

# The rendered course for readers: build/html/notebooks/NN_*.html beside a copy of figures/.
# (The HTML loads MathJax from its usual web address to typeset the formulas.)
html: $(STAMP)
	rm -rf build/html && mkdir -p build/html/notebooks && cp -r figures build/html/figures
	$(VENV)/bin/jupyter nbconvert --to html --output-dir build/html/notebooks \
	  $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
	@echo "open build/html/notebooks/00_notation_and_forward_pass.html"

figures: $(STAMP)
	$(PY) -m backprop.figures figures

bench: $(STAMP)
	$(PY) -m bench

lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet -e 'lib[test]'
	.lock-venv/bin/pip install --quiet --upgrade setuptools
	(echo '# Exact versions of every package, made by `make lock` from lib/pyproject.toml (edit that, then re-lock).'; \
	 .lock-venv/bin/pip freeze --all --exclude-editable | grep -ivE '^(backprop-course|pip)==') > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) artefacts build .pytest_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
