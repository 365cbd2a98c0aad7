# Two commands matter: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/district
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/district_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14

MESSAGES := locale/es/LC_MESSAGES/django.mo

.PHONY: run test test-dates lint format services system-deps lock bench cluster-check clean messages

# The production lock and the development one (tests and tools), every file checked by its hash.
$(VENV)/.installed: requirements.lock requirements-dev.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock -r requirements-dev.lock
	touch $@

# The compiled Spanish catalogue; msgfmt comes from Debian's gettext (bin/system-deps).
$(MESSAGES): locale/es/LC_MESSAGES/django.po $(VENV)/.installed
	command -v msgfmt >/dev/null || bin/system-deps
	$(PY) manage.py compilemessages --ignore=.venv -v0

# After marking new strings: refresh the catalogue, translate the new entries, commit the .po.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages -l es --no-wrap --no-location \
		--ignore=.venv --ignore=staticfiles --ignore=bench --ignore=tests
	msgattrib --no-obsolete --clear-fuzzy --empty --no-wrap -o locale/es/LC_MESSAGES/django.po locale/es/LC_MESSAGES/django.po

run: $(VENV)/.installed $(MESSAGES)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --size small --if-empty
	PORT=$(PORT) PY=$(PY) bin/serve

system-deps:
	bin/system-deps

services:
	bin/services

TEST_ENV = DATABASE_URL=$(TEST_DATABASE_URL) CELERY_BROKER_URL=$(TEST_REDIS_URL) \
	CACHE_URL=$(TEST_REDIS_URL) CONN_MAX_AGE=0
# The slowest twenty are listed at the end of every run, so a test that grows slow is seen.
PYTEST_ARGS ?= --durations=20
TEST_DATES_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/district_dates
TEST_DATES_REDIS_URL ?= redis://127.0.0.1:6379/13
TEST_DATES_ENV = DATABASE_URL=$(TEST_DATES_DATABASE_URL) CELERY_BROKER_URL=$(TEST_DATES_REDIS_URL) \
	CACHE_URL=$(TEST_DATES_REDIS_URL) CONN_MAX_AGE=0

# The date-sensitive modules run again as if it were each of these moments in the district's
# zone: the first day of a school year, Thanksgiving week, the last day of a short month, and
# 23:30 on New Year's Eve (already next year in UTC). No test may depend on the day it runs.
TEST_MOMENTS ?= 2026-07-01T07:30 2026-11-25 2027-02-28 2026-12-31T23:30
DATE_SENSITIVE ?= tests/dashboard/test_home.py tests/core/test_today.py tests/district_plan \
	tests/theories tests/visits tests/public tests/benchmarking tests/reports/test_pages.py \
	tests/reports/test_rendering.py tests/reports/test_nightly.py tests/reports/test_attempts.py \
	tests/core/test_history.py

# The date runs go beside the main run (their own database and Redis number), on the second
# core; their output follows the main run's. Either failing fails `make test`.
test: $(VENV)/.installed system-deps services lint $(MESSAGES)
	@mkdir -p test-artifacts
	@$(MAKE) --no-print-directory test-dates > test-artifacts/test-dates.log 2>&1 & dates=$$!; \
	$(TEST_ENV) $(VENV)/bin/pytest $(PYTEST_ARGS); main=$$?; \
	wait $$dates; dated=$$?; cat test-artifacts/test-dates.log; \
	test $$main -eq 0 && test $$dated -eq 0

test-dates: $(VENV)/.installed $(MESSAGES)
	for moment in $(TEST_MOMENTS); do \
		echo "Date-sensitive tests as of $$moment"; \
		TEST_NOW=$$moment $(TEST_DATES_ENV) $(VENV)/bin/pytest -q -p no:warnings $(DATE_SENSITIVE) || exit 1; \
	done

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Measures query counts, page times and the large board summary on seed_demo data.
bench: $(VENV)/.installed system-deps services $(MESSAGES)
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'district_bench'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres district_bench
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_REDIS_URL) CACHE_URL=$(BENCH_REDIS_URL) \
		$(PY) bench/run.py

CLUSTER_DB ?= district_cluster
CLUSTER_REDIS_URL ?= redis://127.0.0.1:6379/12

# The production shape spread over processes that share only PostgreSQL, Redis and S3: two
# gunicorn web servers behind HAProxy (round robin, no stickiness), a renders and an emails
# worker and a local S3 store (moto), then a browser session across them (bench/cluster.py).
# Its own database and Redis number, reseeded with the small demo each run.
cluster-check: $(VENV)/.installed system-deps services $(MESSAGES)
	psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$(CLUSTER_DB)'" | grep -q 1 \
		|| createdb -h 127.0.0.1 -U postgres $(CLUSTER_DB)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/$(CLUSTER_DB) CELERY_BROKER_URL=$(CLUSTER_REDIS_URL) \
		$(PY) bench/cluster.py

# Compiles requirements.in into requirements.lock (production: the image installs only this)
# and requirements-dev.in into requirements-dev.lock (tests and tools, bound by the production
# pins), each with the hashes of every file of every pinned release, for Python 3.11 on any
# platform. The compiler is uv, pinned in requirements-dev.lock. Versions already pinned stay;
# a new or changed requirement is resolved. `make lock LOCK_FLAGS=--upgrade` takes the newest
# releases the .in files allow (`LOCK_FLAGS="--upgrade-package celery"` for one).
LOCK_FLAGS ?=
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --no-strip-extras --custom-compile-command "make lock" $(LOCK_FLAGS)
lock: $(VENV)/.installed
	$(UV_COMPILE) requirements.in -o requirements.lock
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.lock

clean:
	rm -rf $(VENV) staticfiles .pytest_cache $(MESSAGES)
