#!/usr/bin/env bash
# What one lesson adds: `diff -ru` between stage N-1 and stage N.
#
#   stage_diff.sh 2              (make diff STAGE=2)
#   stage_diff.sh 7 NAME         (make diff STAGE=7 PART=NAME): only the files of
#                                one part of the lesson, in the order it reads them
#   stage_diff.sh --parts 7      (make parts STAGE=7): the names of the parts
#
# A lesson read in parts keeps them in its stage's PARTS file: "part NAME", then
# that part's files (relative to the stage), one a line; # starts a comment.
# The lesson checker (common/tools/lesson_checker.cpp) fails when a file of the
# diff is in no part.
#
# Some things stay in the stage that wrote them and serve every later stage from
# there, so they are not copied forward: the end-to-end tests (tests/e2e_*.cpp,
# run against every later stage), the test bed (stage4_testbed/testbed/) and the
# corpus replay tool (stage5_real_traffic/replay/). The diff shows the new
# stage's own as added files and leaves the earlier stage's out. Each LESSON.md
# is the lesson itself, read on its own.
set -uo pipefail
cd "$(dirname "$0")/../.."

list_parts=
if [[ "${1:-}" == --parts ]]; then
    list_parts=yes
    shift
fi
number="${1:-}"
part="${2:-}"
if ! [[ "$number" =~ ^[2-7]$ ]]; then
    echo "usage: make diff STAGE=N [PART=NAME]   (N from 2 to 7: shows what stage N adds to stage N-1)" >&2
    echo "       make parts STAGE=N              (the parts of a lesson read in parts)" >&2
    exit 2
fi
old=$(ls -d stage$((number - 1))_* 2>/dev/null | head -n 1)
new=$(ls -d stage${number}_* 2>/dev/null | head -n 1)
if [[ -z "$old" || -z "$new" ]]; then
    echo "error: stage $number or stage $((number - 1)) does not exist yet" >&2
    exit 2
fi

# The parts: "part NAME" lines, and the files after each.
parts_file="$new/PARTS"
if [[ -n "$list_parts" || -n "$part" ]] && [[ ! -f "$parts_file" ]]; then
    echo "error: the lesson of $new is not in parts (no $parts_file)" >&2
    exit 2
fi
if [[ -n "$list_parts" ]]; then
    sed -nE 's/^part[[:space:]]+([^[:space:]]+).*/\1/p' "$parts_file"
    exit 0
fi
if [[ -n "$part" ]]; then
    files=$(awk -v part="$part" '
        /^[[:space:]]*(#|$)/ { next }
        $1 == "part" { in_part = ($2 == part); found = found || in_part; next }
        in_part { print $1 }
        END { exit found ? 0 : 1 }' "$parts_file") || {
        echo "error: $parts_file has no part '$part'; the parts are:" >&2
        sed -nE 's/^part[[:space:]]+([^[:space:]]+).*/    \1/p' "$parts_file" >&2
        exit 2
    }
    while read -r file; do
        [[ -n "$file" ]] || continue
        if [[ ! -e "$old/$file" && ! -e "$new/$file" ]]; then
            echo "error: $parts_file, part $part: no file $file in $old or $new" >&2
            continue
        fi
        # An end-to-end test stays in the stage that wrote it: the new one is added.
        if [[ "$file" == */e2e_*.cpp || "$file" == e2e_*.cpp ]]; then
            diff -u /dev/null "$new/$file"
        else
            diff -uN "$old/$file" "$new/$file"
        fi
    done <<<"$files"
    exit 0
fi

# Paths are relative to the two stage folders, so the file names line up.
stays=(--exclude='e2e_*.cpp' --exclude=testbed --exclude=replay)
# PARTS, like LESSON.md, is the lesson (only a stage read in parts has one).
lesson=(--exclude=LESSON.md)
[[ -f "$parts_file" ]] && lesson+=(--exclude=PARTS)
diff -ruN "${stays[@]}" "${lesson[@]}" "$old" "$new"
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
