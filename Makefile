# One command for each job; `make test` is what CI runs (.ci/run).
SRC := capture generator tests bench
VENV := .venv/bin

.PHONY: test check record bench clean

test:
	scripts/bootstrap.sh test
	$(MAKE) check

check:
	$(VENV)/ruff check $(SRC)
	$(VENV)/ruff format --check $(SRC)
	$(VENV)/mypy
	CI=$${CI:-} $(VENV)/python -m pytest

record:
	scripts/bootstrap.sh runtime
	$(VENV)/vsop record

bench:
	scripts/bootstrap.sh test
	$(VENV)/python bench/capture.py

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
