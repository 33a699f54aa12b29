# The teaching DNS resolver: every stage built the same way, with the same flags.
#
#   make                   build every stage:   build/<stage>/resolver
#   make stage2_parse      build one stage (its resolver and its tests)
#   make test              install what is missing, build, run every test, plain
#                          and under AddressSanitizer + UndefinedBehaviorSanitizer
#   make sanitize          only the sanitizer run
#   make demo              see the newest stage answer dig
#   make diff STAGE=2      what stage 2 adds to stage 1
#   make format            format every source with .clang-format

# The stage list, in one place: every directory stageN_name, in order.
STAGES := $(sort $(wildcard stage[1-7]_*))

BUILD ?= build
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

# Each stage: its resolver, its unit tests (tests/unit_*.cpp, with the stage's
# code) and its end-to-end tests (tests/e2e_*.cpp, which talk to a running
# resolver: this stage's and every later one's).
define STAGE_RULES
$(1)_SOURCES := $$(filter-out $(1)/main.cpp,$$(wildcard $(1)/*.cpp))
$(1)_BINARIES := $(BUILD)/$(1)/resolver
$(BUILD)/$(1)/resolver: $$(call objects,$(1)/main.cpp $$($(1)_SOURCES) $(COMMON_SOURCES))
	@mkdir -p $$(@D)
	$(CXX) $(OPTIMIZE) $$^ -o $$@ $(LDLIBS)
ifneq ($$(wildcard $(1)/tests/unit_*.cpp),)
$(1)_BINARIES += $(BUILD)/$(1)/unit_tests
$(BUILD)/$(1)/unit_tests: $$(call objects,$$(wildcard $(1)/tests/unit_*.cpp) $$($(1)_SOURCES) $(COMMON_SOURCES) $(TESTING_SOURCES))
	@mkdir -p $$(@D)
	$(CXX) $(OPTIMIZE) $$^ -o $$@ $(LDLIBS)
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

# The code in common/ has unit tests of its own.
ALL_BINARIES += $(BUILD)/common/unit_tests
$(BUILD)/common/unit_tests: $(call objects,$(wildcard common/tests/unit_*.cpp) $(COMMON_SOURCES) common/testing/doctest_main.cpp)
	@mkdir -p $(@D)
	$(CXX) $(OPTIMIZE) $^ -o $@ $(LDLIBS)

.DEFAULT_GOAL := all
.PHONY: all deps test sanitize test-plain test-sanitize build-sanitize demo diff format clean

all: $(ALL_BINARIES)

# Installs the Debian packages the tests need (or says which apt-get command to run).
deps:
	@common/tools/install_deps.sh test

# `make test` runs everything twice: optimised, and under ASan + UBSan (built in
# build-sanitize/), and ends with one line: N passed, M failed.
test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory build-sanitize
	@common/tools/run_tests.sh build build-sanitize -- $(STAGES)

sanitize: deps build-sanitize
	@common/tools/run_tests.sh build-sanitize -- $(STAGES)

build-sanitize:
	@$(MAKE) --no-print-directory all BUILD=build-sanitize OPTIMIZE="-O1 -g $(SANITIZERS)"

demo: deps all
	@common/tools/demo.sh $(lastword $(STAGES))

diff:
	@common/tools/stage_diff.sh $(STAGE)

format:
	clang-format -i $$(find common $(STAGES) -name '*.cpp' -o -name '*.hpp')

clean:
	rm -rf build build-sanitize

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
