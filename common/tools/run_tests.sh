#!/usr/bin/env bash
# Runs every test program of every stage and ends with one line of its own:
#   N passed, M failed
# counting test cases over every suite.
#
#   run_tests.sh BUILD_DIR [BUILD_DIR ...] -- STAGE [STAGE ...]
#
# For each build directory (the plain build, the sanitizer build):
#   - the unit tests of common/ and of every stage;
#   - the end-to-end tests of stage N against the resolver of stage N and of every
#     later stage, so that a later lesson can never quietly lose what an earlier
#     one taught.
set -uo pipefail
cd "$(dirname "$0")/../.."

builds=()
while [[ $# -gt 0 && "$1" != "--" ]]; do builds+=("$1"); shift; done
shift
stages=("$@")

export CORPUS_DIR="${CORPUS_DIR:-$(cd .. && pwd)/shared/corpus}"
# The sanitizers stop at the first error with a report; leaks are errors too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

total_passed=0
total_failed=0
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT

# run_suite NAME COMMAND...: runs one doctest program and adds up its test cases.
# A program that dies without doctest's summary counts as one failure.
run_suite() {
    local name="$1"
    shift
    local log="$log_dir/suite.log"
    "$@" >"$log" 2>&1
    local status=$?
    local summary passed failed
    summary=$(grep -E '^\[doctest\] test cases:' "$log" | tail -n 1)
    passed=$(sed -nE 's/.*\| *([0-9]+) passed.*/\1/p' <<<"$summary")
    failed=$(sed -nE 's/.*\| *([0-9]+) failed.*/\1/p' <<<"$summary")
    if [[ -z "$passed" || -z "$failed" ]]; then
        passed=0
        failed=1
    elif [[ $status -ne 0 && $failed -eq 0 ]]; then
        failed=1 # it printed a summary, then failed (a sanitizer report at exit)
    fi
    if [[ $failed -gt 0 ]]; then
        echo "FAIL  $name: $passed passed, $failed failed (exit status $status)"
        sed 's/^/      | /' "$log" | tail -n 80
    else
        echo "ok    $name: $passed passed"
    fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
}

for build in "${builds[@]}"; do
    echo "== tests of $build/"
    run_suite "common unit tests" "$build/common/unit_tests"
    for ((i = 0; i < ${#stages[@]}; i++)); do
        stage="${stages[$i]}"
        [[ -x "$build/$stage/unit_tests" ]] && run_suite "$stage unit tests" "$build/$stage/unit_tests"
        [[ -x "$build/$stage/e2e_tests" ]] || continue
        for ((j = i; j < ${#stages[@]}; j++)); do
            target="${stages[$j]}"
            number="${target#stage}"
            RESOLVER_BIN="$build/$target/resolver" RESOLVER_STAGE="${number%%_*}" \
                run_suite "$stage end-to-end tests against $target" "$build/$stage/e2e_tests"
        done
    done
done

echo
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
