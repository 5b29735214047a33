# dbiam: the two commands a new machine needs are `make demo` and `make test`.
# Both install what is missing (scripts/setup) and start the local Aurora stand-in.

SWIFT ?= swift
export DBIAM_PYTHON := $(CURDIR)/.venv/bin/python
export DBIAM_LOCAL_ADMIN_PASSWORD ?= local-admin-secret

.PHONY: setup build test demo db-up db-down clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

# Tests that need the local server fail, not skip, when DBIAM_REQUIRE_SERVER is set.
test: setup
	@aurora-standin/with-server env DBIAM_REQUIRE_SERVER=1 $(SWIFT) test

db-up: setup
	@aurora-standin/db-up

db-down:
	@aurora-standin/db-down

clean:
	rm -rf .build out .local
