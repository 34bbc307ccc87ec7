# Two commands for a fresh machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEMO_SCALE ?= 0.002
# `make demo PORT=8080` when 8000 is taken.
PORT ?= 8000
# The demo runs as production would show errors: DEBUG off, so a newcomer meets the Chinese 403/404/500
# pages rather than Django's debug pages; whitenoise serves the collected static files.
DEMO_ENV := DEBUG=False
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/huzhou_union
# Each pytest-xdist worker takes the Redis database after the last: gw0 uses 14, gw1 uses 15.
TEST_REDIS_URL ?= redis://127.0.0.1:6379/14
# Two workers for two cores; each has its own test database (test_<name>_gw0, _gw1).
TEST_WORKERS ?= 2

.PHONY: demo test install install-dev services system-deps lint bench clean

$(VENV)/.installed: requirements.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt -c constraints.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt constraints.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Embedded default (SQLite, Celery eager) unless DATABASE_URL / REDIS_URL are set.
# The report-card PDF carries its own CJK font (static/dashboard/fonts), so no font needs installing;
# WeasyPrint's Pango is the one system library it cannot ship, and the check only warns without it.
demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py collectstatic --noinput -v 0
	$(DEMO_ENV) $(PY) manage.py seed_demo --scale $(DEMO_SCALE) --seed 2024 --accounts
	$(DEMO_ENV) $(PY) manage.py rollup --year 2024
	@$(PY) -c "import weasyprint" 2>/dev/null || echo "注意：未找到 Pango，成绩单 PDF 无法生成；请以 root 运行 make system-deps（或 apt-get install libpango-1.0-0 libpangoft2-1.0-0）。" >&2
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

services:
	bash scripts/ensure-services.sh

system-deps:
	bash scripts/system-deps.sh

test: system-deps install-dev services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/ruff check .
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/ruff format --check .
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/mypy
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest -p no:cacheprovider --create-db \
		-n $(TEST_WORKERS) --dist loadgroup

lint: install-dev
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . && $(VENV)/bin/mypy

bench: install-dev services
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) bench/import_members.py --rows 100000

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
