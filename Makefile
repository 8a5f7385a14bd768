# Thin wrapper over CMake; see README.md.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 300
# What `make test` runs of the long suites; `make fuzz` and `make faults` run them longer.
TEST_FUZZ_SECONDS ?= 20
TEST_KILLS ?= 10
CMAKE_GEN  := -G Ninja
# Unity builds: a quarter less CPU for a whole build; UNITY=OFF recompiles less after one edit.
UNITY      ?= ON

.PHONY: all deps configure build build-asan build-fuzz demo package test-install test test-release test-asan test-fuzz test-servers server-deps fuzz faults cluster-up cluster-down bench clean

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_UNITY_BUILD=$(UNITY)

build: configure
	cmake --build $(BUILD)

build-asan: deps
	cmake -S . -B $(ASAN_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DPLAYSTREAM_SANITIZE=ON -DCMAKE_UNITY_BUILD=$(UNITY)
	cmake --build $(ASAN_BUILD)

# The libFuzzer targets (fuzz/), with clang-14 under ASan + UBSan; only the code they fuzz is built.
build-fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD) $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug \
		-DPLAYSTREAM_FUZZ=ON -DPLAYSTREAM_BENCH=OFF
	cmake --build $(FUZZ_BUILD) --target fuzzers

# Each fuzz target for FUZZ_SECONDS against a copy of its seed corpus (fuzz/corpus/TARGET).
fuzz: build-fuzz
	fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS)

# The demo needs only the binary, not the tests and benchmarks.
demo: configure
	cmake --build $(BUILD) --target playstream
	$(BUILD)/playstream demo

# A Debian package of the release build (CPack): build/playstream_VERSION_ARCH.deb.
package: configure
	cmake --build $(BUILD) --target playstream
	cd $(BUILD) && cpack

# Installs that package with apt-get, runs `playstream demo` from PATH, removes it (root only).
test-install: package
	tests/install/deb_install.sh $(BUILD) $(CURDIR)

# Every test: in the release build, again under AddressSanitizer + UBSan, 20 s of each fuzz
# target, the .deb installed and run, then against real Kafka and Cassandra servers that
# scripts/local-cluster starts (and stops) on loopback. tests/all.sh runs these stages, each
# build beside the tests of the one before (tests mostly wait, builds compute), and prints each
# stage's time; its logs are in $(BUILD)/test-logs/.
test:
	@tests/all.sh BUILD=$(BUILD) ASAN_BUILD=$(ASAN_BUILD) FUZZ_BUILD=$(FUZZ_BUILD)

# What test-servers needs to fetch (JDK, Maven, the servers' jars, cqlsh), ahead of it.
server-deps:
	scripts/install-server-deps.sh
	scripts/local-cluster install

# Three tests at a time: they mostly wait on sockets, timers and child processes. The fault
# matrix's (faults.*) are RUN_SERIAL: their kills must land while rows are being stored.
test-release: build
	cd $(BUILD) && PLAYSTREAM_FAULT_KILLS=$(TEST_KILLS) ctest -j3 --output-on-failure --timeout 900

test-asan: build-asan
	cd $(ASAN_BUILD) && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest -j3 --output-on-failure --timeout 900

test-fuzz: build-fuzz
	fuzz/run.sh $(FUZZ_BUILD) $(TEST_FUZZ_SECONDS)

test-servers: build
	tests/integration/run.sh $(BUILD)/playstream $(CURDIR)

# The whole fault matrix (tests/faults/, README "Delivery guarantees"), longer than in `make test`:
# 60 random kills in the release build, the deterministic kill points in the ASan build (the one
# with the fault-injection hook), then the server kills and a Cassandra write cut in half on one
# node, then on three nodes a 4th joining and leaving and the whole cluster restarted.
FAULT_KILLS ?= 60
faults: build build-asan
	cd $(BUILD) && PLAYSTREAM_FAULT_KILLS=$(FAULT_KILLS) ctest -L faults --output-on-failure
	cd $(ASAN_BUILD) && ctest -L faults --output-on-failure --timeout 900
	tests/integration/run.sh $(ASAN_BUILD)/playstream $(CURDIR) faults/servers/kafka_broker_kill \
		faults/servers/cassandra_node_kill faults/servers/cassandra_mid_write cassandra_outage
	tests/integration/run.sh $(ASAN_BUILD)/playstream $(CURDIR) --cluster "--cassandra-nodes 3" \
		faults/servers/cassandra_topology_change faults/servers/cassandra_cluster_restart

cluster-up:
	scripts/install-server-deps.sh
	scripts/local-cluster up

cluster-down:
	scripts/local-cluster down

bench: build
	bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
