# Council: build, run, test and benchmark. `make run` and `make test` work on a fresh Debian 12 machine with Swift.
SHELL := /bin/bash
SWIFT ?= swift
RUN_DIR ?= .run
BROKER ?=
MQTT_PORT ?= 1883
CONFIG ?= etc/council.toml
DEB_PACKAGES := pkg-config libmosquitto-dev libsqlite3-dev mosquitto mosquitto-clients

.PHONY: all deps build release run test bench clean format lint

all: build

## deps: install missing Debian packages (as root, or through sudo when available)
deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo=sudo; else \
			echo "missing packages: $$missing (run as root or install sudo)" >&2; exit 1; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "Swift 6 is required (https://www.swift.org/install/linux/)" >&2; exit 1; }

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
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## bench: the request path against a real broker, as ratios to an echo responder on the same Bus
bench: deps
	$(SWIFT) build -c release --product CouncilBench
	$$($(SWIFT) build -c release --show-bin-path)/CouncilBench

## format / lint: swift-format with the repository's .swift-format (4 spaces, 120 columns)
format:
	$(SWIFT) format --in-place --recursive Sources Tests Benchmarks Package.swift

lint:
	$(SWIFT) format lint --recursive Sources Tests Benchmarks Package.swift

clean:
	rm -rf .build $(RUN_DIR)
