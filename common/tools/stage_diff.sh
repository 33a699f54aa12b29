#!/usr/bin/env bash
# What one lesson adds: `diff -ru` between stage N-1 and stage N.
#
#   stage_diff.sh 2      (make diff STAGE=2)
#
# Each stage's end-to-end tests (tests/e2e_*.cpp) stay in the stage that wrote
# them and run from there against every later stage, so they are not copied
# forward; the diff shows the new stage's end-to-end tests as added files and
# leaves the earlier stage's out. Each LESSON.md is the lesson itself, read on its own.
set -uo pipefail
cd "$(dirname "$0")/../.."

number="${1:-}"
if ! [[ "$number" =~ ^[2-7]$ ]]; then
    echo "usage: make diff STAGE=N   (N from 2 to 7: shows what stage N adds to stage N-1)" >&2
    exit 2
fi
old=$(ls -d stage$((number - 1))_* 2>/dev/null | head -n 1)
new=$(ls -d stage${number}_* 2>/dev/null | head -n 1)
if [[ -z "$old" || -z "$new" ]]; then
    echo "error: stage $number or stage $((number - 1)) does not exist yet" >&2
    exit 2
fi

# Paths are relative to the two stage folders, so the file names line up.
diff -ruN --exclude='e2e_*.cpp' --exclude=LESSON.md "$old" "$new"
for added in "$new"/tests/e2e_*.cpp; do
    [[ -e "$added" ]] && diff -u /dev/null "$added"
done
exit 0
