# dbiam: the two commands a new machine needs are `make demo` and `make test`.
# Both install what is missing (scripts/setup) and start the local Aurora stand-in
# and the local AWS stand-in (moto, aws-standin/).

SWIFT ?= swift
# The dbiam that people run: optimized, with the Swift runtime and FoundationEssentials linked in,
# which spares every run loading and relocating them (about 6 ms and 6 MB each time).
# Linked by lld, which exports nothing, packs the relocations where this machine's glibc
# reads them packed (DT_RELR, glibc 2.36 or later: a binary with them does not start on
# an older one), and puts the functions common runs execute (bench/hot-functions.txt,
# `make hot-functions`) side by side: the kernel maps code 64 KiB at a time, so
# scattered functions map most of the binary (docs/performance.md). Every release build
# uses the same flags, or each would compile everything again for the next.
PACKED_RELOCATIONS := $(shell getconf GNU_LIBC_VERSION 2>/dev/null | awk '{ split($$2, v, "."); if (v[1] > 2 || (v[1] == 2 && v[2] >= 36)) print "-Xlinker -z -Xlinker pack-relative-relocs" }')
RELEASE_BUILD = $(SWIFT) build -c release --static-swift-stdlib \
	-Xswiftc -use-ld=lld -Xswiftc -Xfrontend -Xswiftc -function-sections \
	$(PACKED_RELOCATIONS) -Xlinker --no-export-dynamic \
	-Xlinker --symbol-ordering-file=$(CURDIR)/bench/hot-functions.txt -Xlinker --no-warn-symbol-ordering
export DBIAM_PYTHON := $(CURDIR)/.venv/bin/python
export DBIAM_LOCAL_ADMIN_PASSWORD ?= local-admin-secret
PREFIX ?= /usr/local

.PHONY: setup build test test-standin demo bench hot-functions fuzz install db-up db-down aws-up aws-down clean

setup:
	@scripts/setup

build: setup
	$(SWIFT) build

# The stand-ins' own tests (the AWS one on a port of its own), then the Aurora
# stand-in's end-to-end test and the Swift tests against both servers, which the
# with-server wrappers start and stop when they were not running (the AWS one sets
# AWS_ENDPOINT_URL and DBIAM_TEST_AWS_ENDPOINT). Server tests share one server of
# each, so tests run one at a time. The man page's test needs swift-argument-parser's
# generate-manual, which the package's own build leaves out.
test: setup
	@$(SWIFT) build --product generate-manual
	@aurora-standin/test
	@aws-standin/test
	@aurora-standin/with-server aws-standin/with-server sh -c 'aurora-standin/test-e2e && $(SWIFT) test --no-parallel'

test-standin: setup
	@aurora-standin/test
	@aws-standin/test
	@aurora-standin/with-server aurora-standin/test-e2e

# The main job end to end on the local stand-in (scripts/demo says what it shows).
demo: setup
	@$(SWIFT) build --product dbiam
	@aurora-standin/db-up
	@aws-standin/aws-up
	@scripts/demo

# dbiam against its references (libyaml, the mariadb client, Ansible), in release mode
# on the local server; prints one table and writes .local/bench/results.json.
bench: setup
	@bench/setup
	@$(RELEASE_BUILD) --product dbiam
	@$(RELEASE_BUILD) --product dbiam-bench
	@aurora-standin/with-server aws-standin/with-server .build/release/dbiam-bench

# Records bench/hot-functions.txt: the functions that validate, plan and apply execute,
# under callgrind on the local server. The list is committed; relinking picks it up.
hot-functions: setup
	@$(RELEASE_BUILD) --product dbiam
	@aurora-standin/with-server bench/record-hot-functions
	@rm -f .build/release/dbiam
	@$(RELEASE_BUILD) --product dbiam

# libFuzzer + AddressSanitizer on the parser and validator for FUZZ_SECONDS (default 120).
fuzz: setup
	@scripts/fuzz

# A release build, then the binary, its shell completions (bash, zsh, fish) and its man
# page under PREFIX (default /usr/local): scripts/install says where.
install: setup
	$(RELEASE_BUILD) --product dbiam
	$(RELEASE_BUILD) --product generate-manual
	@scripts/install "$(PREFIX)"

db-up: setup
	@aurora-standin/db-up

db-down:
	@aurora-standin/db-down

aws-up: setup
	@aws-standin/aws-up

aws-down:
	@aws-standin/aws-down

clean:
	-@aurora-standin/db-down
	-@aws-standin/aws-down
	rm -rf .build out .local
