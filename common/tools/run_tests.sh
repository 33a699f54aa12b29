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
chmod 755 "$log_dir" # the resolver may run as another user in a test (nobody)
testbed=stage4_testbed/testbed/testbed.sh
cleanup() {
    [[ -x "$testbed" && -d "$log_dir/testbed" ]] && "$testbed" stop "$log_dir/testbed" >/dev/null 2>&1
    rm -rf "$log_dir"
}
trap cleanup EXIT

# From stage 3 on the resolver looks names up: its end-to-end tests run in the
# local test bed of stage 4 (Knot DNS on 127.53.x.y), on a free high port.
if [[ -x "$testbed" ]]; then
    export SCRIPTED_RESPONDER="${SCRIPTED_RESPONDER:-$PWD/build/stage4_testbed/scripted_responder}"
    for attempt in 1 2 3 4 5; do
        # Every port a test chooses is below the kernel's range of ephemeral
        # ports (32768 and up), from which dig's and the resolvers' own sockets
        # draw theirs: a socket of dig's bound to the test bed's port would
        # take the queries sent to a test bed address where nothing listens.
        # Here 20000-27999; the self-test's test bed 28000-29999; stage 4's
        # e2e test bed 30000-31999; stage 6's Unbound 10000-19999.
        TESTBED_PORT=$((20000 + RANDOM % 8000))
        if "$testbed" start "$log_dir/testbed" "$TESTBED_PORT" >"$log_dir/testbed.log" 2>&1; then
            break
        fi
        TESTBED_PORT=
    done
    if [[ -z "$TESTBED_PORT" ]]; then
        echo "error: the test bed did not start:"
        cat "$log_dir/testbed.log"
        exit 1
    fi
    export TESTBED_PORT TESTBED_DIR="$log_dir/testbed"
    export TESTBED_ROOT_HINTS="$log_dir/testbed/root.hints"
    echo "test bed: $(head -n 1 "$log_dir/testbed.log")"
fi

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

# The test bed checks itself: referrals, glue, authoritative answers and each
# misbehaving server, on a test bed of its own (one more suite, counted by checks).
if [[ -x stage4_testbed/testbed/selftest.sh ]]; then
    selftest_log="$log_dir/selftest.log"
    stage4_testbed/testbed/selftest.sh $((28000 + RANDOM % 2000)) >"$selftest_log" 2>&1
    selftest_status=$?
    summary=$(grep -E '^selftest: [0-9]+ passed, [0-9]+ failed' "$selftest_log" | tail -n 1)
    passed=$(sed -nE 's/^selftest: ([0-9]+) passed.*/\1/p' <<<"$summary")
    failed=$(sed -nE 's/.* ([0-9]+) failed.*/\1/p' <<<"$summary")
    if [[ -z "$summary" || $selftest_status -ne 0 ]]; then
        echo "FAIL  test bed self-test (exit status $selftest_status)"
        sed 's/^/      | /' "$selftest_log" | tail -n 40
        failed=${failed:-0}
        total_passed=$((total_passed + ${passed:-0}))
        total_failed=$((total_failed + (failed > 0 ? failed : 1)))
    else
        echo "ok    test bed self-test: $passed checks passed"
        total_passed=$((total_passed + passed))
    fi
fi

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

# The stage with threads, under ThreadSanitizer (make build-tsan): its own unit
# and end-to-end tests, and one more check that fails on any data race the
# sanitizer reported, from the tests or from the resolver they ran.
for stage in "${stages[@]}"; do
    [[ -x "build-tsan/$stage/resolver" && -x "build-tsan/$stage/e2e_tests" ]] || continue
    echo "== tests of build-tsan/ (ThreadSanitizer)"
    number="${stage#stage}"
    # Stage 7 started as root becomes nobody (--user): its reports need a folder nobody can write.
    mkdir -p -m 1777 "$log_dir/tsan-reports"
    export TSAN_OPTIONS="log_path=$log_dir/tsan-reports/tsan:halt_on_error=0"
    run_suite "$stage unit tests" "build-tsan/$stage/unit_tests"
    RESOLVER_BIN="build-tsan/$stage/resolver" RESOLVER_STAGE="${number%%_*}" \
        run_suite "$stage end-to-end tests against build-tsan/$stage" "build-tsan/$stage/e2e_tests"
    unset TSAN_OPTIONS
    if compgen -G "$log_dir/tsan-reports/tsan.*" >/dev/null; then
        echo "FAIL  ThreadSanitizer reported data races:"
        cat "$log_dir"/tsan-reports/tsan.* | sed 's/^/      | /' | head -n 80
        total_failed=$((total_failed + 1))
    else
        echo "ok    ThreadSanitizer: no data race reported"
        total_passed=$((total_passed + 1))
    fi
done

# The lessons: their checked blocks against what the stages print today, and
# make diff against what they talk about (common/tools/lesson_checker.cpp).
if [[ -x build/common/lesson_checks ]]; then
    echo "== lessons"
    run_suite "lesson checks" build/common/lesson_checks
fi

# The corpus replay (stage 5 on): every captured message as a client's query
# (in the test bed) and as the root server's reply, against stage 5 and every
# later stage, plain and under the sanitizers: nothing may crash or hang, and
# every well-formed query gets a response. Each run counts as one test.
for build in "${builds[@]}"; do
    replay="$build/stage5_real_traffic/replay_corpus"
    [[ -x "$replay" ]] || continue
    for target in "${stages[@]}"; do
        number="${target#stage}"
        [[ ${number%%_*} -ge 5 ]] || continue
        for mode in query reply; do
            arguments=(--resolver "$build/$target/resolver" --mode "$mode")
            [[ $mode == query ]] && arguments+=(--root-hints "$TESTBED_ROOT_HINTS" --upstream-port "$TESTBED_PORT")
            log="$log_dir/replay.log"
            if "$replay" "${arguments[@]}" >"$log" 2>&1; then
                echo "ok    corpus replay ($mode) against $build/$target: $(grep -c . "$log") lines of report, nothing crashed or hung"
                total_passed=$((total_passed + 1))
            else
                echo "FAIL  corpus replay ($mode) against $build/$target"
                sed 's/^/      | /' "$log" | tail -n 30
                total_failed=$((total_failed + 1))
            fi
        done
    done
done

# A short run of every libFuzzer target (make fuzz runs them longer): each
# counts as one test, passed if the fuzzer found nothing in FUZZ_SECONDS.
fuzzers=$(find build-fuzz -maxdepth 2 -type f -name 'fuzz_*' ! -name '*.d' 2>/dev/null | sort)
if [[ -n "$fuzzers" ]]; then
    echo "== fuzzing, ${FUZZ_SECONDS:-10} s per target"
    while read -r line; do
        echo "$line"
        case "$line" in
        ok*) total_passed=$((total_passed + 1)) ;;
        FAIL*) total_failed=$((total_failed + 1)) ;;
        esac
    done < <(common/tools/run_fuzzers.sh "${FUZZ_SECONDS:-10}" $fuzzers)
fi

echo
echo "$total_passed passed, $total_failed failed"
[[ $total_failed -eq 0 ]]
