# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a building block.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -euo pipefail -c

VENV := .venv
PY := $(VENV)/bin/python

.PHONY: env lock console-vendor prefetch services stop-services test test-unit test-integration test-e2e demo lint clean

env:  ## Create/refresh the cached virtual environment (keyed by requirements.lock) and link .venv
	./scripts/env.sh >/dev/null

lock:  ## Re-resolve requirements.lock from pyproject.toml (needs network to PyPI)
	./scripts/env.sh >/dev/null  # installs the pinned uv into the cache, outside any venv
	"$${PARLANCE_CACHE_DIR:-$$HOME/.cache/parlance}"/tools-uv-*/bin/uv pip compile pyproject.toml --extra test \
	  -o requirements.lock --python-version 3.11 -q

system-deps:  ## Debian tools the tests use to make speech (espeak-ng, sox); installed when missing
	./scripts/system-deps.sh

console-vendor:  ## Re-fetch the console's vendored htmx and Chart.js from the npm registry (pinned, digests checked)
	./scripts/console-vendor.sh

# The S3 server (SeaweedFS, built once and cached) is started by the tests that need it (tests/conftest.py), so
# a first build (`prefetch`) overlaps the rest of the suite instead of delaying it.
services:  ## Start local Kafka and PostgreSQL (idempotent)
	bash infra/local/kafka.sh start
	bash infra/local/postgres.sh start

stop-services:
	bash infra/local/kafka.sh stop || true
	bash infra/local/postgres.sh stop || true
	bash infra/local/seaweedfs.sh stop || true

prefetch:  ## Start the one-time SeaweedFS build in the background, so it overlaps the environment's build
	cache="$${PARLANCE_CACHE_DIR:-$$HOME/.cache/parlance}"; mkdir -p "$$cache"
	( bash infra/local/seaweedfs.sh install >"$$cache/seaweedfs-install.log" 2>&1 & )

test: prefetch env system-deps services  ## Set up everything and run the whole suite
	$(PY) -m pytest -q --durations=30 $(PYTEST_ARGS)

test-unit: env
	$(PY) -m pytest -q tests/unit $(PYTEST_ARGS)

demo: env  ## Start the local stack, transcribe a real recording through the REST API, print it
	./scripts/demo.sh

clean:
	rm -rf .parlance .pytest_cache
