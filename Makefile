# proclab: the two commands a newcomer needs are `make lab-zombie` and `make test`.
# Everything else is installed on demand: a virtualenv in .venv, and the image proclab:latest.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := .build/image
SOURCES := $(shell find lab -name '*.py') docker/Dockerfile docker/proclab docker/make-base.sh
COMPOSE := $(shell docker compose version >/dev/null 2>&1 && echo "docker compose" || echo docker-compose)
LABS    := ps spawn isolation join attributes zombie orphan reap init daemon lock queue pipe prodcons

# `make lab-zombie LANG=zh_CN.UTF-8` or `LAB_LANG=zh` narrates in Chinese.
export LANG LC_ALL LAB_LANG

.PHONY: help build test bench soak shell clean grade $(addprefix lab-,$(LABS))

help:
	@echo "make lab-zombie   a guided lab in a container (also: $(addprefix lab-,$(LABS))); BACKEND=local: in place"
	@echo "make test         the test suite (real containers; needs Docker)"
	@echo "make grade EXERCISE=zombie SUBMISSION=path   grade a file, a folder, or a folder of them (OUT=dir, JOBS=n)"
	@echo "make shell        a shell in a container where a zombie maker runs"
	@echo "make build        (re)build the image proclab:latest"
	@echo "make bench        benchmarks, as ratios against a baseline"
	@echo "make soak         every hostile program and every exercise graded $(SOAK_ROUNDS) times: identical verdicts"
	@echo "make clean        remove every container labelled proclab"

$(BIN)/proclab: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

$(STAMP): $(BIN)/proclab $(SOURCES)
	$(BIN)/proclab build
	@mkdir -p $(dir $@) && touch $@

build: $(STAMP)

# `make lab-zombie BACKEND=local` runs in place, without Docker (and without building the image).
$(addprefix lab-,$(LABS)): lab-%: $(if $(filter local,$(BACKEND)),$(BIN)/proclab,$(STAMP))
	@$(BIN)/proclab lab $* $(if $(FAST),--fast) $(if $(BACKEND),--backend $(BACKEND))

# The tests run in parallel (pytest-xdist), the longest first (tests/conftest.py); the tests that
# must not run beside each other share an xdist_group (tests/support.py). Four workers on two
# cores: the container tests mostly wait, but every observed sandbox costs about a fifth of a core
# (a /proc snapshot every 10 ms), so four keep both cores busy, and more only slow each test down.
# TEST_WORKERS=n, or PYTEST_ARGS=-n0 to run one test at a time.
TEST_WORKERS ?= 4
test: $(STAMP)
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup --junitxml=.test-results/junit.xml $(PYTEST_ARGS)

grade:
	@test -n "$(EXERCISE)" -a -n "$(SUBMISSION)" || { echo "usage: make grade EXERCISE=zombie SUBMISSION=path [OUT=dir] [JOBS=n] [FORMAT=text] [BACKEND=local]"; exit 2; }
	@$(MAKE) --no-print-directory $(if $(filter local,$(BACKEND)),$(BIN)/proclab,$(STAMP))
	@$(BIN)/proclab grade $(EXERCISE) $(SUBMISSION) $(if $(OUT),--out $(OUT)) $(if $(JOBS),--jobs $(JOBS)) $(if $(FORMAT),--format $(FORMAT)) $(if $(BACKEND),--backend $(BACKEND))

SOAK_ROUNDS ?= 5
soak: $(STAMP)
	PROCLAB_SOAK=full PROCLAB_SOAK_ROUNDS=$(SOAK_ROUNDS) $(BIN)/pytest tests/test_soak.py $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

shell: $(STAMP)
	$(COMPOSE) run --rm shell

clean: $(BIN)/proclab
	$(BIN)/proclab clean
