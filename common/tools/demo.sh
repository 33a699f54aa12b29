#!/usr/bin/env bash
# make demo: the newest stage, in the local test bed, answering dig.
#
#   demo.sh STAGE_DIR
#
# Starts the test bed (Knot DNS on 127.53.x.y, a free high port), starts the
# stage's resolver pointed at it with --trace, asks it a few questions with dig,
# shows the answers and the resolver's trace, and stops everything again.
set -euo pipefail
cd "$(dirname "$0")/../.."

stage="${1:?usage: demo.sh STAGE_DIR}"
resolver="build/$stage/resolver"
testbed=stage4_testbed/testbed/testbed.sh
work=$(mktemp -d)
resolver_pid=
cleanup() {
    if [[ -n "$resolver_pid" ]]; then
        kill "$resolver_pid" 2>/dev/null || true
        wait "$resolver_pid" 2>/dev/null || true
    fi
    if [[ -x "$testbed" && -d "$work/testbed" ]]; then
        "$testbed" stop "$work/testbed" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

arguments=(--listen 127.0.0.1:0)
if [[ -x "$testbed" ]]; then
    port=
    for attempt in 1 2 3 4 5; do
        candidate=$((20000 + RANDOM % 12000)) # below the ephemeral ports, 32768 and up
        if "$testbed" start "$work/testbed" "$candidate" >"$work/testbed.log" 2>&1; then
            port=$candidate
            break
        fi
    done
    [[ -n "$port" ]] || { cat "$work/testbed.log"; exit 1; }
    echo "== The test bed: Knot DNS serving a small DNS tree on 127.53.x.y, port $port"
    cat "$work/testbed.log"
    arguments+=(--root-hints "$work/testbed/root.hints" --upstream-port "$port" --trace)
    # The test bed signs its own root (DNSSEC): a resolver that validates
    # (stage 7 on, --trust-anchor) is given its key.
    if "$resolver" --help | grep -q -- --trust-anchor; then
        arguments+=(--trust-anchor "$work/testbed/root-anchor.ds")
    fi
fi

echo
echo "== Starting $resolver ${arguments[*]}"
"$resolver" "${arguments[@]}" >"$work/resolver.log" 2>&1 &
resolver_pid=$!
for _ in $(seq 50); do
    grep -q "^Bound to" "$work/resolver.log" && break
    sleep 0.1
done
listen=$(sed -n 's/^Bound to \(.*\)$/\1/p' "$work/resolver.log")
[[ -n "$listen" ]] || { cat "$work/resolver.log"; exit 1; }
echo "Bound to $listen"

# The first name again at the end, twice: from stage 7 on, from the cache.
# www.expired.lab is signed wrong on purpose: a validating stage answers
# SERVFAIL, and says why (EDE).
names=(www.example.lab multi.example.lab www.noglue.lab chain1.example.lab nope.example.lab
    www.expired.lab www.example.lab www.example.lab)
[[ -x "$testbed" ]] || names=(example.com)
for name in "${names[@]}"; do
    echo
    echo "== dig @127.0.0.1 -p ${listen##*:} $name A"
    dig @127.0.0.1 -p "${listen##*:}" +tries=1 +time=5 +nocmd +nostats "$name" A || true
done

sleep 0.2
echo
echo "== What the resolver printed (its trace of every lookup)"
cat "$work/resolver.log"
