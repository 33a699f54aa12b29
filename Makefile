# The teaching DNS resolver: every stage built the same way, with the same flags.
#
#   make                   build every stage:   build/<stage>/resolver
#   make stage2_parse      build one stage (its resolver and its tests)
#   make test              install what is missing, build, run every test, plain
#                          and under AddressSanitizer + UndefinedBehaviorSanitizer
#   make sanitize          only the sanitizer run
#   make demo              see the newest stage answer dig
#   make diff STAGE=2      what stage 2 adds to stage 1
#   make parts STAGE=7     the parts of a lesson read in parts (its stage's PARTS file)
#   make diff STAGE=7 PART=cache   only that part's files, in the order the lesson reads them
#   make fuzz              run every libFuzzer target for FUZZ_SECONDS (default 60)
#   make bench             (as root) the newest stage against Unbound, PowerDNS Recursor and
#                          Knot Resolver, measured by dnsperf; results in bench-results/
#   make format            format every source with .clang-format

# The stage list, in one place: every directory stageN_name, in order.
STAGES := $(sort $(wildcard stage[1-7]_*))

BUILD ?= build
# Builds use every core: `make test` on a fresh machine compiles every stage three
# times (plain, sanitizers, fuzzers).
JOBS ?= $(shell nproc)
CXX := g++
CXXFLAGS := -std=c++20 -Wall -Wextra -Werror -I. -MMD -MP
OPTIMIZE ?= -O2 -g
SANITIZERS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
LDLIBS := -pthread

