#!/usr/bin/env bash
# What one lesson adds: `diff -ru` between stage N-1 and stage N.
#
#   stage_diff.sh 2      (make diff STAGE=2)
#
# Some things stay in the stage that wrote them and serve every later stage from
# there, so they are not copied forward: the end-to-end tests (tests/e2e_*.cpp,
# run against every later stage), the test bed (stage4_testbed/testbed/) and the
# corpus replay tool (stage5_real_traffic/replay/). The diff shows the new
# stage's own as added files and leaves the earlier stage's out. Each LESSON.md
# is the lesson itself, read on its own.
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
stays=(--exclude='e2e_*.cpp' --exclude=testbed --exclude=replay)
diff -ruN "${stays[@]}" --exclude=LESSON.md "$old" "$new"
nothing=$(mktemp -d)
trap 'rm -rf "$nothing"' EXIT
for added in "$new"/tests/e2e_*.cpp "$new"/testbed "$new"/replay; do
    [[ -e "$added" ]] || continue
    if [[ -d "$added" ]]; then
        diff -ruN "$nothing" "$added"
    else
        diff -u /dev/null "$added"
    fi
done
exit 0
