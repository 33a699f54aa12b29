#!/usr/bin/env bash
# Runs libFuzzer targets, each for a fixed time, seeded with the captured
# messages of ../shared/corpus, and prints one line per target:
#   ok    fuzz_message_reader (stage5_real_traffic): 2210332 runs in 60 s, coverage 1034
#   FAIL  ...: the crash report and the input that caused it
#
#   run_fuzzers.sh SECONDS TARGET...
#
# Each target keeps what it learned in build-fuzz/corpus/<stage>/<target>, so
# runs build on each other. Inputs that crash are written to build-fuzz/crashes/.
set -uo pipefail
cd "$(dirname "$0")/../.."

seconds="$1"
shift
seeds="${CORPUS_DIR:-$(cd .. && pwd)/shared/corpus}/messages"
status=0
for target in "$@"; do
    stage=$(basename "$(dirname "$target")")
    name=$(basename "$target")
    learned="build-fuzz/corpus/$stage/$name"
    crashes="build-fuzz/crashes/$stage/$name"
    mkdir -p "$learned" "$crashes"
    log=$(mktemp)
    "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$learned" "$seeds" >"$log" 2>&1
    result=$?
    runs=$(sed -nE 's/^stat::number_of_executed_units: *([0-9]+)/\1/p' "$log")
    coverage=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | cut -d' ' -f2)
    if [[ $result -eq 0 ]]; then
        echo "ok    $name ($stage): ${runs:-?} runs in $seconds s, coverage ${coverage:-?}"
    else
        echo "FAIL  $name ($stage): exit status $result"
        grep -E "ERROR|SUMMARY|Test unit written|runtime error" "$log" | head -n 20 | sed 's/^/      | /'
        status=1
    fi
    rm -f "$log"
done
exit $status