COMMON_SOURCES := $(wildcard common/*.cpp)
TESTING_SOURCES := $(wildcard common/testing/*.cpp)

objects = $(patsubst %.cpp,$(BUILD)/obj/%.o,$(1))

$(BUILD)/obj/%.o: %.cpp
	@mkdir -p $(@D)
	$(CXX) $(CXXFLAGS) $(OPTIMIZE) -c $< -o $@

# Libraries a stage's code needs beyond LDLIBS, as <stage dir>_LIBS: stage 7
# checks DNSSEC signatures and digests with OpenSSL's libcrypto
# (dnssec_crypto.cpp). Its resolver, unit tests and fuzz targets link it, in
# every build (plain, sanitizers, ThreadSanitizer); no earlier stage does.
stage7_concurrency_LIBS := -lcrypto

# Each stage: its resolver, its unit tests (tests/unit_*.cpp, with the stage's
# code) and its end-to-end tests (tests/e2e_*.cpp, which talk to a running
# resolver: this stage's and every later one's).
define STAGE_RULES
$(1)_SOURCES := $$(filter-out $(1)/main.cpp,$$(wildcard $(1)/*.cpp))
$(1)_BINARIES := $(BUILD)/$(1)/resolver
$(BUILD)/$(1)/resolver: $$(call objects,$(1)/main.cpp $$($(1)_SOURCES) $(COMMON_SOURCES))
	@mkdir -p $$(@D)
	$(CXX) $(OPTIMIZE) $$^ -o $$@ $(LDLIBS) $$($(1)_LIBS)
ifneq ($$(wildcard $(1)/tests/unit_*.cpp),)
$(1)_BINARIES += $(BUILD)/$(1)/unit_tests
$(BUILD)/$(1)/unit_tests: $$(call objects,$$(wildcard $(1)/tests/unit_*.cpp) $$($(1)_SOURCES) $(COMMON_SOURCES) $(TESTING_SOURCES))
	@mkdir -p $$(@D)
	$(CXX) $(OPTIMIZE) $$^ -o $$@ $(LDLIBS) $$($(1)_LIBS)
endif
ifneq ($$(wildcard $(1)/tests/e2e_*.cpp),)
$(1)_BINARIES += $(BUILD)/$(1)/e2e_tests
$(BUILD)/$(1)/e2e_tests: $$(call objects,$$(wildcard $(1)/tests/e2e_*.cpp) $(TESTING_SOURCES) $(COMMON_SOURCES))
	@mkdir -p $$(@D)
	$(CXX) $(OPTIMIZE) $$^ -o $$@ $(LDLIBS)
endif
.PHONY: $(1)
$(1): $$($(1)_BINARIES)
ALL_BINARIES += $$($(1)_BINARIES)
endef
$(foreach stage,$(STAGES),$(eval $(call STAGE_RULES,$(stage))))

# The test bed's scripted responder (stage 4): the misbehaving servers that real
# authoritative software will not play. Built with every build, like the stages.
RESPONDER_SOURCES := $(wildcard stage4_testbed/testbed/responder/*.cpp)
ifneq ($(RESPONDER_SOURCES),)
ALL_BINARIES += $(BUILD)/stage4_testbed/scripted_responder
$(BUILD)/stage4_testbed/scripted_responder: $(call objects,$(RESPONDER_SOURCES) $(COMMON_SOURCES))
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZE) $^ -o $@ $(LDLIBS)
# The stage 4 lesson starts the test bed with it: make stage4_testbed builds it too.
stage4_testbed: $(BUILD)/stage4_testbed/scripted_responder
endif

# The corpus replay tool (stage 5): every captured message, as a query and as
# an upstream reply, against a running stage.
REPLAY_SOURCES := $(wildcard stage5_real_traffic/replay/*.cpp)
ifneq ($(REPLAY_SOURCES),)
ALL_BINARIES += $(BUILD)/stage5_real_traffic/replay_corpus
$(BUILD)/stage5_real_traffic/replay_corpus: $(call objects,$(REPLAY_SOURCES) $(filter-out common/testing/doctest_main.cpp,$(TESTING_SOURCES)) $(COMMON_SOURCES))
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZE) $^ -o $@ $(LDLIBS)
# The stage 5 lesson runs it: make stage5_real_traffic builds it too.
stage5_real_traffic: $(BUILD)/stage5_real_traffic/replay_corpus
endif

# libFuzzer targets (stage*/fuzz/*.cpp), built with clang, ASan and UBSan into
# build-fuzz/<stage>/<target>, with the stage's code (without main.cpp).
CLANGXX := clang++
# -fno-sanitize=function: clang 14 cannot emit that check together with the
# fuzzer's coverage in a C++20 coroutine ("Cannot represent a difference across
# sections"); it checks calls through mistyped function pointers, which the
# stages do not make.
FUZZ_FLAGS := -std=c++20 -Wall -Wextra -Werror -I. -g -O1 \
	-fsanitize=fuzzer,address,undefined -fno-sanitize=function -fno-sanitize-recover=all
FUZZ_SECONDS ?= 60
define FUZZ_RULES
$(1)_FUZZERS := $$(patsubst $(1)/fuzz/%.cpp,build-fuzz/$(1)/%,$$(wildcard $(1)/fuzz/*.cpp))
build-fuzz/$(1)/%: $(1)/fuzz/%.cpp $$($(1)_SOURCES) $(COMMON_SOURCES)
	@mkdir -p $$(@D)
	$(CLANGXX) $(FUZZ_FLAGS) -MMD -MP -MF $$@.d $$(filter %.cpp,$$^) -o $$@ $$($(1)_LIBS)
ALL_FUZZERS += $$($(1)_FUZZERS)
endef
$(foreach stage,$(STAGES),$(eval $(call FUZZ_RULES,$(stage))))

# The lesson checker (common/tools/lesson_checker.cpp): the output pasted in every
# LESSON.md against what the stages print today. Run once, from the plain build
# only: under the sanitizers, g++ 12 warns wrongly inside <regex>, which it uses.
ifeq ($(BUILD),build)
ALL_BINARIES += build/common/lesson_checks
build/common/lesson_checks: $(call objects,common/tools/lesson_checker.cpp $(TESTING_SOURCES) $(COMMON_SOURCES))
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZE) $^ -o $@ $(LDLIBS)
endif

# The floor of make bench: a responder that does no DNS work (common/tools/canned_responder.cpp).
ALL_BINARIES += $(BUILD)/common/canned_responder
$(BUILD)/common/canned_responder: $(call objects,common/tools/canned_responder.cpp)
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZE) $^ -o $@ $(LDLIBS)

# The code in common/ has unit tests of its own.
ALL_BINARIES += $(BUILD)/common/unit_tests
$(BUILD)/common/unit_tests: $(call objects,$(wildcard common/tests/unit_*.cpp) $(COMMON_SOURCES) common/testing/doctest_main.cpp)
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZE) $^ -o $@ $(LDLIBS)

.DEFAULT_GOAL := all
.PHONY: all deps test sanitize build-sanitize build-tsan build-fuzz fuzz bench demo diff parts format clean

all: $(ALL_BINARIES)

# Installs the Debian packages the tests need (or says which apt-get command to run).
deps:
	@common/tools/install_deps.sh test

# `make test` runs everything twice: optimised, and under ASan + UBSan (built in
# build-sanitize/), and ends with one line: N passed, M failed.
# It also gives every fuzz target a short run (FUZZ_SECONDS_IN_TEST each).
FUZZ_SECONDS_IN_TEST ?= 10
test: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@$(MAKE) --no-print-directory -j$(JOBS) build-sanitize
	@$(MAKE) --no-print-directory -j$(JOBS) build-tsan
	@$(MAKE) --no-print-directory -j$(JOBS) build-fuzz
	@FUZZ_SECONDS=$(FUZZ_SECONDS_IN_TEST) common/tools/run_tests.sh build build-sanitize -- $(STAGES)

build-fuzz: $(ALL_FUZZERS)

# A longer fuzzing run: make fuzz FUZZ_SECONDS=1800
fuzz: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build-fuzz
	@common/tools/run_fuzzers.sh $(FUZZ_SECONDS) $(ALL_FUZZERS)

sanitize: deps
	@$(MAKE) --no-print-directory -j$(JOBS) build-sanitize
	@common/tools/run_tests.sh build-sanitize -- $(STAGES)

build-sanitize:
	@$(MAKE) --no-print-directory all BUILD=build-sanitize OPTIMIZE="-O1 -g $(SANITIZERS)"

# The stage with threads, built once more under ThreadSanitizer (build-tsan/):
# run_tests.sh runs its tests there too, and fails on any data race reported.
CONCURRENT_STAGE := $(filter stage7_%,$(STAGES))
build-tsan:
ifneq ($(CONCURRENT_STAGE),)
	@$(MAKE) --no-print-directory BUILD=build-tsan OPTIMIZE="-O1 -g -fsanitize=thread" \
		build-tsan/$(CONCURRENT_STAGE)/resolver build-tsan/$(CONCURRENT_STAGE)/unit_tests \
		build-tsan/$(CONCURRENT_STAGE)/e2e_tests
endif

# A benchmark, not a test: as root (the test bed must use port 53, the only port
# the peers ask authoritative servers on), so it checks that first, before
# installing or building anything. About 12 minutes; see common/tools/bench.sh.
bench:
	@common/tools/bench.sh --check-root
	@common/tools/install_deps.sh bench
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@common/tools/bench.sh $(lastword $(STAGES))

demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all
	@common/tools/demo.sh $(lastword $(STAGES))

diff:
	@common/tools/stage_diff.sh $(STAGE) $(PART)

parts:
	@common/tools/stage_diff.sh --parts $(STAGE)

format:
	clang-format -i $$(find common $(STAGES) -name '*.cpp' -o -name '*.hpp')

clean:
	rm -rf build build-sanitize build-tsan build-fuzz

-include $(shell find $(BUILD)/obj build-fuzz -name '*.d' 2>/dev/null)
