#!/usr/bin/env bash
# make bench: the newest stage and Unbound, side by side, in the same test bed,
# in the same run, measured by dnsperf (a benchmark, not a test).
#
#   bench.sh STAGE_DIR
#
# The test bed serves a leaf zone of 100,000 names (bench.lab.). Each resolver,
# given the same number of threads, gets in turn:
#   - the miss run: 50,000 names never asked before, in a fresh process;
#   - a warm-up pass over 1,000 other names, then the hit run: those 1,000
#     names over and over for HIT_SECONDS, answered from the cache (a stage
#     without a cache looks them up every time).
# It prints queries per second, CPU time per answer (the resolver process's own
# user + system time, from /proc, divided by the answers), memory after the
# miss run, and lost queries, and the ratio stage / Unbound for each.
#
# Beside them, the floor: the hit run against a responder that does no DNS
# work at all (common/tools/canned_responder.cpp, the same threads and batched
# system calls). What it costs per answer is the kernel's part of every answer
# over loopback (carrying the query in and the response out, waking the
# threads): a bound for a resolver built this way, not an exact one.
#
# Unbound cannot be told to ask authoritative servers on a port other than 53,
# so the test bed runs on port 53 of its 127.53.x.y addresses: run as root.
set -euo pipefail
cd "$(dirname "$0")/../.."

stage="${1:?usage: bench.sh STAGE_DIR}"
resolver="build/$stage/resolver"
canned_responder=build/common/canned_responder
HIT_SECONDS=${HIT_SECONDS:-10}
ZONE_NAMES=100000
HIT_NAMES=1000
MISS_NAMES=50000
RESOLVER_PORT=5390
testbed=stage4_testbed/testbed/testbed.sh

