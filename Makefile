# One command for each job; `make test` is what CI runs (.ci/run).
SRC := capture generator tests bench setup.py
VENV := .venv/bin

.PHONY: demo demo-live test check lint tests record bench clean

# The main job on sample data: guides from the shipped recordings, the SOP site on http://127.0.0.1:8000.
demo:
	scripts/bootstrap.sh runtime
	$(VENV)/vsop demo

# The same, recorded again first on a private X display (needs the X tools and apps of the tests).
demo-live:
	scripts/bootstrap.sh test
	$(VENV)/vsop demo --live

test:
	scripts/bootstrap.sh test
	$(MAKE) check

# The linters, and beside them the tests (a sub-make with two jobs: the linters take seconds while the tests
# start).
check:
	@$(MAKE) --no-print-directory -j2 lint tests

lint:
	$(VENV)/ruff check $(SRC)
	$(VENV)/ruff format --check $(SRC)
	$(VENV)/mypy
	$(VENV)/lint-imports --no-cache --no-logo

# The tests side by side in pytest-xdist workers, one and a half per core (tests/conftest.py: most GUI tests
# wait on X, applications and browsers; PYTEST_XDIST_AUTO_NUM_WORKERS=N for N).
tests:
	CI=$${CI:-} $(VENV)/python -m pytest -n auto

# The first line on stdout is the recording folder (bootstrap and make say nothing there).
BOOTSTRAP := scripts/bootstrap.sh
record:
	@$(BOOTSTRAP) runtime >&2
	@$(VENV)/vsop record $(ARGS)

bench:
	scripts/bootstrap.sh test
	$(VENV)/python -m bench.capture

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
