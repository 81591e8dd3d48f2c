# Council: build, run, test and benchmark. `make run` and `make test` work on a fresh Debian 12 machine with Swift.
SHELL := /bin/bash
SWIFT ?= swift
RUN_DIR ?= .run
BROKER ?=
MQTT_PORT ?= 1883
CONFIG ?= etc/council.toml
DEB_PACKAGES := pkg-config libmosquitto-dev libsqlite3-dev libcurl4-openssl-dev libseccomp-dev python3 \
	mosquitto mosquitto-clients
# Only for `make test`: SWI-Prolog for the logic engine's differential tests; cmake, g++ and venv to build the
# llama.cpp server (llama-cpp-python) the LLM integration tests talk to.
TEST_PACKAGES := swi-prolog-nox cmake g++ python3-venv
LLM_VENV ?= .venv-llm
# Only for `make deb` and `make package-test`.
PACKAGING_PACKAGES := dpkg-dev lintian binutils adduser

.PHONY: all deps test-deps build release run test bench deb package-test clean format lint

all: build

## deps: install missing Debian packages (as root, or through sudo when available)
deps:
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(DEB_PACKAGES)"
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required (https://www.swift.org/install/linux/)" >&2; exit 1; }

## test-deps: what the tests need beyond the build: packages, and a virtualenv with llama.cpp's OpenAI-compatible
## server (compiled once, ~8 minutes on 2 cores; pip caches the wheel afterwards)
test-deps: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(TEST_PACKAGES)"
	@if [ ! -x $(LLM_VENV)/bin/python ] || ! $(LLM_VENV)/bin/python -c 'import llama_cpp.server, gguf' 2>/dev/null; then \
		echo "building $(LLM_VENV) (llama-cpp-python; the first time compiles llama.cpp)"; \
		python3 -m venv $(LLM_VENV) && \
		$(LLM_VENV)/bin/pip install -q "llama-cpp-python[server]==0.3.36" "gguf==0.19.0" numpy; \
	fi

install-packages:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else \
			echo "missing packages: $$missing (run as root or install sudo)" >&2; exit 1; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

## run: build, start a local broker unless one is configured (BROKER=mqtt://host:port) or already listening, serve
run: release
	@mkdir -p $(RUN_DIR)/state
	@broker="$(BROKER)"; \
	if [ -z "$$broker" ]; then \
		broker="mqtt://127.0.0.1:$(MQTT_PORT)"; \
		if (exec 3<>/dev/tcp/127.0.0.1/$(MQTT_PORT)) 2>/dev/null; then \
			echo "using the broker already listening on 127.0.0.1:$(MQTT_PORT)"; \
			echo "(for ~0.5 ms round trips it needs 'set_tcp_nodelay true' in mosquitto.conf)"; \
		else \
			printf 'listener $(MQTT_PORT) 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\n' > $(RUN_DIR)/mosquitto.conf; \
			mosquitto -c $(RUN_DIR)/mosquitto.conf > $(RUN_DIR)/mosquitto.log 2>&1 & echo $$! > $(RUN_DIR)/mosquitto.pid; \
			trap 'kill $$(cat $(RUN_DIR)/mosquitto.pid) 2>/dev/null' EXIT; \
			for i in $$(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$(MQTT_PORT)) 2>/dev/null && break; sleep 0.1; done; \
			echo "started mosquitto on 127.0.0.1:$(MQTT_PORT) (log: $(RUN_DIR)/mosquitto.log)"; \
		fi; \
	fi; \
	echo "ask from another terminal:  .build/release/council ask \"What is 25% of 80% of 160?\""; \
	$$(swift build -c release --show-bin-path)/council serve --config $(CONFIG) --broker "$$broker" --state-dir $(RUN_DIR)/state

## test: build everything and run every test; integration tests start their own mosquitto on a free port
test: test-deps
	$(SWIFT) build --build-tests
	COUNCIL_LLM_VENV=$(abspath $(LLM_VENV)) $(SWIFT) test --skip-build

## deb: council_<version>_<arch>.deb from a static-stdlib release build; lintian must report no errors
deb: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(PACKAGING_PACKAGES)"
	packaging/build-deb.sh

## package-test: build the .deb, apt install it, run it as the council user against a throwaway broker, ask, purge,
## and check nothing is left behind (as root; it installs and removes the package on this machine)
package-test: deps
	@$(MAKE) --no-print-directory install-packages PACKAGES="$(PACKAGING_PACKAGES)"
	packaging/test-install.sh

## bench: every benchmark, as ratios to a baseline measured in the same run (BENCH="request budget" picks sections)
bench: deps
	$(SWIFT) build -c release --product CouncilBench
	$$($(SWIFT) build -c release --show-bin-path)/CouncilBench $(BENCH)

## format / lint: swift-format with the repository's .swift-format (4 spaces, 120 columns)
format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Package.swift

lint:
	$(SWIFT) format lint --recursive Sources Tests Benchmarks Package.swift

clean:
	rm -rf .build $(RUN_DIR)