[[ $(id -u) -eq 0 ]] || { echo "bench: run as root (the test bed must use port 53, see above)" >&2; exit 1; }
work=$(mktemp -d /tmp/bench.XXXXXX)
chmod 755 "$work"
pid=
cleanup() {
    if [[ -n "$pid" ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
    "$testbed" stop "$work/testbed" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

# The number of threads: what the stage can use (stage 7 has --threads).
threads=1
if "$resolver" --help | grep -q -- --threads; then
    threads=$(nproc)
fi

echo "== test bed with a zone of $ZONE_NAMES names, on port 53"
BENCH_NAMES=$ZONE_NAMES "$testbed" start "$work/testbed" 53 | sed 's/^/   /'

awk -v n=$HIT_NAMES 'BEGIN { for (i = 0; i < n; i++) printf "n%d.bench.lab A\n", i }' >"$work/hit.txt"
awk -v from=$HIT_NAMES -v n=$MISS_NAMES \
    'BEGIN { for (i = from; i < from + n; i++) printf "n%d.bench.lab A\n", i }' >"$work/miss.txt"

cat >"$work/unbound.conf" <<CONF
server:
    interface: 127.0.0.1@$RESOLVER_PORT
    num-threads: $threads
    so-reuseport: yes
    do-not-query-localhost: no
    do-ip6: no
    module-config: "iterator"
    qname-minimisation: no
    root-hints: "$work/testbed/root.hints"
    access-control: 127.0.0.0/8 allow
    username: ""
    chroot: ""
    directory: "$work"
    pidfile: "$work/unbound.pid"
    use-syslog: no
    logfile: ""
    verbosity: 0
CONF

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
ticks_per_second=$(getconf CLK_TCK)

# dnsperf_run FILE ARGS...: prints "completed lost qps"
dnsperf_run() {
    local file=$1
    shift
    dnsperf -s 127.0.0.1 -p $RESOLVER_PORT -d "$file" -c 10 -q 100 -t 5 "$@" >"$work/dnsperf.out" 2>&1 || true
    awk '/Queries completed:/ { c = $3 } /Queries lost:/ { l = $3 } /Queries per second:/ { q = $4 }
         END { printf "%d %d %.0f\n", c, l, q }' "$work/dnsperf.out"
}

# Each figure is measured in ROUNDS rounds (stage, Unbound, the floor, in
# turn, each in a fresh process) and the table shows the median (the lower
# middle one for an even number of rounds): on a shared
# machine one run can be 10-20% off the next.
ROUNDS=${BENCH_ROUNDS:-3}
[[ $ROUNDS -ge 1 ]] || { echo "bench: BENCH_ROUNDS must be 1 or more" >&2; exit 1; }
declare -A results # "name metric" -> the values of every round, space-separated
record() { results["$1 $2"]+=" $3"; }
median() { tr ' ' '\n' <<<"${results["$1 $2"]}" | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR ? v[int((NR + 1) / 2)] : "-") }'; }
total() { tr ' ' '\n' <<<"${results["$1 $2"]}" | awk '{ t += $1 } END { print t + 0 }'; }
last() { awk '{ print $NF }' <<<"${results["$1 $2"]}"; }
cpu_us_per_answer() { awk -v t="$1" -v hz="$ticks_per_second" -v n="$2" 'BEGIN { printf "%.1f", n ? t / hz * 1e6 / n : 0 }'; }

# hit_run NAME PID: the warm-up pass, then the hit run, recorded under NAME.
hit_run() {
    local name=$1 pid=$2 before after completed lost qps
    dnsperf_run "$work/hit.txt" -n 1 >/dev/null
    before=$(cpu_ticks "$pid")
    read -r completed lost qps < <(dnsperf_run "$work/hit.txt" -l "$HIT_SECONDS")
    after=$(cpu_ticks "$pid")
    record "$name" hit_qps "$qps"
    record "$name" hit_lost "$lost"
    record "$name" hit_cpu "$(cpu_us_per_answer $((after - before)) "$completed")"
}

# start_server NAME COMMAND...: starts it (its pid in $pid, its output in
# NAME.log) and waits until it answers a query.
start_server() {
    local name=$1
    shift
    "$@" >"$work/$name.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do
        dig @127.0.0.1 -p $RESOLVER_PORT +tries=1 +time=1 n0.bench.lab >/dev/null 2>&1 && break
        sleep 0.1
    done
}

stop_server() {
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=
}

# measure NAME COMMAND...: starts the resolver, runs the miss run, the warm-up
# and the hit run, and records the results under NAME.
measure() {
    local name=$1
    start_server "$@"
    local before after completed lost qps
    before=$(cpu_ticks "$pid")
    read -r completed lost qps < <(dnsperf_run "$work/miss.txt" -n 1 -l 300)
    after=$(cpu_ticks "$pid")
    record "$name" miss_qps "$qps"
    record "$name" miss_lost "$lost"
    record "$name" miss_cpu "$(cpu_us_per_answer $((after - before)) "$completed")"
    record "$name" rss "$(awk -v k="$(rss_kib "$pid")" 'BEGIN { printf "%.1f", k / 1024 }')"
    hit_run "$name" "$pid"
    stop_server
}

# The floor: the hit run against canned_responder (no cache, no misses).
measure_floor() {
    start_server floor "$canned_responder" $RESOLVER_PORT "$threads"
    hit_run floor "$pid"
    stop_server
}

unbound_version=$(unbound -V | sed -n 's/^Version //p')
for ((round = 1; round <= ROUNDS; round++)); do
    echo "== round $round of $ROUNDS: $stage, unbound $unbound_version, the floor ($threads thread(s) each)"
    measure "$stage" "$resolver" --listen 127.0.0.1:$RESOLVER_PORT --root-hints "$work/testbed/root.hints" \
        --quiet $([[ $threads -gt 1 ]] && echo --threads "$threads")
    measure unbound unbound -d -c "$work/unbound.conf"
    measure_floor
    for name in "$stage" unbound floor; do
        printf '   %-20s hit %7s QPS %5s us' "$name" "$(last "$name" hit_qps)" "$(last "$name" hit_cpu)"
        [[ $name == floor ]] || printf ';  miss %6s QPS %5s us' "$(last "$name" miss_qps)" "$(last "$name" miss_cpu)"
        echo
    done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
echo "make bench, $(date -u +%Y-%m-%d), $(nproc) cores; dnsperf on the same cores; medians of $ROUNDS rounds"
printf '%-34s %18s %14s %8s %8s\n' "" "$stage" "unbound" "ratio" "floor"
row() {
    local a b
    a=$(median "$stage" "$2")
    b=$(median unbound "$2")
    printf '%-34s %18s %14s %8s %8s\n' "$1" "$a" "$b" "$(ratio "$a" "$b")" "${3:-}"
}
lost_row() {
    printf '%-34s %18s %14s %8s %8s\n' "$1" "$(total "$stage" "$2")" "$(total unbound "$2")" "-" ""
}
row "cache-hit QPS ($HIT_NAMES names, warm)" hit_qps "$(median floor hit_qps)"
row "cache-miss QPS ($MISS_NAMES new names)" miss_qps
row "CPU us per answer, hit" hit_cpu "$(median floor hit_cpu)"
row "CPU us per answer, miss" miss_cpu
row "RSS after the miss run (MiB)" rss
lost_row "lost queries, hit runs (all rounds)" hit_lost
lost_row "lost queries, miss runs (all rounds)" miss_lost
echo "floor: a responder that does no DNS work (canned_responder), the same threads, the same hit run"
